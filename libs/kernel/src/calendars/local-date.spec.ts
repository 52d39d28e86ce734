import { DomainError } from '../errors';
import { LocalDate } from './local-date';

describe('LocalDate', () => {
  it.each(['2025-01-01', '2024-02-29', '2000-02-29', '2030-12-31', '0001-01-01'])('accepts the real calendar date %s', (date) => {
    expect(LocalDate.isValid(date)).toBe(true);
    expect(LocalDate.parse(date)).toBe(date);
  });

  it.each(['2025-02-29', '1900-02-29', '2025-13-01', '2025-00-10', '2025-04-31', '2025-1-5', '25-01-05', '2025-01-05T00:00:00Z', ' 2025-01-05', '', '2025/01/05'])(
    'rejects "%s": strict YYYY-MM-DD and a day that exists',
    (date) => {
      expect(LocalDate.isValid(date)).toBe(false);
      expect(() => LocalDate.parse(date, 'tradeDate')).toThrow(expect.objectContaining({ kind: 'invalid', errors: [expect.objectContaining({ field: 'tradeDate' })] }));
    },
  );

  it('rejects a Date object or a number instead of a string', () => {
    expect(LocalDate.isValid(new Date())).toBe(false);
    expect(() => LocalDate.parse(20250105)).toThrow(DomainError);
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(LocalDate.addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(LocalDate.addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(LocalDate.addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(LocalDate.addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(LocalDate.addDays('2025-03-29', 365)).toBe('2026-03-29');
  });

  it('is not moved by daylight-saving changes (the local zone never enters the arithmetic)', () => {
    // 2025-03-30 and 2025-10-26 are the EU clock changes; 2025-03-09 and 2025-11-02 the US ones.
    expect(LocalDate.addDays('2025-03-29', 1)).toBe('2025-03-30');
    expect(LocalDate.addDays('2025-03-30', 1)).toBe('2025-03-31');
    expect(LocalDate.addDays('2025-10-26', 1)).toBe('2025-10-27');
    expect(LocalDate.addDays('2025-11-02', 1)).toBe('2025-11-03');
    expect(LocalDate.daysBetween('2025-01-01', '2026-01-01')).toBe(365);
  });

  it('knows the day of the week', () => {
    expect(LocalDate.dayOfWeek('2025-04-18')).toBe(5);
    expect(LocalDate.dayOfWeek('2024-05-25')).toBe(6);
    expect(LocalDate.dayOfWeek('2024-05-26')).toBe(0);
    expect(LocalDate.isWeekend('2024-05-25')).toBe(true);
    expect(LocalDate.isWeekend('2024-05-27')).toBe(false);
  });

  it('compares chronologically', () => {
    expect(LocalDate.compare('2025-01-09', '2025-01-10')).toBe(-1);
    expect(LocalDate.compare('2025-01-10', '2025-01-10')).toBe(0);
    expect(LocalDate.compare('2026-01-01', '2025-12-31')).toBe(1);
    expect(LocalDate.isBefore('2024-12-31', '2025-01-01')).toBe(true);
    expect(LocalDate.isAfter('2024-12-31', '2025-01-01')).toBe(false);
  });

  it("takes today's date in UTC, whatever the local time zone says", () => {
    expect(LocalDate.todayUtc(new Date('2025-06-30T23:59:59.999Z'))).toBe('2025-06-30');
    expect(LocalDate.todayUtc(new Date('2025-07-01T00:00:00-05:00'))).toBe('2025-07-01');
  });

  it('builds a date from its parts and refuses an impossible one', () => {
    expect(LocalDate.of(2027, 10, 11)).toBe('2027-10-11');
    expect(() => LocalDate.of(2027, 2, 30)).toThrow(DomainError);
  });
});
