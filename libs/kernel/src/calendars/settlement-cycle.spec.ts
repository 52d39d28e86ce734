import fc from 'fast-check';
import { DomainError } from '../errors';
import { LocalDate } from './local-date';
import { isSettlementBusinessDay, SETTLEMENT_MARKETS } from './settlement-calendar';
import { intendedSettlementDate, settlementCycleFor, validateSettlementDate } from './settlement-cycle';

describe('settlement cycle', () => {
  it('is T+2 in the US for trades before 2024-05-28 and T+1 from that day', () => {
    expect(settlementCycleFor('US', '2024-05-24')).toEqual({ days: 2, label: 'T+2' });
    expect(settlementCycleFor('US', '2024-05-28')).toEqual({ days: 1, label: 'T+1' });
  });

  it.each(['EU', 'UK', 'CH'] as const)('is T+2 in %s before 2027-10-11 and T+1 from that day', (market) => {
    expect(settlementCycleFor(market, '2027-10-08').label).toBe('T+2');
    expect(settlementCycleFor(market, '2027-10-11').label).toBe('T+1');
  });

  it('is T+2 in Japan', () => {
    expect(settlementCycleFor('JP', '2020-01-06').label).toBe('T+2');
    expect(settlementCycleFor('JP', '2030-06-03').label).toBe('T+2');
  });
});

describe('intended settlement date', () => {
  it('settles a US Friday 2024-05-24 trade (T+2, over Memorial Day) and a Tuesday 2024-05-28 trade (T+1) on the same day', () => {
    expect(intendedSettlementDate('US', '2024-05-24')).toBe('2024-05-29');
    expect(intendedSettlementDate('US', '2024-05-28')).toBe('2024-05-29');
  });

  it('switches EU trades from T+2 to T+1 on 2027-10-11', () => {
    expect(intendedSettlementDate('EU', '2027-10-08')).toBe('2027-10-12');
    expect(intendedSettlementDate('EU', '2027-10-11')).toBe('2027-10-12');
  });

  it('settles a Saturday trade at T+1 on the next business day', () => {
    expect(intendedSettlementDate('US', '2025-06-14')).toBe('2025-06-16');
    expect(intendedSettlementDate('US', '2025-10-11')).toBe('2025-10-14');
  });

  it('skips Columbus Day in the US', () => {
    expect(intendedSettlementDate('US', '2025-10-10')).toBe('2025-10-14');
  });

  it('names tradeDate when the trade date is malformed or outside the calendar', () => {
    for (const tradeDate of ['2025-02-30', '2031-03-03']) {
      expect(() => intendedSettlementDate('US', tradeDate)).toThrow(
        expect.objectContaining({ errors: [expect.objectContaining({ field: 'tradeDate' })] }),
      );
    }
  });

  it('is always a settlement business day after the trade date, at most two weeks later', () => {
    const tradeDates = fc.integer({ min: 0, max: LocalDate.daysBetween('2020-01-01', '2030-12-13') }).map((offset) => LocalDate.addDays('2020-01-01', offset));
    fc.assert(
      fc.property(fc.constantFrom(...SETTLEMENT_MARKETS), tradeDates, (market, tradeDate) => {
        const settlementDate = intendedSettlementDate(market, tradeDate);
        expect(LocalDate.isAfter(settlementDate, tradeDate)).toBe(true);
        expect(isSettlementBusinessDay(market, settlementDate)).toBe(true);
        expect(LocalDate.daysBetween(tradeDate, settlementDate)).toBeLessThanOrEqual(14);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('a given settlement date', () => {
  it('is accepted on a settlement business day on or after the trade date', () => {
    expect(() => validateSettlementDate('US', '2025-06-16', '2025-06-16')).not.toThrow();
    expect(() => validateSettlementDate('US', '2025-06-16', '2025-06-20')).not.toThrow();
  });

  it('is rejected before the trade date', () => {
    expect(() => validateSettlementDate('US', '2025-06-16', '2025-06-13')).toThrow(
      expect.objectContaining({ kind: 'invalid', errors: [{ field: 'settlementDate', message: expect.stringContaining('before the trade date') }] }),
    );
  });

  it('is rejected on a closure, naming it', () => {
    expect(() => validateSettlementDate('US', '2025-11-10', '2025-11-11')).toThrow(
      expect.objectContaining({ errors: [{ field: 'settlementDate', message: expect.stringContaining('Veterans Day') }] }),
    );
  });

  it('is rejected on a weekend and outside the calendar, always naming settlementDate', () => {
    expect(() => validateSettlementDate('EU', '2025-06-13', '2025-06-14')).toThrow(DomainError);
    expect(() => validateSettlementDate('EU', '2030-12-30', '2031-01-02')).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field: 'settlementDate' })] }),
    );
  });
});
