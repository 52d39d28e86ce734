import { DomainError } from '@postrade/kernel';
import { SERVICE_NAMES, isServiceName, type ServiceName } from '../services';

/** Kafka topic names, v1. Names follow `<owner>.<stream>.v<major>`; inbound topics from outside are `<stream>.inbound.v1`. */
export const Topics = {
  tradesInbound: 'trades.inbound.v1',
  tradeCaptureTrades: 'trade-capture.trades.v1',
  tradeCaptureReferenceData: 'trade-capture.reference-data.v1',
  tradeCaptureAcks: 'trade-capture.acks.v1',
  confirmationsInbound: 'confirmations.inbound.v1',
  matchingResults: 'matching.results.v1',
  complianceDecisions: 'compliance.decisions.v1',
  settlementStatusInbound: 'settlement.status.inbound.v1',
  settlementEvents: 'settlement.events.v1',
  settlementInstructionsOutbound: 'settlement.instructions.outbound.v1',
  ledgerEvents: 'ledger.events.v1',
  statementsInbound: 'statements.inbound.v1',
  reconciliationBreaks: 'reconciliation.breaks.v1',
  auditAnchors: 'audit.anchors.v1',
  tradeCaptureDlq: 'trade-capture.dlq.v1',
  confirmationMatchingDlq: 'confirmation-matching.dlq.v1',
  settlementDlq: 'settlement.dlq.v1',
  ledgerDlq: 'ledger.dlq.v1',
  complianceDlq: 'compliance.dlq.v1',
  reconciliationDlq: 'reconciliation.dlq.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];
export type DlqTopicName = `${ServiceName}.dlq.v1`;

export const DEFAULT_STREAM_PARTITIONS = 6;
export const DEFAULT_DLQ_PARTITIONS = 3;

export interface TopicDefinition {
  readonly name: TopicName;
  /** Default partition count; the launcher may override it (see `topicDefinitionsWith`). */
  readonly partitions: number;
  /**
   * The service answerable for the topic: the producer of an internal stream, the consumer of a
   * topic fed from outside (`*.inbound.v1`), the failing consumer of a DLQ.
   */
  readonly owner: ServiceName;
  readonly kind: 'stream' | 'dlq';
  /** What the message key is; events of one aggregate share a key and so a partition. */
  readonly key: string;
  readonly description: string;
  /** Topic-level configuration the launcher sets when it creates the topic (e.g. retention). */
  readonly config?: Readonly<Record<string, string>>;
}

function stream(name: TopicName, owner: ServiceName, key: string, description: string): TopicDefinition {
  return Object.freeze({ name, partitions: DEFAULT_STREAM_PARTITIONS, owner, kind: 'stream', key, description });
}

/** The dead-letter topic a service's consumers write to. */
export function dlqTopicFor(service: ServiceName): DlqTopicName {
  // Callers often pass a name read from configuration; fail loudly rather than create a stray topic.
  if (!isServiceName(service)) {
    throw DomainError.invalid('serviceName', `must be one of ${SERVICE_NAMES.join(', ')}, got "${String(service)}"`);
  }
  return `${service}.dlq.v1`;
}

function dlq(owner: ServiceName): TopicDefinition {
  return Object.freeze({
    name: dlqTopicFor(owner),
    partitions: DEFAULT_DLQ_PARTITIONS,
    owner,
    kind: 'dlq',
    key: 'the original key',
    description: `Messages ${owner} could not parse, validate or process after bounded retries: original key, type and value, with dlq_* headers.`,
  });
}

/** Every topic of API.md, as the launcher creates them at start-up (topics are never auto-created). */
export const TOPIC_DEFINITIONS: readonly TopicDefinition[] = Object.freeze([
  stream(Topics.tradesInbound, 'trade-capture', 'sourceTradeId', 'Trades reported by upstream systems: the trade submission plus action, version and reason.'),
  stream(Topics.tradeCaptureTrades, 'trade-capture', 'tradeId', 'Captured, amended and cancelled trades: the full enriched trade resource.'),
  stream(Topics.tradeCaptureAcks, 'trade-capture', 'sourceSystem:sourceTradeId', 'One acknowledgement per message on trades.inbound.v1: ACCEPTED, REPLAYED, PARKED or REJECTED with the reasons.'),
  stream(Topics.tradeCaptureReferenceData, 'trade-capture', 'LEI or ISIN', 'Every reference-data change: instruments, counterparties, our legal entities, SSIs.'),
  stream(Topics.confirmationsInbound, 'confirmation-matching', 'senderLei', 'Counterparty confirmations received from outside.'),
  stream(Topics.matchingResults, 'confirmation-matching', 'tradeId', 'Match status changes: the match resource.'),
  stream(Topics.complianceDecisions, 'compliance', 'tradeId', 'Screening outcomes: cleared, held, released, rejected.'),
  stream(Topics.settlementStatusInbound, 'settlement', 'instructionId', 'Custodian status updates for settlement instructions.'),
  stream(Topics.settlementEvents, 'settlement', 'instructionId', 'Instruction lifecycle: instructed, (partially) settled, failed, cancelled, penalties.'),
  stream(Topics.settlementInstructionsOutbound, 'settlement', 'instructionId', 'Instructions for the custodian, with their sese.023 XML.'),
  stream(Topics.ledgerEvents, 'ledger', 'tradeId', 'Journal entries posted.'),
  stream(Topics.statementsInbound, 'reconciliation', 'account', 'Custodian, CSD and cash statements received from outside: the JSON statement form of POST /statements.'),
  stream(Topics.reconciliationBreaks, 'reconciliation', 'breakId', 'Reconciliation breaks opened, changed and closed: the break resource.'),
  // Append-only record of the chain heads of the ledger's journal and the audit trails (docs/anchors.md):
  // kept forever, never compacted, so a rewrite of a database is found against what was published.
  Object.freeze({
    ...stream(
      Topics.auditAnchors,
      'ledger',
      'service/schema/trail',
      "Signed chain heads of the ledger's journal and of compliance's and reconciliation's audit trails, published on a timer and on demand (docs/anchors.md).",
    ),
    config: Object.freeze({ 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' }),
  }),
  ...SERVICE_NAMES.map(dlq),
]);

export interface PartitionOverrides {
  /** Partitions of every stream topic not named in `topics`. */
  streams?: number;
  /** Partitions of every DLQ not named in `topics`. */
  dlqs?: number;
  /** Per-topic partition counts; they win over `streams` and `dlqs`. */
  topics?: Partial<Record<TopicName, number>>;
}

/** `TOPIC_DEFINITIONS` with partition counts overridden, e.g. by the launcher from its configuration. */
export function topicDefinitionsWith(overrides: PartitionOverrides): TopicDefinition[] {
  const checked = (field: string, n: number | undefined): number | undefined => {
    if (n !== undefined && !(Number.isInteger(n) && n >= 1)) {
      throw DomainError.invalid(field, `must be a whole number of partitions, at least 1, got ${String(n)}`);
    }
    return n;
  };
  const streams = checked('streams', overrides.streams);
  const dlqs = checked('dlqs', overrides.dlqs);
  for (const name of Object.keys(overrides.topics ?? {})) {
    if (!isTopicName(name)) throw DomainError.invalid(`topics.${name}`, 'is not a Postrade topic');
  }
  return TOPIC_DEFINITIONS.map((definition) => {
    const perTopic = checked(`topics.${definition.name}`, overrides.topics?.[definition.name]);
    const byKind = definition.kind === 'dlq' ? dlqs : streams;
    return { ...definition, partitions: perTopic ?? byKind ?? definition.partitions };
  });
}

export function isTopicName(value: string): value is TopicName {
  return TOPIC_DEFINITIONS.some((definition) => definition.name === value);
}

export function topicDefinition(name: TopicName): TopicDefinition {
  const definition = TOPIC_DEFINITIONS.find((d) => d.name === name);
  if (!definition) throw DomainError.notFound('Topic', name);
  return definition;
}
