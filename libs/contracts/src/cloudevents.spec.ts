import { DomainError } from '@postrade/kernel';
import {
  CloudEventHeaders,
  DlqHeaders,
  fromDlqHeaders,
  fromHeaders,
  toDlqHeaders,
  toHeaders,
  type EventAttributes,
  type EventEnvelope,
} from './cloudevents';

const attributes = (overrides: Partial<EventAttributes> = {}): EventAttributes => ({
  id: '6f1d7c1e-2c35-4d64-9d7e-2f0a4b6f0b11',
  source: 'trade-capture',
  type: 'postrade.trade.captured.v1',
  time: '2026-11-23T14:30:05.123Z',
  subject: '0b8f7e2a-54a3-4a0e-9a1f-3c2d1e0f9a8b',
  correlationId: 'req-42',
  causationId: 'a7c2e9d4-1111-4a0e-9a1f-000000000001',
  ...overrides,
});

function invalidField(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.errors[0]?.field;
    throw err;
  }
  return undefined;
}

describe('CloudEvents headers', () => {
  it('round-trips every attribute through headers', () => {
    expect(fromHeaders(toHeaders(attributes()))).toEqual(attributes());
  });

  it('round-trips headers that arrive as Buffers, as Kafka delivers them', () => {
    const asBuffers = Object.fromEntries(Object.entries(toHeaders(attributes())).map(([k, v]) => [k, Buffer.from(v)]));
    expect(fromHeaders(asBuffers)).toEqual(attributes());
  });

  it('writes the CloudEvents binary-mode header names, spec version 1.0 and JSON content type', () => {
    expect(toHeaders(attributes())).toEqual({
      ce_specversion: '1.0',
      ce_id: attributes().id,
      ce_source: 'trade-capture',
      ce_type: 'postrade.trade.captured.v1',
      ce_time: '2026-11-23T14:30:05.123Z',
      ce_subject: attributes().subject,
      'content-type': 'application/json',
      ce_correlationid: 'req-42',
      ce_causationid: attributes().causationId,
    });
  });

  it('leaves out correlation and causation headers when there are none, and reads them back as absent', () => {
    const headers = toHeaders(attributes({ correlationId: undefined, causationId: undefined }));
    expect(headers).not.toHaveProperty(CloudEventHeaders.correlationId);
    expect(headers).not.toHaveProperty(CloudEventHeaders.causationId);
    expect(fromHeaders(headers)).not.toHaveProperty('correlationId');
  });

  it('accepts a whole envelope, ignoring its data', () => {
    const envelope: EventEnvelope<{ tradeId: string }> = { ...attributes(), data: { tradeId: 'x' } };
    expect(toHeaders(envelope)[CloudEventHeaders.id]).toBe(envelope.id);
  });

  it('rejects a message without ce_id, naming ce_id', () => {
    const headers: Record<string, string | undefined> = { ...toHeaders(attributes()), [CloudEventHeaders.id]: undefined };
    expect(() => fromHeaders(headers)).toThrow(DomainError);
    expect(invalidField(() => fromHeaders(headers))).toBe('ce_id');
  });

  it.each(['ce_source', 'ce_type', 'ce_time', 'ce_subject', 'ce_specversion'])('rejects a message without %s', (name) => {
    const headers: Record<string, string> = { ...toHeaders(attributes()) };
    delete headers[name];
    expect(invalidField(() => fromHeaders(headers))).toBe(name);
  });

  it.each(['evt-1', '6f1d7c1e2c354d649d7e2f0a4b6f0b11', '6f1d7c1e-2c35-4d64-9d7e-2f0a4b6f0b1', ' 6f1d7c1e-2c35-4d64-9d7e-2f0a4b6f0b11', '6f1d7c1e-2c35-4d64-9d7e-2f0a4b6f0b11; drop'])(
    'rejects a ce_id that is not a UUID: %j',
    (id) => {
      expect(invalidField(() => fromHeaders({ ...toHeaders(attributes()), ce_id: id }))).toBe('ce_id');
    },
  );

  it('says what a ce_id must be, without echoing an unbounded value', () => {
    expect(() => fromHeaders({ ...toHeaders(attributes()), ce_id: 'x'.repeat(10_000) })).toThrow(
      expect.objectContaining({ errors: [{ field: 'ce_id', message: `must be a UUID, got "${'x'.repeat(100)}"` }] }),
    );
  });

  it('accepts a UUID ce_id in upper case, as some producers write it', () => {
    const id = attributes().id.toUpperCase();
    expect(fromHeaders({ ...toHeaders(attributes()), ce_id: id }).id).toBe(id);
  });

  it('refuses to produce headers for an envelope whose id is not a UUID', () => {
    expect(invalidField(() => toHeaders(attributes({ id: 'evt-1' })))).toBe('ce_id');
  });

  it('rejects a message with no CloudEvents headers at all, naming the first missing one', () => {
    expect(invalidField(() => fromHeaders({}))).toBe('ce_specversion');
  });

  it('rejects an empty ce_id', () => {
    expect(invalidField(() => fromHeaders({ ...toHeaders(attributes()), ce_id: '' }))).toBe('ce_id');
  });

  it('rejects a spec version other than 1.0', () => {
    const headers = { ...toHeaders(attributes()), ce_specversion: '0.3' };
    expect(invalidField(() => fromHeaders(headers))).toBe('ce_specversion');
  });

  it('rejects a ce_time that is not an instant with offset', () => {
    expect(invalidField(() => fromHeaders({ ...toHeaders(attributes()), ce_time: '2026-11-23 14:30' }))).toBe('ce_time');
  });

  it('rejects a content type other than JSON, but accepts a charset parameter', () => {
    expect(invalidField(() => fromHeaders({ ...toHeaders(attributes()), 'content-type': 'application/xml' }))).toBe(
      'content-type',
    );
    expect(fromHeaders({ ...toHeaders(attributes()), 'content-type': 'application/json; charset=utf-8' })).toEqual(attributes());
  });

  it('rejects an attribute sent twice rather than guess which one is meant', () => {
    expect(invalidField(() => fromHeaders({ ...toHeaders(attributes()), ce_id: ['a', 'b'] }))).toBe('ce_id');
  });

  it('refuses to produce headers for an envelope without an id', () => {
    expect(invalidField(() => toHeaders(attributes({ id: '' })))).toBe('ce_id');
  });
});

describe('DLQ headers', () => {
  const info = {
    originalTopic: 'trade-capture.trades.v1',
    originalPartition: 4,
    originalOffset: '9007199254740993',
    error: 'price: must be a decimal string',
    attempts: 3,
    failedAt: '2026-11-23T14:31:00.000Z',
    consumerGroup: 'ledger',
  };

  it('round-trips, keeping a 64-bit offset exact', () => {
    expect(fromDlqHeaders(toDlqHeaders(info))).toEqual(info);
  });

  it('uses the dlq_* header names', () => {
    expect(Object.keys(toDlqHeaders(info)).sort()).toEqual(Object.values(DlqHeaders).sort());
    expect(Object.values(DlqHeaders).sort()).toEqual([
      'dlq_attempts',
      'dlq_consumer_group',
      'dlq_error',
      'dlq_failed_at',
      'dlq_original_offset',
      'dlq_original_partition',
      'dlq_original_topic',
    ]);
  });

  it('rejects a dead letter without its original topic', () => {
    const headers: Record<string, string> = toDlqHeaders(info);
    delete headers[DlqHeaders.originalTopic];
    expect(invalidField(() => fromDlqHeaders(headers))).toBe('dlq_original_topic');
  });
});
