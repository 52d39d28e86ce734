/**
 * Writes the settlement calendars in libs/kernel/src/calendars/data/*.json from the published
 * holiday rules of each market. Run once per extension of the covered years:
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register tools/calendars/generate.ts [firstYear lastYear]
 *
 * The JSON files, not this script, are what the platform reads. A closure announced at short
 * notice (a day of mourning, a royal event) is added to the JSON by hand and to ONE_OFF_CLOSURES
 * here, so that a later run does not drop it. Review the diff of every run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalDate } from '@postrade/kernel';

interface Closure {
  date: LocalDate;
  name: string;
}

const [firstYear, lastYear] = process.argv.length >= 4 ? [Number(process.argv[2]), Number(process.argv[3])] : [2020, 2030];
const DATA_DIR = join(__dirname, '..', '..', 'libs', 'kernel', 'src', 'calendars', 'data');

const SUNDAY = 0;
const MONDAY = 1;
const THURSDAY = 4;
const SATURDAY = 6;

function nthWeekday(year: number, month: number, weekday: number, n: number): LocalDate {
  const first = LocalDate.of(year, month, 1);
  const offset = (weekday - LocalDate.dayOfWeek(first) + 7) % 7;
  return LocalDate.addDays(first, offset + 7 * (n - 1));
}

function lastWeekday(year: number, month: number, weekday: number): LocalDate {
  const nextMonthFirst = month === 12 ? LocalDate.of(year + 1, 1, 1) : LocalDate.of(year, month + 1, 1);
  const last = LocalDate.addDays(nextMonthFirst, -1);
  return LocalDate.addDays(last, -((LocalDate.dayOfWeek(last) - weekday + 7) % 7));
}

/** Gregorian Easter Sunday (the anonymous "Meeus/Jones/Butcher" computus). */
function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return LocalDate.of(year, month, day);
}

const isWeekday = (date: LocalDate) => !LocalDate.isWeekend(date);

// ---------------------------------------------------------------- US: NYSE ∪ Federal Reserve

interface UsHoliday {
  name: string;
  date: LocalDate;
  nyse: boolean;
  fed: boolean;
}

function usHolidays(year: number): UsHoliday[] {
  const holidays: UsHoliday[] = [
    { name: "New Year's Day", date: LocalDate.of(year, 1, 1), nyse: true, fed: true },
    { name: 'Martin Luther King Jr. Day', date: nthWeekday(year, 1, MONDAY, 3), nyse: true, fed: true },
    { name: "Washington's Birthday", date: nthWeekday(year, 2, MONDAY, 3), nyse: true, fed: true },
    { name: 'Good Friday', date: LocalDate.addDays(easterSunday(year), -2), nyse: true, fed: false },
    { name: 'Memorial Day', date: lastWeekday(year, 5, MONDAY), nyse: true, fed: true },
    { name: 'Independence Day', date: LocalDate.of(year, 7, 4), nyse: true, fed: true },
    { name: 'Labor Day', date: nthWeekday(year, 9, MONDAY, 1), nyse: true, fed: true },
    { name: 'Columbus Day', date: nthWeekday(year, 10, MONDAY, 2), nyse: false, fed: true },
    { name: 'Veterans Day', date: LocalDate.of(year, 11, 11), nyse: false, fed: true },
    { name: 'Thanksgiving Day', date: nthWeekday(year, 11, THURSDAY, 4), nyse: true, fed: true },
    { name: 'Christmas Day', date: LocalDate.of(year, 12, 25), nyse: true, fed: true },
  ];
  // Juneteenth became a federal holiday on 2021-06-17; the Fed and the NYSE first closed for it in 2022.
  if (year >= 2022) holidays.push({ name: 'Juneteenth National Independence Day', date: LocalDate.of(year, 6, 19), nyse: true, fed: true });
  return holidays;
}

