/**
 * The checks every statement and blotter form shares (XML, CSV, JSON): each value is checked where
 * it enters, and a bad one is recorded against the field that names it (`lines[12].quantity`,
 * `line 13: quantity`, `line 42: Bal/Amt`) so that the sender can find and fix it.
 */
import { Decimal, DEFAULT_DECIMAL_DIGITS, DomainError, LocalDate, validateIsin, type DecimalStringCheck, type FieldError } from '@postrade/kernel';

/** A statement (or blotter) with more lines than this is refused unless the caller says otherwise. */
export const DEFAULT_MAX_LINES = 2_000_000;

/**
 * How many field errors one refusal reports at most: enough to fix a file in one go, few enough
 * that a file that is wrong throughout does not become a megabyte of problem+json.
 */
export const MAX_REPORTED_ERRORS = 100;

/** Text fields (ids, references, accounts): ISO 20022 allows 35 characters for most; the service takes up to 100. */
export const MAX_TEXT_LENGTH = 100;

export interface ParseOptions {
  /** Refuse a statement or blotter with more lines than this (default {@link DEFAULT_MAX_LINES}). */
  maxLines?: number;
  /**
   * How ISINs are checked: `check-digit` (default) with the kernel's full validation (prefix and Luhn
   * check digit); `pattern` only the ISO 20022 ISIN pattern (two letters, nine letters or digits, a
   * digit), for test files whose placeholder ISINs carry no valid check digit.
   */
  isinCheck?: 'check-digit' | 'pattern';
}

/** Where a check records what is wrong with a field. */
export interface ErrorSink {
  add(field: string, message: string): void;
}

/** Collects field errors and throws them together, stopping early once there are enough to act on. */
export class FieldErrors implements ErrorSink {
  readonly errors: FieldError[] = [];

  add(field: string, message: string): void {
    this.errors.push({ field, message });
    if (this.errors.length >= MAX_REPORTED_ERRORS) throw this.toError();
  }

  get any(): boolean {
    return this.errors.length > 0;
  }

  throwIfAny(): void {
    if (this.errors.length > 0) throw this.toError();
  }

  toError(): DomainError {
    return DomainError.invalidFields(this.errors);
  }
}

/**
 * The errors of one row or line, named by column: the full field name (`line 13: quantity`,
 * `lines[12].quantity`) is put together only when there is an error, from the position the parser
 * is at. One per parse, not one per row.
 */
export class RowErrors implements ErrorSink {
  constructor(
    private readonly errors: ErrorSink,
    private readonly fieldOf: (column: string) => string,
  ) {}

  add(column: string, message: string): void {
    this.errors.add(this.fieldOf(column), message);
  }
}

/** Throws at once: for errors after which nothing else in the input can be trusted (malformed syntax, size). */
export function refuse(field: string, message: string): never {
  throw DomainError.invalidFields([{ field, message }]);
}

export function maxLinesOf(options: ParseOptions): number {
  const max = options.maxLines ?? DEFAULT_MAX_LINES;
  if (!Number.isInteger(max) || max < 0) throw DomainError.invalid('maxLines', 'must be a whole number of lines, 0 or more');
  return max;
}

export type Sign = 'any' | 'positive' | 'non-negative';

const ZERO = /^-?0+(\.0+)?$/;

/**
 * The kernel's checkDecimalString, by hand: the same verdicts (the spec compares them), without the
 * regular expression and split it allocates for, which a million-line statement calls two million
 * times.
 */
export function boundedDecimal(value: unknown): DecimalStringCheck {
  if (typeof value !== 'string') return 'not-a-decimal-string';
  const { integerDigits, fractionDigits } = DEFAULT_DECIMAL_DIGITS;
  if (value.length > integerDigits + fractionDigits + 2) return 'too-many-digits';
  let i = value.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const integerStart = i;
  while (i < value.length && value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) i += 1;
  const integerCount = i - integerStart;
  if (integerCount === 0) return 'not-a-decimal-string';
  let fractionCount = 0;
  if (i < value.length) {
    if (value.charCodeAt(i) !== 46 /* . */) return 'not-a-decimal-string';
    i += 1;
    const fractionStart = i;
    while (i < value.length && value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) i += 1;
    fractionCount = i - fractionStart;
    if (fractionCount === 0 || i < value.length) return 'not-a-decimal-string';
  }
  return integerCount > integerDigits || fractionCount > fractionDigits ? 'too-many-digits' : 'ok';
}

/**
 * A bounded decimal string (at most 18 integer and 12 fraction digits, canonical form) as a
 * Decimal, or null after recording why not. The length is checked before anything else, so a
 * megabyte of digits costs nothing.
 */
export function decimalField(value: unknown, field: string, errors: ErrorSink, sign: Sign = 'any'): Decimal | null {
  if (typeof value === 'number') {
    errors.add(field, 'must be a decimal string such as "189.25", not a JSON number (a number may already have lost digits)');
    return null;
  }
  const check = boundedDecimal(value);
  if (check === 'too-many-digits') {
    errors.add(field, 'has too many digits: at most 18 before the decimal point and 12 after it');
    return null;
  }
  if (check !== 'ok') {
    errors.add(field, `${describe(value)} is not a decimal string (digits, an optional leading "-" and an optional "." fraction)`);
    return null;
  }
  const text = value as string;
  if (sign !== 'any') {
    const negative = text.startsWith('-') && !ZERO.test(text);
    if (negative || (sign === 'positive' && ZERO.test(text))) {
      errors.add(field, sign === 'positive' ? 'must be greater than zero' : 'must not be negative');
      return null;
    }
  }
  if (text.length > MAX_SHARED_DECIMAL_LENGTH) return new Decimal(text);
  let decimal = sharedDecimals.get(text);
  if (decimal === undefined) {
    decimal = new Decimal(text);
    if (sharedDecimals.size < MAX_SHARED_DECIMALS) sharedDecimals.set(text, decimal);
  }
  return decimal;
}

