import { DomainError } from '@postrade/kernel';

/**
 * CloudEvents 1.0 in Kafka binary mode: the value is the JSON payload, the attributes travel as
 * these headers (ARCHITECTURE.md, "Messaging").
 */
export const CloudEventHeaders = {
  specVersion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  time: 'ce_time',
  subject: 'ce_subject',
  contentType: 'content-type',
  correlationId: 'ce_correlationid',
  causationId: 'ce_causationid',
} as const;

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const EVENT_CONTENT_TYPE = 'application/json';

/** Headers a consumer adds when it moves a message to its `<service>.dlq.v1`; the original headers are kept. */
export const DlqHeaders = {
  originalTopic: 'dlq_original_topic',
  originalPartition: 'dlq_original_partition',
  originalOffset: 'dlq_original_offset',
  error: 'dlq_error',
  attempts: 'dlq_attempts',
  failedAt: 'dlq_failed_at',
  consumerGroup: 'dlq_consumer_group',
} as const;

export interface EventEnvelope<T = unknown> {
  /** A UUID, unique per event; consumers' inboxes are keyed by it. */
  id: string;
  /** The producing service, e.g. `trade-capture`. */
  source: string;
  /** e.g. `postrade.trade.captured.v1`. */
  type: string;
  /** ISO 8601 instant with offset. */
  time: string;
  /** The aggregate id, usually also the message key. */
  subject: string;
  /** The originating request or upstream message. */
  correlationId?: string;
  /** The id of the event that caused this one. */
  causationId?: string;
  data: T;
}

/** Everything of an envelope but its data: what travels in headers. */
export type EventAttributes = Omit<EventEnvelope, 'data'>;

/** Kafka header values as clients deliver them; a header sent twice arrives as an array. */
export type KafkaHeaderValue = string | Buffer | ReadonlyArray<string | Buffer> | undefined;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A required CloudEvents attribute's text: present and not blank, else `DomainError.invalid(header)`. */
export function requireText(header: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw DomainError.invalid(header, 'is required');
  return value;
}

function requireInstant(header: string, value: string | undefined): string {
  const text = requireText(header, value);
  if (!INSTANT.test(text) || Number.isNaN(Date.parse(text))) {
    throw DomainError.invalid(header, `must be an ISO 8601 instant with offset, got "${text}"`);
  }
  return text;
}

// Inboxes are keyed by the id: anything but a UUID could collide with another producer's ids, or
// fail only later, inside the consumer's transaction, as a database error that looks transient.
function requireUuid(header: string, value: string | undefined): string {
  const text = requireText(header, value);
  if (!UUID.test(text)) throw DomainError.invalid(header, `must be a UUID, got "${text.slice(0, 100)}"`);
  return text;
}

function checkedAttributes(raw: Partial<Record<keyof EventAttributes, string>>): EventAttributes {
  const attributes: EventAttributes = {
    id: requireUuid(CloudEventHeaders.id, raw.id),
    source: requireText(CloudEventHeaders.source, raw.source),
    type: requireText(CloudEventHeaders.type, raw.type),
    time: requireInstant(CloudEventHeaders.time, raw.time),
    subject: requireText(CloudEventHeaders.subject, raw.subject),
  };
  if (raw.correlationId !== undefined && raw.correlationId !== '') attributes.correlationId = raw.correlationId;
  if (raw.causationId !== undefined && raw.causationId !== '') attributes.causationId = raw.causationId;
  return attributes;
}

/** The Kafka headers of an event. Throws a `DomainError` when a required attribute is missing or the id is not a UUID. */
export function toHeaders(envelope: EventAttributes | EventEnvelope<unknown>): Record<string, string> {
  return checkedHeaders(checkedAttributes(envelope));
}

/**
 * The Kafka headers of attributes that were checked before (by `toHeaders`), without checking
 * them again: the outbox relay builds the headers of stored events with it.
 */
export function checkedHeaders(attributes: EventAttributes): Record<string, string> {
  const headers: Record<string, string> = {
    [CloudEventHeaders.specVersion]: CLOUDEVENTS_SPEC_VERSION,
    [CloudEventHeaders.id]: attributes.id,
    [CloudEventHeaders.source]: attributes.source,
    [CloudEventHeaders.type]: attributes.type,
    [CloudEventHeaders.time]: attributes.time,
    [CloudEventHeaders.subject]: attributes.subject,
    [CloudEventHeaders.contentType]: EVENT_CONTENT_TYPE,
  };
  if (attributes.correlationId !== undefined) headers[CloudEventHeaders.correlationId] = attributes.correlationId;
  if (attributes.causationId !== undefined) headers[CloudEventHeaders.causationId] = attributes.causationId;
  return headers;
}