function usClosures(year: number): Closure[] {
  const closures = new Map<LocalDate, { name: string; nyse: boolean; fed: boolean }>();
  const close = (date: LocalDate, name: string, by: 'nyse' | 'fed') => {
    const entry = closures.get(date) ?? { name, nyse: false, fed: false };
    entry[by] = true;
    closures.set(date, entry);
  };
  for (const holiday of usHolidays(year)) {
    const day = LocalDate.dayOfWeek(holiday.date);
    if (holiday.nyse) {
      // NYSE Rule 7.2: Sunday → Monday; Saturday → the Friday before, except New Year's Day
      // (the Friday is the last trading day of the year and stays open).
      if (day === SUNDAY) close(LocalDate.addDays(holiday.date, 1), `${holiday.name} (observed)`, 'nyse');
      else if (day === SATURDAY && holiday.name !== "New Year's Day") close(LocalDate.addDays(holiday.date, -1), `${holiday.name} (observed)`, 'nyse');
      else if (isWeekday(holiday.date)) close(holiday.date, holiday.name, 'nyse');
    }
    if (holiday.fed) {
      // Federal Reserve Banks: Sunday → Monday; a Saturday holiday is not moved, the Friday is open.
      if (day === SUNDAY) close(LocalDate.addDays(holiday.date, 1), `${holiday.name} (observed)`, 'fed');
      else if (isWeekday(holiday.date)) close(holiday.date, holiday.name, 'fed');
    }
  }
  for (const oneOff of ONE_OFF_CLOSURES.US) {
    if (LocalDate.year(oneOff.date) === year) close(oneOff.date, oneOff.name, 'nyse');
  }
  return [...closures.entries()].map(([date, { name, nyse, fed }]) => ({
    date,
    name: nyse && fed ? name : nyse ? `${name}; NYSE closed, Federal Reserve open` : `${name}; Federal Reserve closed, NYSE open`,
  }));
}

// ---------------------------------------------------------------- EU: TARGET2 / T2

function euClosures(year: number): Closure[] {
  const easter = easterSunday(year);
  return [
    { date: LocalDate.of(year, 1, 1), name: "New Year's Day" },
    { date: LocalDate.addDays(easter, -2), name: 'Good Friday' },
    { date: LocalDate.addDays(easter, 1), name: 'Easter Monday' },
    { date: LocalDate.of(year, 5, 1), name: 'Labour Day' },
    { date: LocalDate.of(year, 12, 25), name: 'Christmas Day' },
    { date: LocalDate.of(year, 12, 26), name: 'Christmas Holiday' },
  ];
}

// ---------------------------------------------------------------- UK: England and Wales bank holidays

/** Weekday holidays stand; a weekend one moves to the next weekday that is not already a holiday. */
function withSubstituteDays(holidays: Closure[]): Closure[] {
  const taken = new Set(holidays.filter((h) => isWeekday(h.date)).map((h) => h.date));
  const result = holidays.filter((h) => isWeekday(h.date));
  for (const holiday of holidays.filter((h) => !isWeekday(h.date))) {
    let substitute = LocalDate.addDays(holiday.date, 1);
    while (!isWeekday(substitute) || taken.has(substitute)) substitute = LocalDate.addDays(substitute, 1);
    taken.add(substitute);
    result.push({ date: substitute, name: `${holiday.name} (substitute day)` });
  }
  return result;
}

function ukClosures(year: number): Closure[] {
  const easter = easterSunday(year);
  const closures: Closure[] = [
    ...withSubstituteDays([{ date: LocalDate.of(year, 1, 1), name: "New Year's Day" }]),
    { date: LocalDate.addDays(easter, -2), name: 'Good Friday' },
    { date: LocalDate.addDays(easter, 1), name: 'Easter Monday' },
    // 2020: the early May bank holiday was moved to Friday 8 May for the 75th anniversary of VE Day.
    year === 2020
      ? { date: LocalDate.of(2020, 5, 8), name: 'Early May bank holiday (VE Day)' }
      : { date: nthWeekday(year, 5, MONDAY, 1), name: 'Early May bank holiday' },
    // 2022: the spring bank holiday was moved to Thursday 2 June for the Platinum Jubilee.
    year === 2022
      ? { date: LocalDate.of(2022, 6, 2), name: 'Spring bank holiday' }
      : { date: lastWeekday(year, 5, MONDAY), name: 'Spring bank holiday' },
    { date: lastWeekday(year, 8, MONDAY), name: 'Summer bank holiday' },
    ...withSubstituteDays([
      { date: LocalDate.of(year, 12, 25), name: 'Christmas Day' },
      { date: LocalDate.of(year, 12, 26), name: 'Boxing Day' },
    ]),
  ];
  return [...closures, ...ONE_OFF_CLOSURES.UK.filter((c) => LocalDate.year(c.date) === year)];
}

// ---------------------------------------------------------------- CH: SIX Swiss Exchange / SIC

function chClosures(year: number): Closure[] {
  const easter = easterSunday(year);
  return [
    { date: LocalDate.of(year, 1, 1), name: "New Year's Day" },
    { date: LocalDate.of(year, 1, 2), name: "Berchtold's Day" },
    { date: LocalDate.addDays(easter, -2), name: 'Good Friday' },
    { date: LocalDate.addDays(easter, 1), name: 'Easter Monday' },
    { date: LocalDate.of(year, 5, 1), name: 'Labour Day' },
    { date: LocalDate.addDays(easter, 39), name: 'Ascension Day' },
    { date: LocalDate.addDays(easter, 50), name: 'Whit Monday' },
    { date: LocalDate.of(year, 8, 1), name: 'Swiss National Day' },
    { date: LocalDate.of(year, 12, 24), name: 'Christmas Eve' },
    { date: LocalDate.of(year, 12, 25), name: 'Christmas Day' },
    { date: LocalDate.of(year, 12, 26), name: "St. Stephen's Day" },
    { date: LocalDate.of(year, 12, 31), name: "New Year's Eve" },
  ];
}