/**
 * Short decimals (quantities such as 100 or 1000, small amounts) repeat across a statement's lines:
 * they share one Decimal (a Decimal never changes: every operation returns a new one). A million
 * lines then hold fewer objects for the garbage collector to trace.
 */
const sharedDecimals = new Map<string, Decimal>();
const MAX_SHARED_DECIMALS = 20_000;
const MAX_SHARED_DECIMAL_LENGTH = 8;

const ISIN_PATTERN = /^[A-Z]{2}[A-Z0-9]{9}[0-9]$/;

/**
 * ISIN checks are cached: a statement repeats the same few thousand ISINs over a million lines, and
 * a Luhn check per line would be much of the parse time. The cache also gives back one string per
 * ISIN, so that a million lines do not hold a million copies.
 */
const isinVerdicts = new Map<string, { isin: string; reason: string | null }>();
const MAX_CACHED_ISINS = 100_000;

export function isinField(value: unknown, field: string, errors: ErrorSink, check: ParseOptions['isinCheck'] = 'check-digit'): string | null {
  if (typeof value !== 'string') {
    errors.add(field, 'must be an ISIN (a string)');
    return null;
  }
  let verdict = isinVerdicts.get(value);
  if (verdict === undefined) {
    verdict = { isin: value, reason: validateIsin(value) };
    if (isinVerdicts.size >= MAX_CACHED_ISINS) isinVerdicts.clear();
    if (value.length === 12) isinVerdicts.set(value, verdict);
  }
  // The pattern alone, for test files whose placeholder ISINs have no valid prefix or check digit.
  const reason = check === 'pattern' ? (ISIN_PATTERN.test(value) ? null : 'must be an ISIN: two letters, nine letters or digits and a check digit') : verdict.reason;
  if (reason !== null) {
    errors.add(field, `${describe(value)}: ${reason}`);
    return null;
  }
  return verdict.isin;
}

const CURRENCY = /^[A-Z]{3}$/;

/** Currencies seen, each kept once (a million lines in EUR hold one "EUR"). */
const currencies = new Map<string, string>();

export function currencyField(value: unknown, field: string, errors: ErrorSink): string | null {
  if (typeof value === 'string') {
    const known = currencies.get(value);
    if (known !== undefined) return known;
  }
  if (typeof value !== 'string' || !CURRENCY.test(value)) {
    errors.add(field, `${describe(value)} is not a currency code (three upper-case letters, ISO 4217)`);
    return null;
  }
  if (currencies.size < 20_000) currencies.set(value, value);
  return value;
}

/** Dates checked, each kept once: a statement's lines share a few dates. */
const dateVerdicts = new Map<string, string | null>();
const MAX_CACHED_DATES = 10_000;

/** A real calendar date written YYYY-MM-DD ('2025-02-29' is not one). */
export function dateField(value: unknown, field: string, errors: ErrorSink): string | null {
  if (typeof value !== 'string') {
    errors.add(field, 'must be a date string in the form YYYY-MM-DD');
    return null;
  }
  let date = dateVerdicts.get(value);
  if (date === undefined) {
    date = LocalDate.isValid(value) ? value : null;
    if (dateVerdicts.size >= MAX_CACHED_DATES) dateVerdicts.clear();
    if (value.length === 10) dateVerdicts.set(value, date);
  }
  if (date === null) {
    errors.add(field, `${describe(value)} is not a real date in the form YYYY-MM-DD`);
    return null;
  }
  return date;
}

// Control characters (C0, DEL, C1) never belong in an id and would corrupt logs and CSV output.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** An identifier or reference: non-empty, at most `max` characters, no surrounding spaces or control characters. */
export function textField(value: unknown, field: string, errors: ErrorSink, max = MAX_TEXT_LENGTH): string | null {
  if (typeof value !== 'string') {
    errors.add(field, 'must be a string');
    return null;
  }
  if (value.length === 0) {
    errors.add(field, 'must not be empty');
    return null;
  }
  if (value.length > max) {
    errors.add(field, `must be at most ${max} characters, got ${value.length}`);
    return null;
  }
  if (value.trim() !== value) {
    errors.add(field, 'must not start or end with spaces');
    return null;
  }
  if (CONTROL.test(value)) {
    errors.add(field, 'must not contain control characters');
    return null;
  }
  return value;
}

/** One of `allowed` (the allowed string itself is returned, not the input's copy). */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, errors: ErrorSink): T | null {
  const index = typeof value === 'string' ? (allowed as readonly string[]).indexOf(value) : -1;
  if (index === -1) {
    errors.add(field, `${describe(value)} must be one of ${allowed.join(', ')}`);
    return null;
  }
  return allowed[index];
}

/** A value quoted for an error message, cut short so that a huge value does not become a huge message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