function headerText(headers: Readonly<Record<string, KafkaHeaderValue>>, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  // Two values for one attribute cannot be resolved without guessing which one is meant.
  if (value.length !== 1) throw DomainError.invalid(name, `must appear once, appears ${value.length} times`);
  return headerText({ [name]: value[0] }, name);
}

/**
 * The envelope attributes of a consumed message. Throws `DomainError.invalid(<header>, …)` when a
 * required header is missing or empty, `ce_id` is not a UUID, `ce_specversion` is not 1.0, `ce_time`
 * is not an instant, or `content-type` is present and not JSON. The consumer treats that as
 * permanent: the message is dead-lettered at parse time, never retried. Does not check that `ce_type` is known: that is the consumer's call.
 */
export function fromHeaders(headers: Readonly<Record<string, KafkaHeaderValue>>): EventAttributes {
  const specVersion = requireText(CloudEventHeaders.specVersion, headerText(headers, CloudEventHeaders.specVersion));
  if (specVersion !== CLOUDEVENTS_SPEC_VERSION) {
    throw DomainError.invalid(CloudEventHeaders.specVersion, `must be "${CLOUDEVENTS_SPEC_VERSION}", got "${specVersion}"`);
  }
  const contentType = headerText(headers, CloudEventHeaders.contentType);
  if (contentType !== undefined && contentType.split(';')[0].trim().toLowerCase() !== EVENT_CONTENT_TYPE) {
    throw DomainError.invalid(CloudEventHeaders.contentType, `must be ${EVENT_CONTENT_TYPE}, got "${contentType}"`);
  }
  return checkedAttributes({
    id: headerText(headers, CloudEventHeaders.id),
    source: headerText(headers, CloudEventHeaders.source),
    type: headerText(headers, CloudEventHeaders.type),
    time: headerText(headers, CloudEventHeaders.time),
    subject: headerText(headers, CloudEventHeaders.subject),
    correlationId: headerText(headers, CloudEventHeaders.correlationId),
    causationId: headerText(headers, CloudEventHeaders.causationId),
  });
}

/** Why and where a message failed, as recorded in its `dlq_*` headers. */
export interface DeadLetterInfo {
  originalTopic: string;
  originalPartition: number;
  /** Kafka offsets are 64-bit: kept as the decimal string Kafka clients use. */
  originalOffset: string;
  error: string;
  attempts: number;
  /** ISO 8601 instant with offset. */
  failedAt: string;
  consumerGroup: string;
}

/** The `dlq_*` headers to add to the original headers of a dead-lettered message. */
export function toDlqHeaders(info: DeadLetterInfo): Record<string, string> {
  return {
    [DlqHeaders.originalTopic]: info.originalTopic,
    [DlqHeaders.originalPartition]: String(info.originalPartition),
    [DlqHeaders.originalOffset]: info.originalOffset,
    [DlqHeaders.error]: info.error,
    [DlqHeaders.attempts]: String(info.attempts),
    [DlqHeaders.failedAt]: info.failedAt,
    [DlqHeaders.consumerGroup]: info.consumerGroup,
  };
}

/** The `dlq_*` headers of a dead-lettered message, e.g. to replay it; throws when one is missing or malformed. */
export function fromDlqHeaders(headers: Readonly<Record<string, KafkaHeaderValue>>): DeadLetterInfo {
  const text = (name: string) => requireText(name, headerText(headers, name));
  const count = (name: string, min: number) => {
    const value = text(name);
    if (!/^\d+$/.test(value) || Number(value) < min) throw DomainError.invalid(name, `must be a whole number ≥ ${min}, got "${value}"`);
    return Number(value);
  };
  const offset = text(DlqHeaders.originalOffset);
  if (!/^\d+$/.test(offset)) throw DomainError.invalid(DlqHeaders.originalOffset, `must be a whole number, got "${offset}"`);
  return {
    originalTopic: text(DlqHeaders.originalTopic),
    originalPartition: count(DlqHeaders.originalPartition, 0),
    originalOffset: offset,
    error: text(DlqHeaders.error),
    attempts: count(DlqHeaders.attempts, 1),
    failedAt: requireInstant(DlqHeaders.failedAt, headerText(headers, DlqHeaders.failedAt)),
    consumerGroup: text(DlqHeaders.consumerGroup),
  };
}
