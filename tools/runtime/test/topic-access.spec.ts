import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AclOperationTypes, AclResourceTypes } from 'kafkajs';
import { consumersOf, serviceTopicAccess, SERVICE_NAMES, SHARED_TOPIC_WRITERS, TOPIC_DEFINITIONS, Topics, type ServiceName } from '@postrade/contracts';
import { platformAcls } from '@postrade/local-runtime';

/**
 * What a service really subscribes, read from its root module's `MessagingModule.forService({ consumers })`
 * (`topics: [Topics.x, …]`), as text: tools/ may not import an app.
 */
function subscriptionsOf(service: ServiceName): { topics: string[]; consumers: string[] } {
  const source = readFileSync(join(__dirname, '..', '..', '..', 'apps', service, 'src', `${service}.module.ts`), 'utf8');
  const lists = [...source.matchAll(/topics:\s*\[([^\]]*)\]/g)].map((m) => m[1]);
  if (lists.length === 0) throw new Error(`no consumer topics found in ${service}.module.ts`);
  const topics = lists.flatMap((list) =>
    [...list.matchAll(/Topics\.(\w+)/g)].map(([, key]) => {
      const name = (Topics as Record<string, string>)[key];
      if (!name) throw new Error(`${service}.module.ts subscribes Topics.${key}, which the registry does not have`);
      return name;
    }),
  );
  const consumers = [...source.matchAll(/consumer:\s*'([^']+)'/g)].map((m) => m[1]);
  return { topics: [...new Set(topics)].sort(), consumers };
}

describe("the topic registry's consumers and the broker's ACLs", () => {
  it.each(SERVICE_NAMES)('lists as consumed by %s exactly the topics its consumers subscribe', (service) => {
    const { topics, consumers } = subscriptionsOf(service);
    // Besides, a shared writer (the anchors, docs/anchors.md) reads back what it wrote, with no consumer of the module.
    expect([...serviceTopicAccess(service).reads].filter((t) => !SHARED_TOPIC_WRITERS[t]?.includes(service)).sort()).toEqual(topics);
    // Its consumer groups are named after it, which is what its group ACL (a prefix) allows.
    for (const consumer of consumers) expect(consumer === service || consumer.startsWith(`${service}.`)).toBe(true);
  });

  it('lets every service write only its own streams and DLQ, and no gateway write anything but inbound topics', () => {
    const writes = platformAcls().filter((a) => a.operation === AclOperationTypes.WRITE && a.resourceType === AclResourceTypes.TOPIC);
    for (const acl of writes) {
      const topic = TOPIC_DEFINITIONS.find((t) => t.name === acl.resourceName)!;
      const principal = acl.principal.replace(/^User:/, '');
      if (topic.name.endsWith('.inbound.v1')) expect(principal).toMatch(/-gateway$/);
      else expect({ topic: topic.name, principal }).toEqual({ topic: topic.name, principal: SHARED_TOPIC_WRITERS[topic.name]?.includes(principal as ServiceName) ? principal : topic.owner });
    }
    expect(writes.filter((a) => a.resourceName === 'compliance.decisions.v1').map((a) => a.principal)).toEqual(['User:compliance']);
    expect(writes.filter((a) => a.principal === 'User:oms-gateway').map((a) => a.resourceName)).toEqual(['trades.inbound.v1']);
  });

  it('gives every topic a consumer list, empty for the DLQs', () => {
    for (const topic of TOPIC_DEFINITIONS.filter((t) => t.kind === 'dlq')) expect(consumersOf(topic.name)).toEqual([]);
  });
});
