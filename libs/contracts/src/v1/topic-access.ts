import { SERVICE_NAMES, type ServiceName } from '../services';
import { TOPIC_DEFINITIONS, Topics, isTopicName, topicDefinition, type TopicName } from './topics';

/**
 * Who may write and read each topic: the basis of the broker's ACLs (one principal per service and
 * per gateway) and of the consumers' `ce_source` check. Read with TOPIC_DEFINITIONS (the owner of
 * each topic); ARCHITECTURE.md's service table is the source of the consumers.
 */

/** The services that consume each topic; a topic not listed has none (a DLQ is replayed over REST, not consumed). */
export const TOPIC_CONSUMERS: Readonly<Partial<Record<TopicName, readonly ServiceName[]>>> = Object.freeze({
  [Topics.tradesInbound]: ['trade-capture'],
  [Topics.tradeCaptureTrades]: ['confirmation-matching', 'settlement', 'ledger', 'compliance', 'reconciliation'],
  [Topics.tradeCaptureReferenceData]: ['compliance', 'settlement'],
  [Topics.tradeCaptureAcks]: [],
  [Topics.confirmationsInbound]: ['confirmation-matching'],
  [Topics.matchingResults]: ['settlement'],
  [Topics.complianceDecisions]: ['settlement'],
  [Topics.settlementStatusInbound]: ['settlement'],
  [Topics.settlementEvents]: ['ledger', 'compliance', 'reconciliation'],
  [Topics.settlementInstructionsOutbound]: [],
  [Topics.ledgerEvents]: ['reconciliation'],
  [Topics.statementsInbound]: ['reconciliation'],
  [Topics.reconciliationBreaks]: [],
  [Topics.tradeCaptureDlq]: [],
  [Topics.confirmationMatchingDlq]: [],
  [Topics.settlementDlq]: [],
  [Topics.ledgerDlq]: [],
  [Topics.complianceDlq]: [],
  [Topics.reconciliationDlq]: [],
});

/** The services that consume `topic`. */
export function consumersOf(topic: TopicName): readonly ServiceName[] {
  return TOPIC_CONSUMERS[topic] ?? [];
}

/** The systems outside Postrade that publish to the inbound topics (and read what is sent back to them). */
export const GATEWAY_NAMES = Object.freeze(['oms-gateway', 'counterparty-gateway', 'custodian-gateway'] as const);
export type GatewayName = (typeof GATEWAY_NAMES)[number];

export interface GatewayAccess {
  /** The only topics the gateway may write: inbound topics. */
  readonly writes: readonly TopicName[];
  /** Topics Postrade sends back to it. */
  readonly reads: readonly TopicName[];
}

export const GATEWAYS: Readonly<Record<GatewayName, GatewayAccess>> = Object.freeze({
  'oms-gateway': { writes: [Topics.tradesInbound], reads: [Topics.tradeCaptureAcks] },
  'counterparty-gateway': { writes: [Topics.confirmationsInbound], reads: [] },
  'custodian-gateway': { writes: [Topics.settlementStatusInbound, Topics.statementsInbound], reads: [Topics.settlementInstructionsOutbound] },
});

export function isGatewayName(value: string): value is GatewayName {
  return (GATEWAY_NAMES as readonly string[]).includes(value);
}

/** An inbound topic (`<stream>.inbound.v1`): fed from outside by a gateway, consumed by its owner. */
export function isInboundTopic(topic: TopicName): boolean {
  return topic.endsWith('.inbound.v1');
}

/** Topics written by more services than their owner: every service that keeps hash chains anchors them (docs/anchors.md). */
export const SHARED_TOPIC_WRITERS: Readonly<Partial<Record<TopicName, readonly ServiceName[]>>> = Object.freeze({
  [Topics.auditAnchors]: ['ledger', 'compliance', 'reconciliation'],
});

/** The principals that may write `topic`: its owner for an internal stream or a DLQ (or its shared writers), the gateway(s) for an inbound topic. */
export function writersOf(topic: TopicName): readonly (ServiceName | GatewayName)[] {
  if (isInboundTopic(topic)) return GATEWAY_NAMES.filter((g) => GATEWAYS[g].writes.includes(topic));
  return SHARED_TOPIC_WRITERS[topic] ?? [topicDefinition(topic).owner];
}

/** The topics a service may write (its streams and its DLQ) and read (what it consumes). */
export function serviceTopicAccess(service: ServiceName): { writes: TopicName[]; reads: TopicName[] } {
  return {
    writes: TOPIC_DEFINITIONS.filter((t) => !isInboundTopic(t.name) && (t.owner === service || SHARED_TOPIC_WRITERS[t.name]?.includes(service))).map((t) => t.name),
    // A shared writer reads its own messages back too (verify reads the latest anchor, docs/anchors.md).
    reads: TOPIC_DEFINITIONS.filter((t) => consumersOf(t.name).includes(service) || SHARED_TOPIC_WRITERS[t.name]?.includes(service)).map((t) => t.name),
  };
}

/**
 * The `ce_source` an event on `topic` must carry: the owning service for an internal stream, a
 * writing gateway for an inbound topic, which may name the system behind it after a slash
 * (`oms-gateway/OMS-LDN`). Null for a topic this registry does not know, or a DLQ (a dead-letter
 * copy keeps the source of the original event).
 */
export function allowedSourcesOf(topic: string): readonly string[] | null {
  if (!isTopicName(topic) || topicDefinition(topic).kind === 'dlq') return null;
  return writersOf(topic);
}

/** Why `source` may not speak on `topic`, or null when it may (or the topic is not checked). */
export function sourceRefusal(topic: string, source: string): string | null {
  const allowed = allowedSourcesOf(topic);
  if (!allowed) return null;
  if (allowed.some((writer) => source === writer || source.startsWith(`${writer}/`))) return null;
  return `ce_source "${source}" may not publish on ${topic}: only ${allowed.map((a) => `"${a}"`).join(' or ')} (optionally "<name>/<system>" for a gateway) may`;
}

/** The `ce_source` a publisher to `topic` sets: the owner, or the (first) gateway writing it, with `system` after a slash if given. */
export function sourceFor(topic: string, system?: string): string {
  if (!isTopicName(topic)) throw new Error(`${topic} is not a Postrade topic: it has no owner to publish as`);
  const writer = writersOf(topic)[0];
  return system && isGatewayName(writer) ? `${writer}/${system}` : writer;
}

/** Every principal the broker knows, besides its administrator. */
export const KAFKA_PRINCIPALS: readonly (ServiceName | GatewayName)[] = Object.freeze([...SERVICE_NAMES, ...GATEWAY_NAMES]);
