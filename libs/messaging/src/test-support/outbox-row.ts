import type { OutboxRow } from '../outbox/outbox';

/** An outbox row as the relay reads it, for unit tests (not compiled into the build: `test-support`). */
export const outboxRow = (overrides: Partial<OutboxRow> = {}): OutboxRow => ({
  position: '1',
  event_id: '0b7f3a52-4a3e-4c5e-9d1e-7f3c2a1b0c9d',
  topic: 'matching.results.v1',
  message_key: 'trade-1',
  event_type: 'postrade.match.matched.v1',
  headers: null,
  source: 'confirmation-matching',
  event_time: '2026-11-30T15:22:25.948Z',
  subject: null,
  correlation_id: null,
  causation_id: null,
  payload: '{}',
  ...overrides,
});