// ---------------------------------------------------------------- JP: JPX / BOJ-NET

/**
 * The equinox days are fixed each February for the following year by the National Astronomical
 * Observatory; this is the standard approximation, exact for every announced year 1980–2026.
 */
function equinoxDay(year: number, base: number): number {
  return Math.floor(base + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4));
}

/** Act on National Holidays, with the Olympic moves of 2020 and 2021. */
function japaneseNationalHolidays(year: number): Closure[] {
  const olympicMoves: Record<number, { marine: LocalDate; sports: LocalDate; mountain: LocalDate }> = {
    2020: { marine: '2020-07-23', sports: '2020-07-24', mountain: '2020-08-10' },
    2021: { marine: '2021-07-22', sports: '2021-07-23', mountain: '2021-08-08' },
  };
  const moved = olympicMoves[year];
  return [
    { date: LocalDate.of(year, 1, 1), name: "New Year's Day" },
    { date: nthWeekday(year, 1, MONDAY, 2), name: 'Coming of Age Day' },
    { date: LocalDate.of(year, 2, 11), name: 'National Foundation Day' },
    { date: LocalDate.of(year, 2, 23), name: "Emperor's Birthday" },
    { date: LocalDate.of(year, 3, equinoxDay(year, 20.8431)), name: 'Vernal Equinox Day' },
    { date: LocalDate.of(year, 4, 29), name: 'Showa Day' },
    { date: LocalDate.of(year, 5, 3), name: 'Constitution Memorial Day' },
    { date: LocalDate.of(year, 5, 4), name: 'Greenery Day' },
    { date: LocalDate.of(year, 5, 5), name: "Children's Day" },
    { date: moved?.marine ?? nthWeekday(year, 7, MONDAY, 3), name: 'Marine Day' },
    { date: moved?.mountain ?? LocalDate.of(year, 8, 11), name: 'Mountain Day' },
    { date: nthWeekday(year, 9, MONDAY, 3), name: 'Respect for the Aged Day' },
    { date: LocalDate.of(year, 9, equinoxDay(year, 23.2488)), name: 'Autumnal Equinox Day' },
    { date: moved?.sports ?? nthWeekday(year, 10, MONDAY, 2), name: 'Sports Day' },
    { date: LocalDate.of(year, 11, 3), name: 'Culture Day' },
    { date: LocalDate.of(year, 11, 23), name: 'Labour Thanksgiving Day' },
  ];
}

function jpClosures(year: number): Closure[] {
  const national = japaneseNationalHolidays(year);
  const nationalDates = new Set(national.map((h) => h.date));
  const holidays = [...national];
  // Substitute holiday: a national holiday on a Sunday makes the next day that is not one a holiday.
  for (const holiday of national.filter((h) => LocalDate.dayOfWeek(h.date) === SUNDAY)) {
    let substitute = LocalDate.addDays(holiday.date, 1);
    while (nationalDates.has(substitute)) substitute = LocalDate.addDays(substitute, 1);
    holidays.push({ date: substitute, name: `Substitute holiday for ${holiday.name}` });
  }
  // Citizens' holiday: an ordinary day between two national holidays (September, some years).
  for (const holiday of national) {
    const between = LocalDate.addDays(holiday.date, 1);
    if (!nationalDates.has(between) && nationalDates.has(LocalDate.addDays(between, 1)) && LocalDate.year(between) === year) {
      holidays.push({ date: between, name: "Citizens' holiday" });
    }
  }
  const exchangeClosures: Closure[] = [
    { date: LocalDate.of(year, 1, 2), name: 'Market holiday (New Year)' },
    { date: LocalDate.of(year, 1, 3), name: 'Market holiday (New Year)' },
    { date: LocalDate.of(year, 12, 31), name: 'Market holiday (year end)' },
  ];
  const byDate = new Map<LocalDate, string>();
  for (const closure of [...holidays, ...exchangeClosures]) {
    if (!byDate.has(closure.date)) byDate.set(closure.date, closure.name);
  }
  return [...byDate.entries()].map(([date, name]) => ({ date, name }));
}

// ---------------------------------------------------------------- one-off closures and output

