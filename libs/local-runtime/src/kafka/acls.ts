/**
 * The broker's access control lists, derived from the topic registry of @postrade/contracts: each
 * service may write the topics it owns (its streams and its DLQ) and read the topics it consumes,
 * under consumer groups named after it; each gateway may write only its inbound topics and read
 * what Postrade sends back to it. Everything else is refused (the broker runs StandardAuthorizer
 * with allow.everyone.if.no.acl.found=false); the administrator principal is a super user.
 */
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type AclEntry,
} from 'kafkajs';
import { GATEWAYS, GATEWAY_NAMES, KAFKA_PRINCIPALS, SERVICE_NAMES, serviceTopicAccess, type GatewayName, type ServiceName } from '@postrade/contracts';
import { createKafka, type KafkaConnection } from '@postrade/messaging';
import { createLogger } from '@postrade/platform';

const log = createLogger('kafka-acls');

type Binding = Omit<AclEntry, 'host' | 'permissionType'>;

function allow(principal: string, resourceType: AclResourceTypes, resourceName: string, operation: AclOperationTypes, pattern = ResourcePatternTypes.LITERAL): Binding {
  return { principal: `User:${principal}`, resourceType, resourceName, resourcePatternType: pattern, operation };
}

/** What one principal may do: write and read its topics, use consumer groups named after it, produce idempotently. */
function bindingsOf(principal: ServiceName | GatewayName, access: { writes: readonly string[]; reads: readonly string[] }): Binding[] {
  return [
    ...access.writes.map((topic) => allow(principal, AclResourceTypes.TOPIC, topic, AclOperationTypes.WRITE)),
    ...access.reads.map((topic) => allow(principal, AclResourceTypes.TOPIC, topic, AclOperationTypes.READ)),
    // A service's consumer groups are `<service>` and `<service>.<consumer>`; a gateway's `<gateway>…`.
    allow(principal, AclResourceTypes.GROUP, principal, AclOperationTypes.READ, ResourcePatternTypes.PREFIXED),
    // The publisher is an idempotent producer (KIP-679 grants it with WRITE since Kafka 3.0; explicit for older brokers).
    ...(access.writes.length > 0 ? [allow(principal, AclResourceTypes.CLUSTER, 'kafka-cluster', AclOperationTypes.IDEMPOTENT_WRITE)] : []),
  ];
}

/** Every ACL the platform needs, one list. */
export function platformAcls(): Binding[] {
  return [
    ...SERVICE_NAMES.flatMap((service) => bindingsOf(service, serviceTopicAccess(service))),
    ...GATEWAY_NAMES.flatMap((gateway) => bindingsOf(gateway, GATEWAYS[gateway])),
  ];
}

function keyOf(b: Binding): string {
  return [b.principal, b.resourceType, b.resourceName, b.resourcePatternType, b.operation].join('|');
}

/**
 * Makes the broker's ACLs for the Postrade principals exactly {@link platformAcls}: missing ones
 * are created, ones the registry no longer grants are deleted. Needs the administrator principal.
 * Safe to run again.
 */
export async function ensureKafkaAcls(admin: KafkaConnection): Promise<{ created: number; deleted: number }> {
  const client = createKafka(admin).admin();
  await client.connect();
  try {
    const wanted = new Map(platformAcls().map((b) => [keyOf(b), b]));
    const managed = new Set(KAFKA_PRINCIPALS.map((p) => `User:${p}`));
    const described = await client.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const present = new Set<string>();
    const stale: Binding[] = [];
    for (const resource of described.resources) {
      for (const acl of resource.acls) {
        if (!managed.has(acl.principal)) continue;
        const binding: Binding = {
          principal: acl.principal,
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          resourcePatternType: resource.resourcePatternType,
          operation: acl.operation,
        };
        if (acl.permissionType === AclPermissionTypes.ALLOW && acl.host === '*' && wanted.has(keyOf(binding))) present.add(keyOf(binding));
        else stale.push({ ...binding, permissionType: acl.permissionType, host: acl.host } as Binding);
      }
    }
    const missing = [...wanted.entries()].filter(([key]) => !present.has(key)).map(([, b]) => b);
    if (stale.length > 0) {
      await client.deleteAcls({
        filters: stale.map((b) => ({ ...b, host: (b as AclEntry).host, permissionType: (b as AclEntry).permissionType })),
      });
    }
    if (missing.length > 0) {
      await client.createAcls({ acl: missing.map((b) => ({ ...b, host: '*', permissionType: AclPermissionTypes.ALLOW })) });
    }
    if (missing.length > 0 || stale.length > 0) log.info({ created: missing.length, deleted: stale.length }, 'Kafka ACLs brought in line with the topic registry');
    return { created: missing.length, deleted: stale.length };
  } finally {
    await client.disconnect();
  }
}
