import { isSettlementBusinessDay, SETTLEMENT_MARKETS } from '@postrade/kernel';
import { marketsClosing, marketsThatReached } from './settlement-day';

describe('which markets a settlement day close covers: each market by its own today, never UTC', () => {
  const TUESDAY = '2026-12-08';

  it('is an open settlement day in every market (the premise of the cases below)', () => {
    expect(SETTLEMENT_MARKETS.every((m) => isSettlementBusinessDay(m, TUESDAY))).toBe(true);
  });

  it('closes Tokyo on its tomorrow at 22:30 UTC, while UTC would call the day the future', () => {
    const now = new Date('2026-12-07T22:30:00Z'); // 07:30 on Tuesday in Tokyo, 23:30 on Monday in Frankfurt
    expect(marketsThatReached(TUESDAY, now)).toEqual(['JP']);
    expect(marketsClosing(TUESDAY, now)).toEqual(['JP']);
  });

  it('closes Frankfurt and Zurich too at 23:30 UTC, already past their midnight, but neither London nor New York', () => {
    expect(marketsClosing(TUESDAY, new Date('2026-12-07T23:30:00Z'))).toEqual(['EU', 'CH', 'JP']);
  });

  it('leaves New York out at 01:00 UTC, when it is still yesterday there, while UTC would include it', () => {
    const now = new Date('2026-12-08T01:00:00Z'); // 20:00 on Monday in New York
    expect(marketsClosing(TUESDAY, now)).toEqual(['EU', 'UK', 'CH', 'JP']);
    expect(marketsClosing('2026-12-07', now)).toEqual([...SETTLEMENT_MARKETS]);
  });

  it('covers no market before the day has begun anywhere', () => {
    expect(marketsThatReached(TUESDAY, new Date('2026-12-07T14:00:00Z'))).toEqual([]);
  });

  it('leaves out a market where the day is not a settlement business day, although it has begun there', () => {
    const christmas = '2026-12-25';
    const now = new Date('2026-12-26T12:00:00Z');
    expect(marketsThatReached(christmas, now)).toEqual([...SETTLEMENT_MARKETS]);
    expect(marketsClosing(christmas, now)).toEqual(SETTLEMENT_MARKETS.filter((m) => isSettlementBusinessDay(m, christmas)));
    expect(marketsClosing(christmas, now)).not.toContain('UK');
  });
});
