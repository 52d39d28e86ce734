import { retentionChunkStatement } from '@postrade/messaging';
import { matchingRetentionRules } from './matching-retention';

const DAY = 86_400_000;

describe("matching's retention rules", () => {
  it('keeps closed pairs 90 days after they last changed and Idempotency-Keys a week, unless configured with a unit', () => {
    expect(matchingRetentionRules({}).map((r) => [r.name, r.horizonMs])).toEqual([
      ['closed matches', 90 * DAY],
      ['cancelled confirmations', 90 * DAY],
      ['confirmation Idempotency-Keys', 7 * DAY],
    ]);
    const configured = matchingRetentionRules({ MATCHING_RETENTION: '30d', MATCHING_IDEMPOTENCY_KEY_RETENTION: '36h' });
    expect(configured.map((r) => r.horizonMs)).toEqual([30 * DAY, 30 * DAY, 36 * 3_600_000]);
  });

  it('refuses the old unit-suffixed convention: a bare number', () => {
    expect(() => matchingRetentionRules({ MATCHING_RETENTION: '90' })).toThrow(/MATCHING_RETENTION="90" must be a duration/);
  });

  it('removes only affirmed or cancelled trades, never an open one, and their paired confirmation with them', () => {
    const [closed] = matchingRetentionRules({});
    expect(closed).toMatchObject({ table: 'trades', timestampColumn: 'updated_at', where: "match_status in ('AFFIRMED', 'CANCELLED')" });
    for (const open of ['UNMATCHED', 'MISMATCHED', 'MATCHED', 'ALLEGED']) expect(closed.where).not.toContain(open);
    const cancelled = matchingRetentionRules({}).find((r) => r.name === 'cancelled confirmations')!;
    expect(cancelled).toMatchObject({ table: 'confirmations', where: "match_status = 'CANCELLED' and trade_id is null" });
    for (const open of ['UNMATCHED', 'MISMATCHED', 'MATCHED', 'ALLEGED']) expect(cancelled.where).not.toContain(open);
    expect(retentionChunkStatement(closed)).toContain(
      'delete from confirmations d using gone where d.sender_lei = gone.counterparty_lei and d.confirmation_id = gone.confirmation_id and d.trade_id = gone.trade_id',
    );
  });
});
