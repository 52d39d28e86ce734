import { fromHeaders } from '@postrade/contracts';
import type { EntityManager } from 'typeorm';
import { headersOf, Outbox } from './outbox';
import { outboxRow as row } from '../test-support/outbox-row';


describe('the headers the relay publishes an outbox row with', () => {
  it('builds the CloudEvents headers of an envelope row, the subject defaulting to the key', () => {
    expect(headersOf(row())).toEqual({
      ce_specversion: '1.0',
      ce_id: '0b7f3a52-4a3e-4c5e-9d1e-7f3c2a1b0c9d',
      ce_source: 'confirmation-matching',
      ce_type: 'postrade.match.matched.v1',
      ce_time: '2026-11-30T15:22:25.948Z',
      ce_subject: 'trade-1',
      'content-type': 'application/json',
    });
  });

  it('carries a subject other than the key, and correlation and causation ids, which a consumer reads back', () => {
    const headers = headersOf(row({ subject: 'confirmation-7', correlation_id: 'corr-1', causation_id: 'cause-1' }));
    expect(fromHeaders(headers)).toMatchObject({ subject: 'confirmation-7', correlationId: 'corr-1', causationId: 'cause-1', source: 'confirmation-matching' });
  });

  it('publishes a verbatim row (a dead-letter copy) with the headers it was stored with', () => {
    const stored = { ce_id: 'not-ours', dlq_error: 'not JSON' };
    expect(headersOf(row({ headers: stored, source: null, event_time: null }))).toBe(stored);
  });
});

describe('adding events to the outbox', () => {
  const em = () => {
    const queries: unknown[][] = [];
    return { queries, em: { query: async (_sql: string, params: unknown[]) => void queries.push(params) } as unknown as EntityManager };
  };

  it('refuses an event without a type or a subject before writing anything, naming the header', async () => {
    const { queries, em: manager } = em();
    const outbox = new Outbox('confirmation-matching', 'matching');
    await expect(outbox.add(manager, [{ topic: 't', key: 'k', type: 'x.v1', data: {} }, { topic: 't', key: 'k', type: ' ', data: {} }])).rejects.toMatchObject({
      errors: [{ field: 'ce_type' }],
    });
    await expect(outbox.add(manager, { topic: 't', key: '', type: 'x.v1', data: {} })).rejects.toMatchObject({ errors: [{ field: 'ce_subject' }] });
    expect(queries).toHaveLength(0);
  });

  it('stores a subject only where it differs from the key, and one source and time for the call', async () => {
    const { queries, em: manager } = em();
    const envelopes = await new Outbox('confirmation-matching', 'matching').add(manager, [
      { topic: 't', key: 'trade-1', type: 'x.v1', data: { a: 1 } },
      { topic: 't', key: 'trade-2', subject: 'confirmation-9', type: 'x.v1', data: { a: 2 } },
    ]);
    const [ids, , keys, , source, time, subjects, , , payloads] = queries[0];
    expect(ids).toEqual(envelopes.map((e) => e.id));
    expect(keys).toEqual(['trade-1', 'trade-2']);
    expect([source, time]).toEqual(['confirmation-matching', envelopes[0].time]);
    expect(subjects).toEqual([null, 'confirmation-9']);
    expect(payloads).toEqual(['{"a":1}', '{"a":2}']);
  });
});
