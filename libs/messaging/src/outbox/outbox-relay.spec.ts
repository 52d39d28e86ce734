import { isTooLargeForBroker, withinBytes } from './outbox-relay';

const row = (kb: number, key = 'k') => ({ payload: 'x'.repeat(kb * 1024), message_key: key });

describe('the outbox relay sends at most so many bytes at once', () => {
  it('takes the leading rows that fit, in order, and leaves the rest for the next send', () => {
    const rows = Array.from({ length: 1000 }, () => row(3));
    const first = withinBytes(rows, 512 * 1024);
    expect(first.length).toBeGreaterThan(100);
    expect(first.length).toBeLessThan(200);
    expect(first).toEqual(rows.slice(0, first.length));
  });

  it('takes every row when they all fit', () => {
    const rows = Array.from({ length: 10 }, () => row(1));
    expect(withinBytes(rows, 512 * 1024)).toHaveLength(10);
  });

  it('always takes one row, even one larger than the budget, so that the relay moves on', () => {
    expect(withinBytes([row(900), row(1)], 512 * 1024)).toHaveLength(1);
  });
});

describe('a send the broker refuses for good', () => {
  it('is recognised through the errors kafkajs wraps it in, and only the size refusals are', () => {
    const protocol = Object.assign(new Error('The request included a message larger than the max message size the server will accept'), { type: 'MESSAGE_TOO_LARGE' });
    const wrapped = Object.assign(new Error('wrapped'), { name: 'KafkaJSNonRetriableError', cause: protocol });
    expect(isTooLargeForBroker(wrapped)).toBe(true);
    expect(isTooLargeForBroker(Object.assign(new Error('batch too large'), { type: 'RECORD_LIST_TOO_LARGE' }))).toBe(true);
    expect(isTooLargeForBroker(Object.assign(new Error('not leader'), { type: 'NOT_LEADER_FOR_PARTITION' }))).toBe(false);
    expect(isTooLargeForBroker(new Error('Connection error: connect ECONNREFUSED'))).toBe(false);
  });
});