const ONE_OFF_CLOSURES: Record<'US' | 'UK', Closure[]> = {
  US: [{ date: '2025-01-09', name: 'National Day of Mourning for former President Jimmy Carter' }],
  UK: [
    { date: '2022-06-03', name: 'Platinum Jubilee bank holiday' },
    { date: '2022-09-19', name: 'Bank holiday for the State Funeral of Queen Elizabeth II' },
    { date: '2023-05-08', name: 'Bank holiday for the Coronation of King Charles III' },
  ],
};

interface CalendarFile {
  market: string;
  source: string;
  description: string;
  firstYear: number;
  lastYear: number;
  closures: Closure[];
}

const CALENDARS: { file: string; market: string; source: string; description: string; closuresOf: (year: number) => Closure[] }[] = [
  {
    file: 'us.json',
    market: 'US',
    source:
      'NYSE holidays (NYSE Rule 7.2 and NYSE notices, incl. the 2025-01-09 National Day of Mourning) united with the Federal Reserve Banks holiday schedule (federalreserve.gov, "Holidays Observed by the Federal Reserve System"). Generated by tools/calendars/generate.ts; 2025-2027 checked against python-holidays XNYS snapshot and pandas_market_calendars SIFMA tests.',
    description:
      'US settlement calendar: weekdays on which the NYSE is closed for the full day or the Federal Reserve Banks are closed. Columbus Day and Veterans Day are trading days but not settlement days; Good Friday is neither.',
    closuresOf: usClosures,
  },
  {
    file: 'eu.json',
    market: 'EU',
    source:
      'ECB: TARGET2 / T2 closing days (ecb.europa.eu, "TARGET holidays"). Generated by tools/calendars/generate.ts; 2025-2027 checked against python-holidays XECB snapshot.',
    description: "EU settlement calendar: TARGET2 closing days (New Year's Day, Good Friday, Easter Monday, 1 May, 25 and 26 December).",
    closuresOf: euClosures,
  },
  {
    file: 'uk.json',
    market: 'UK',
    source:
      'GOV.UK bank holidays, England and Wales (gov.uk/bank-holidays), incl. substitute days and the proclaimed one-off bank holidays of 2020, 2022 and 2023. Generated by tools/calendars/generate.ts; 2025-2027 checked against python-holidays GB_ENG snapshot.',
    description: 'UK settlement calendar: England and Wales bank holidays (the days the London Stock Exchange, CREST and CHAPS are closed).',
    closuresOf: ukClosures,
  },
  {
    file: 'ch.json',
    market: 'CH',
    source:
      'SIX Swiss Exchange trading and settlement holidays (SIX SIS / SIC): 1 and 2 January, Good Friday, Easter Monday, 1 May, Ascension, Whit Monday, 1 August, 24, 25, 26 and 31 December. Generated by tools/calendars/generate.ts.',
    description: 'CH settlement calendar: SIX Swiss Exchange / SIC settlement holidays.',
    closuresOf: chClosures,
  },
  {
    file: 'jp.json',
    market: 'JP',
    source:
      'Japan Exchange Group market holidays (jpx.co.jp: 1-3 January, 31 December, national holidays) and the Act on National Holidays (Cabinet Office), incl. substitute and citizens\' holidays and the 2020/2021 Olympic moves of Marine, Sports and Mountain Day. Equinox days after 2026 are the astronomical prediction until the Cabinet Office announces them. Generated by tools/calendars/generate.ts.',
    description: 'JP settlement calendar: JPX / BOJ-NET closing days.',
    closuresOf: jpClosures,
  },
];

/** One closure per line, so that a hand edit or a regenerated year reads as a one-line diff. */
function toJson({ closures, ...header }: CalendarFile): string {
  const head = JSON.stringify(header, null, 2).replace(/\n}$/, '');
  const rows = closures.map((c) => `    ${JSON.stringify({ date: c.date, name: c.name })}`);
  return `${head},\n  "closures": [\n${rows.join(',\n')}\n  ]\n}\n`;
}

for (const calendar of CALENDARS) {
  const closures: Closure[] = [];
  for (let year = firstYear; year <= lastYear; year++) closures.push(...calendar.closuresOf(year));
  const content: CalendarFile = {
    market: calendar.market,
    source: calendar.source,
    description: calendar.description,
    firstYear,
    lastYear,
    // Weekend closures change nothing (weekends are never settlement days), so they are left out.
    closures: closures.filter((c) => isWeekday(c.date)).sort((a, b) => LocalDate.compare(a.date, b.date)),
  };
  writeFileSync(join(DATA_DIR, calendar.file), toJson(content));
  console.log(`${calendar.file}: ${content.closures.length} closures ${firstYear}-${lastYear}`);
}
