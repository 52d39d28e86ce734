import { LocalDate } from './local-date';
import { everyMarketToday, marketToday } from './market-time-zone';

describe("marketToday: the one business today, each market's own", () => {
  it('is already tomorrow in Tokyo at 23:30 UTC, while UTC is still on today', () => {
    const now = new Date('2026-12-07T23:30:00Z');
    expect(marketToday('JP', now)).toBe('2026-12-08');
    expect(LocalDate.todayUtc(now)).toBe('2026-12-07');
  });

  it('is still yesterday in New York at 01:00 UTC', () => {
    expect(marketToday('US', new Date('2026-12-08T01:00:00Z'))).toBe('2026-12-07');
  });

  it('follows daylight saving time: London is UTC+1 in summer, so 23:30 UTC is already tomorrow there', () => {
    expect(marketToday('UK', new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02');
    expect(marketToday('UK', new Date('2026-12-01T23:30:00Z'))).toBe('2026-12-01');
  });

  it('crosses a year end by the market clock', () => {
    expect(marketToday('CH', new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(marketToday('US', new Date('2027-01-01T03:00:00Z'))).toBe('2026-12-31');
  });
});

describe('everyMarketToday', () => {
  it('is the earliest market date: New York still on Monday at 03:00 UTC Tuesday, while Tokyo is on Tuesday', () => {
    expect(everyMarketToday(new Date('2026-12-08T03:00:00Z'))).toBe('2026-12-07');
    expect(marketToday('JP', new Date('2026-12-08T03:00:00Z'))).toBe('2026-12-08');
  });

  it('is the UTC date once New York has reached it', () => {
    expect(everyMarketToday(new Date('2026-12-08T12:00:00Z'))).toBe('2026-12-08');
  });
});
