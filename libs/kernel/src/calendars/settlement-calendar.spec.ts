import { join } from 'node:path';
import { DomainError } from '../errors';
import { readCsvFixture } from '../test-support/csv-fixture';
import { LocalDate } from './local-date';
import {
  addSettlementBusinessDays,
  isSettlementBusinessDay,
  nextSettlementBusinessDay,
  parseSettlementCalendar,
  SETTLEMENT_MARKETS,
  SettlementMarket,
  settlementBusinessDays,
  settlementCalendar,
  settlementClosureReason,
} from './settlement-calendar';

const fixture = (file: string) => readCsvFixture(join(__dirname, '__fixtures__', file));
const fullClosures = (file: string) => fixture(file).filter((row) => row.type === 'closed');
const weekdayClosures2025to2027 = (market: SettlementMarket) =>
  settlementCalendar(market)
    .closures.map((c) => c.date)
    .filter((date) => date >= '2025-01-01' && date <= '2027-12-31');

describe('settlement calendars', () => {
  describe('US: NYSE full-day closures united with Federal Reserve holidays', () => {
    it('closes on Columbus Day and Veterans Day (banks closed, exchange open)', () => {
      expect(isSettlementBusinessDay('US', '2025-10-13')).toBe(false);
      expect(isSettlementBusinessDay('US', '2025-11-11')).toBe(false);
    });

    it('closes on Good Friday (exchange closed, banks open)', () => {
      expect(isSettlementBusinessDay('US', '2025-04-18')).toBe(false);
    });

    it('closes on the 2025-01-09 National Day of Mourning for President Carter', () => {
      expect(isSettlementBusinessDay('US', '2025-01-09')).toBe(false);
    });

    it('closes the Friday before a Saturday holiday (NYSE) but not for New Year on a Saturday', () => {
      expect(isSettlementBusinessDay('US', '2026-07-03')).toBe(false);
      expect(isSettlementBusinessDay('US', '2027-12-24')).toBe(false);
      expect(isSettlementBusinessDay('US', '2021-12-31')).toBe(true);
      expect(isSettlementBusinessDay('US', '2027-12-31')).toBe(true);
    });

    it('does not move a Saturday Federal Reserve holiday: Friday 2023-11-10 settles', () => {
      expect(isSettlementBusinessDay('US', '2023-11-10')).toBe(true);
    });

    it('moves a Sunday holiday to Monday', () => {
      expect(isSettlementBusinessDay('US', '2022-06-20')).toBe(false);
      expect(isSettlementBusinessDay('US', '2023-01-02')).toBe(false);
    });

    it('closes for Juneteenth from 2022, when the Fed first observed it, and not on 2021-06-18', () => {
      expect(isSettlementBusinessDay('US', '2021-06-18')).toBe(true);
      expect(isSettlementBusinessDay('US', '2025-06-19')).toBe(false);
    });

    it.each(fullClosures('us_nyse_2025_2027.csv'))('is closed on NYSE full-day closure $date ($name)', ({ date }) => {
      expect(isSettlementBusinessDay('US', date)).toBe(false);
    });

    it.each(fullClosures('us_sifma_bond_market_2025_2027.csv'))('is closed on SIFMA full close $date ($name)', ({ date }) => {
      expect(isSettlementBusinessDay('US', date)).toBe(false);
    });

    it.each(fixture('us_nyse_2025_2027.csv').filter((row) => row.type === 'early_close'))(
      'settles on NYSE early-close day $date ($name)',
      ({ date }) => {
        expect(isSettlementBusinessDay('US', date)).toBe(true);
      },
    );

    it('closes in 2025–2027 only on NYSE full-day closures and on Columbus and Veterans Days', () => {
      const nyse = fullClosures('us_nyse_2025_2027.csv').map((row) => row.date);
      const bankOnly = ['2025-10-13', '2025-11-11', '2026-10-12', '2026-11-11', '2027-10-11', '2027-11-11'];
      expect(weekdayClosures2025to2027('US')).toEqual([...nyse, ...bankOnly].filter((d) => !LocalDate.isWeekend(d)).sort());
    });
  });

  describe('EU: TARGET2 closing days', () => {
    const ecb = fixture('eu_target2_ecb_2025_2027.csv');

    it.each(ecb)('is closed on $date ($name)', ({ date }) => {
      expect(isSettlementBusinessDay('EU', date)).toBe(false);
    });

    it('closes on exactly the ECB-listed weekdays of 2025–2027, no others', () => {
      expect(weekdayClosures2025to2027('EU')).toEqual(ecb.map((row) => row.date).filter((d) => !LocalDate.isWeekend(d)));
    });

    it('does not close for a national holiday outside TARGET2 (German Unity Day 2025-10-03)', () => {
      expect(isSettlementBusinessDay('EU', '2025-10-03')).toBe(true);
    });
  });

  describe('UK: England and Wales bank holidays', () => {
    const gov = fixture('uk_england_wales_bank_holidays_2025_2027.csv');

    it.each(gov)('is closed on $date ($name)', ({ date }) => {
      expect(isSettlementBusinessDay('UK', date)).toBe(false);
    });

    it('closes on exactly the listed weekdays of 2025–2027, substitute days included', () => {
      expect(weekdayClosures2025to2027('UK')).toEqual(gov.map((row) => row.date).filter((d) => !LocalDate.isWeekend(d)));
    });

    it.each([
      ['2020-05-08', 'VE Day (early May bank holiday moved)'],
      ['2022-06-02', 'spring bank holiday moved for the Platinum Jubilee'],
      ['2022-06-03', 'Platinum Jubilee bank holiday'],
      ['2022-09-19', 'State Funeral of Queen Elizabeth II'],
      ['2023-05-08', 'Coronation of King Charles III'],
    ])('is closed on the one-off %s (%s)', (date) => {
      expect(isSettlementBusinessDay('UK', date)).toBe(false);
    });

    it('keeps the days the one-offs replaced open: 2020-05-04 and 2022-05-30', () => {
      expect(isSettlementBusinessDay('UK', '2020-05-04')).toBe(true);
      expect(isSettlementBusinessDay('UK', '2022-05-30')).toBe(true);
    });
  });

  describe('CH: SIX / SIC settlement holidays', () => {
    it.each([
      ['2025-01-02', "Berchtold's Day"],
      ['2025-05-29', 'Ascension Day'],
      ['2025-06-09', 'Whit Monday'],
      ['2025-08-01', 'Swiss National Day'],
      ['2025-12-24', 'Christmas Eve'],
      ['2025-12-31', "New Year's Eve"],
    ])('is closed on %s (%s)', (date) => {
      expect(isSettlementBusinessDay('CH', date)).toBe(false);
    });
  });

  describe('JP: JPX / BOJ-NET closing days', () => {
    it.each([
      ['2025-01-02', 'JPX new-year closure'],
      ['2025-01-03', 'JPX new-year closure'],
      ['2025-12-31', 'JPX year-end closure'],
      ['2025-01-13', 'Coming of Age Day'],
      ['2025-02-24', "substitute holiday for the Emperor's Birthday on a Sunday"],
      ['2025-03-20', 'Vernal Equinox Day'],
      ['2025-05-06', "substitute holiday for Children's Day on a Sunday"],
      ['2026-09-22', "citizens' holiday between Respect for the Aged Day and the Autumnal Equinox"],
      ['2020-07-23', 'Marine Day moved for the Tokyo Olympics'],
      ['2020-07-24', 'Sports Day moved for the Tokyo Olympics'],
      ['2020-08-10', 'Mountain Day moved for the Tokyo Olympics'],
      ['2021-08-09', 'substitute for Mountain Day moved to Sunday 2021-08-08'],
    ])('is closed on %s (%s)', (date) => {
      expect(isSettlementBusinessDay('JP', date)).toBe(false);
    });

    it('is open on the days the Olympic moves vacated (2020-07-20, 2020-10-12, 2021-10-11)', () => {
      expect(isSettlementBusinessDay('JP', '2020-07-20')).toBe(true);
      expect(isSettlementBusinessDay('JP', '2020-10-12')).toBe(true);
      expect(isSettlementBusinessDay('JP', '2021-10-11')).toBe(true);
    });
  });

  describe.each(SETTLEMENT_MARKETS)('%s calendar data', (market) => {
    const calendar = settlementCalendar(market);

    it('names its source and covers 2020–2030', () => {
      expect(calendar.source).not.toHaveLength(0);
      expect([calendar.firstYear, calendar.lastYear]).toEqual([2020, 2030]);
    });

    it('never counts a weekend as a settlement day', () => {
      expect(isSettlementBusinessDay(market, '2025-06-14')).toBe(false);
      expect(isSettlementBusinessDay(market, '2025-06-15')).toBe(false);
      expect(settlementClosureReason(market, '2025-06-14')).toBe('Saturday');
    });

    it('lists closures in date order, each once', () => {
      const dates = calendar.closures.map((c) => c.date);
      expect(dates).toEqual([...new Set(dates)].sort());
    });
  });

  describe('business-day arithmetic', () => {
    it('counts from the day after: a Saturday trade at T+1 settles on the next business day', () => {
      expect(addSettlementBusinessDays('US', '2025-06-14', 1)).toBe('2025-06-16');
      expect(addSettlementBusinessDays('EU', '2025-04-19', 1)).toBe('2025-04-22');
    });

    it('skips weekends and closures', () => {
      expect(addSettlementBusinessDays('US', '2024-05-24', 2)).toBe('2024-05-29');
      expect(addSettlementBusinessDays('UK', '2027-12-24', 1)).toBe('2027-12-29');
    });

    it('T+0 is the day itself when it is a business day, otherwise the next one', () => {
      expect(addSettlementBusinessDays('US', '2025-06-16', 0)).toBe('2025-06-16');
      expect(addSettlementBusinessDays('US', '2025-04-18', 0)).toBe('2025-04-21');
    });

    it('rejects a negative or fractional number of days', () => {
      expect(() => addSettlementBusinessDays('US', '2025-06-16', -1)).toThrow(DomainError);
      expect(() => addSettlementBusinessDays('US', '2025-06-16', 1.5)).toThrow(DomainError);
    });

    it('finds the next business day strictly after a date', () => {
      expect(nextSettlementBusinessDay('US', '2025-04-17')).toBe('2025-04-21');
      expect(nextSettlementBusinessDay('JP', '2025-12-30')).toBe('2026-01-05');
    });

    it('lists business days in a range, both ends included', () => {
      expect(settlementBusinessDays('US', '2025-04-16', '2025-04-22')).toEqual(['2025-04-16', '2025-04-17', '2025-04-21', '2025-04-22']);
      expect(settlementBusinessDays('EU', '2025-04-18', '2025-04-21')).toEqual([]);
      expect(settlementBusinessDays('UK', '2025-06-16', '2025-06-16')).toEqual(['2025-06-16']);
    });

    it('rejects a range that ends before it starts, naming "to"', () => {
      expect(() => settlementBusinessDays('US', '2025-04-22', '2025-04-16')).toThrow(
        expect.objectContaining({ kind: 'invalid', errors: [expect.objectContaining({ field: 'to' })] }),
      );
    });
  });

  describe('coverage', () => {
    it.each([
      ['2019-12-31', 'before'],
      ['2031-01-02', 'after'],
    ])('rejects %s, %s the covered years, as an invalid date', (date) => {
      expect(() => isSettlementBusinessDay('US', date)).toThrow(
        expect.objectContaining({ kind: 'invalid', message: expect.stringContaining('covers 2020-2030') }),
      );
    });

    it('rejects arithmetic that would run past the last covered day', () => {
      expect(() => addSettlementBusinessDays('EU', '2030-12-31', 1)).toThrow(DomainError);
      expect(() => settlementBusinessDays('EU', '2030-12-01', '2031-01-31')).toThrow(
        expect.objectContaining({ errors: [expect.objectContaining({ field: 'to' })] }),
      );
    });

    it('rejects an unknown market and a malformed date', () => {
      expect(() => isSettlementBusinessDay('HK' as SettlementMarket, '2025-06-16')).toThrow(
        expect.objectContaining({ errors: [expect.objectContaining({ field: 'settlementMarket' })] }),
      );
      expect(() => isSettlementBusinessDay('US', '2025-6-16')).toThrow(DomainError);
    });
  });
});

describe('calendar files', () => {
  const valid = { market: 'EU', source: 'ECB', description: '', firstYear: 2020, lastYear: 2030, closures: [{ date: '2025-12-26', name: 'Christmas Holiday' }] };

  it('accepts a well-formed file', () => {
    expect(parseSettlementCalendar('EU', valid).closures).toHaveLength(1);
  });

  it.each([
    ['a closure date that does not exist', { ...valid, closures: [{ date: '2025-02-29', name: 'x' }] }, /not YYYY-MM-DD/],
    ['a closure outside the covered years', { ...valid, closures: [{ date: '2031-01-01', name: 'x' }] }, /outside 2020-2030/],
    ['the same date twice', { ...valid, closures: [...valid.closures, ...valid.closures] }, /listed twice/],
    ['a closure without a name', { ...valid, closures: [{ date: '2025-12-26', name: '' }] }, /no name/],
    ['no source', { ...valid, source: '' }, /source/],
    ['another market', { ...valid, market: 'UK' }, /market must be "EU"/],
  ])('refuses %s', (_problem, file, message) => {
    expect(() => parseSettlementCalendar('EU', file)).toThrow(message);
  });
});
