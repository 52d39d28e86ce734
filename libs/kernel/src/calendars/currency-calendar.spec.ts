import { addSettlementDays, isSettlementDay } from './currency-calendar';
import { actualSettlementCycle, intendedSettlementDate, settlementCycleFor, validateSettlementDate } from './settlement-cycle';
import { marketToday } from './market-time-zone';

describe('a settlement business day in the trade currency', () => {
  it('skips US Independence Day for a USD bond settling in the EU: traded Wednesday 2025-07-02, T+2 is Monday 2025-07-07', () => {
    expect(isSettlementDay('EU', 'USD', '2025-07-04')).toBe(false);
    expect(isSettlementDay('EU', 'EUR', '2025-07-04')).toBe(true);
    expect(intendedSettlementDate('EU', '2025-07-02', { assetClass: 'CORP_BOND', currency: 'USD' })).toBe('2025-07-07');
    expect(intendedSettlementDate('EU', '2025-07-02', { assetClass: 'CORP_BOND', currency: 'EUR' })).toBe('2025-07-04');
  });

  it('uses only the market calendar for the home currency or a currency without a calendar here', () => {
    expect(isSettlementDay('US', 'USD', '2025-07-04')).toBe(false);
    expect(isSettlementDay('EU', 'SEK', '2025-07-04')).toBe(true);
    expect(addSettlementDays('UK', 'GBP', '2025-12-24', 1)).toBe('2025-12-29');
  });

  it('rejects a given settlement date on a holiday of the currency, naming it', () => {
    expect(() => validateSettlementDate('EU', '2025-07-02', '2025-07-04', 'USD')).toThrow(
      expect.objectContaining({ errors: [{ field: 'settlementDate', message: expect.stringContaining('Independence Day') }] }),
    );
  });
});

describe('settlement cycle by market and asset class', () => {
  it('settles UK gilts T+1 throughout and other UK instruments T+2 until 2027-10-11', () => {
    expect(settlementCycleFor('UK', '2026-11-19', 'GOVT_BOND').label).toBe('T+1');
    expect(intendedSettlementDate('UK', '2026-11-19', { assetClass: 'GOVT_BOND', currency: 'GBP' })).toBe('2026-11-20');
    expect(settlementCycleFor('UK', '2027-10-08', 'EQUITY').label).toBe('T+2');
    expect(settlementCycleFor('UK', '2027-10-11', 'CORP_BOND').label).toBe('T+1');
  });

  it('settles US Treasuries T+1 before and after 2024-05-28, US equities, ETFs and corporates T+2 then T+1', () => {
    expect(settlementCycleFor('US', '2024-05-24', 'GOVT_BOND').label).toBe('T+1');
    for (const assetClass of ['EQUITY', 'ETF', 'CORP_BOND'] as const) {
      expect(settlementCycleFor('US', '2024-05-24', assetClass).label).toBe('T+2');
      expect(settlementCycleFor('US', '2024-05-28', assetClass).label).toBe('T+1');
    }
  });

  it('switches EU and CH from T+2 to T+1 on 2027-10-11 for every asset class', () => {
    for (const market of ['EU', 'CH'] as const) {
      for (const assetClass of ['EQUITY', 'GOVT_BOND'] as const) {
        expect(settlementCycleFor(market, '2027-10-08', assetClass).label).toBe('T+2');
        expect(settlementCycleFor(market, '2027-10-11', assetClass).label).toBe('T+1');
      }
    }
  });

  it('settles JP equities T+2 and JGBs T+1', () => {
    expect(settlementCycleFor('JP', '2026-03-02', 'EQUITY').label).toBe('T+2');
    expect(settlementCycleFor('JP', '2026-03-02', 'GOVT_BOND').label).toBe('T+1');
  });
});

describe('the cycle a given settlement date amounts to', () => {
  it('labels a settlement three business days after the trade date T+3, over a weekend', () => {
    expect(actualSettlementCycle('US', '2025-06-12', '2025-06-17').label).toBe('T+3');
  });

  it('labels a same-day settlement T+0', () => {
    expect(actualSettlementCycle('US', '2025-06-12', '2025-06-12').label).toBe('T+0');
  });
});

describe("today in the market's own time zone", () => {
  it('is already 2026-03-02 in Tokyo at 08:30 JST while it is still 2026-03-01 in UTC and New York', () => {
    const now = new Date('2026-03-01T23:30:00Z');
    expect(marketToday('JP', now)).toBe('2026-03-02');
    expect(marketToday('US', now)).toBe('2026-03-01');
  });

  it('follows daylight saving time in London and New York', () => {
    expect(marketToday('UK', new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02');
    expect(marketToday('US', new Date('2026-07-02T03:30:00Z'))).toBe('2026-07-01');
  });
});
