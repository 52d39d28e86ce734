import {
  checkDecimalString,
  Decimal,
  DomainError,
  SETTLEMENT_AMOUNT_TOLERANCE_THRESHOLD,
  settlementAmountTolerance,
  toDecimalString,
  type FieldError,
  withinTolerance,
} from '@postrade/kernel';

/**
 * How far the two sides may differ and still agree, per break type. DOMAIN.md: positions and
 * transaction quantities exact, amounts within the market's matching tolerance, penalties 0.01;
 * every figure configurable per type. Decimals are `Decimal` here and decimal strings in JSON.
 */

/** MATCHING: the settlement amount tolerance of the kernel (2 units up to 100,000, 25 above). */
export type AmountTolerance = { kind: 'MATCHING' } | { kind: 'ABSOLUTE'; value: Decimal };

export const TRANSACTION_MATCH_KEYS = ['INSTRUCTION_ID', 'ATTRIBUTES'] as const;
export type TransactionMatchKey = (typeof TRANSACTION_MATCH_KEYS)[number];

export const TRADE_FIELDS = ['isin', 'side', 'quantity', 'price', 'currency', 'counterpartyLei'] as const;
export type TradeField = (typeof TRADE_FIELDS)[number];

export interface PositionTolerances {
  quantity: Decimal;
}

export interface CashTolerances {
  amount: AmountTolerance;
}

export interface TransactionTolerances {
  quantity: Decimal;
  amount: AmountTolerance;
  /** How many settlement business days of the account's market the two settlement dates may lie apart; 0 = the same date. */
  settlementDateBusinessDays: number;
  /** The matching passes, in the order they run. */
  keys: readonly TransactionMatchKey[];
}

export interface PenaltyTolerances {
  amount: AmountTolerance;
}

export interface TradeTolerances {
  quantity: Decimal;
  price: Decimal;
  /** The blotter fields compared; the others are not looked at. */
  fields: readonly TradeField[];
}

export interface ReconciliationConfig {
  POSITION: PositionTolerances;
  CASH: CashTolerances;
  TRANSACTION: TransactionTolerances;
  PENALTY: PenaltyTolerances;
  TRADE: TradeTolerances;
}

const ZERO = new Decimal(0);

export const DEFAULT_RECONCILIATION_CONFIG: ReconciliationConfig = Object.freeze({
  POSITION: Object.freeze({ quantity: ZERO }),
  CASH: Object.freeze({ amount: Object.freeze({ kind: 'MATCHING' as const }) }),
  TRANSACTION: Object.freeze({
    quantity: ZERO,
    amount: Object.freeze({ kind: 'MATCHING' as const }),
    settlementDateBusinessDays: 0,
    keys: Object.freeze([...TRANSACTION_MATCH_KEYS]),
  }),
  PENALTY: Object.freeze({ amount: Object.freeze({ kind: 'ABSOLUTE' as const, value: new Decimal('0.01') }) }),
  TRADE: Object.freeze({ quantity: ZERO, price: ZERO, fields: Object.freeze([...TRADE_FIELDS]) }),
});

/** The tolerance an amount rule allows around `basis` (the amount the MATCHING tier is chosen on). */
export function amountTolerance(rule: AmountTolerance, basis: Decimal): Decimal {
  return rule.kind === 'MATCHING' ? settlementAmountTolerance(basis) : rule.value;
}

/** Whether two amounts agree under the rule, its MATCHING tier chosen on `basis` (our amount unless we have none). */
export function amountsAgree(rule: AmountTolerance, ours: Decimal, theirs: Decimal, basis: Decimal = ours): boolean {
  // Only an amount that differs needs its tolerance worked out (withinTolerance sees equal ones first).
  return withinTolerance(ours, theirs, ZERO) || withinTolerance(ours, theirs, amountTolerance(rule, basis));
}

/** The widest tolerance a rule can yield, whatever the amount: what a lookup grid must be at least as wide as. */
export function widestAmountTolerance(rule: AmountTolerance): Decimal {
  return rule.kind === 'MATCHING' ? settlementAmountTolerance(SETTLEMENT_AMOUNT_TOLERANCE_THRESHOLD.plus(1)) : rule.value;
}

/** A longer window is a different statement, not a tolerance; also bounds the calendar walk. */
export const MAX_SETTLEMENT_DATE_BUSINESS_DAYS = 30;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads the stored form field by field, collecting every problem with its path before throwing. */
class ConfigReader {
  readonly errors: FieldError[] = [];

  fail(field: string, message: string): void {
    this.errors.push({ field, message });
  }

  section(json: Json, type: keyof ReconciliationConfig, allowed: readonly string[]): Json | null {
    const value = json[type];
    if (value === undefined) return null;
    if (!isObject(value)) {
      this.fail(type, 'must be an object');
      return null;
    }
    for (const field of Object.keys(value)) {
      if (!allowed.includes(field)) this.fail(`${type}.${field}`, `is not a setting of ${type} (${allowed.join(', ')})`);
    }
    return value;
  }

  tolerance(value: unknown, path: string, fallback: Decimal): Decimal {
    if (value === undefined) return fallback;
    const check = checkDecimalString(value);
    if (check !== 'ok') {
      this.fail(path, check === 'too-many-digits' ? 'has too many digits' : 'must be a decimal string such as "0.01"');
      return fallback;
    }
    const tolerance = new Decimal(value as string);
    if (tolerance.isNegative() && !tolerance.isZero()) {
      this.fail(path, 'must be zero or more');
      return fallback;
    }
    return tolerance;
  }

  amount(value: unknown, path: string, fallback: AmountTolerance): AmountTolerance {
    if (value === undefined) return fallback;
    if (!isObject(value)) {
      this.fail(path, 'must be { "kind": "MATCHING" } or { "kind": "ABSOLUTE", "value": "<decimal>" }');
      return fallback;
    }
    if (value.kind === 'MATCHING') {
      if (Object.keys(value).some((k) => k !== 'kind')) this.fail(path, 'MATCHING takes no other setting');
      return { kind: 'MATCHING' };
    }
    if (value.kind === 'ABSOLUTE') {
      if (Object.keys(value).some((k) => k !== 'kind' && k !== 'value')) this.fail(path, 'ABSOLUTE takes only a value');
      if (value.value === undefined) {
        this.fail(`${path}.value`, 'is required for ABSOLUTE');
        return fallback;
      }
      return { kind: 'ABSOLUTE', value: this.tolerance(value.value, `${path}.value`, ZERO) };
    }
    this.fail(`${path}.kind`, 'must be MATCHING or ABSOLUTE');
    return fallback;
  }

  days(value: unknown, path: string, fallback: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_SETTLEMENT_DATE_BUSINESS_DAYS) {
      this.fail(path, `must be a whole number of business days from 0 to ${MAX_SETTLEMENT_DATE_BUSINESS_DAYS}`);
      return fallback;
    }
    return value;
  }

  list<T extends string>(value: unknown, path: string, allowed: readonly T[], fallback: readonly T[], nonEmpty: boolean): readonly T[] {
    if (value === undefined) return fallback;
    if (!Array.isArray(value)) {
      this.fail(path, `must be a list of ${allowed.join(', ')}`);
      return fallback;
    }
    const errorsBefore = this.errors.length;
    const seen = new Set<string>();
    value.forEach((item, i) => {
      if (!(allowed as readonly unknown[]).includes(item)) this.fail(`${path}[${i}]`, `must be one of ${allowed.join(', ')}`);
      else if (seen.has(item as string)) this.fail(`${path}[${i}]`, `${String(item)} is listed twice`);
      seen.add(item as string);
    });
    if (nonEmpty && value.length === 0) this.fail(path, 'must name at least one');
    return this.errors.length > errorsBefore ? fallback : (value as T[]);
  }
}

/**
 * Reads a stored configuration (the JSON form: decimal strings, `{ "kind": ... }` amounts) and
 * lays it over the defaults: a type or setting left out keeps its default. null or undefined is
 * "no overrides". Every problem is reported at once, each under its path
 * (`TRANSACTION.settlementDateBusinessDays`, `TRADE.fields[2]`).
 */
export function parseReconciliationConfig(json: unknown): ReconciliationConfig {
  const defaults = DEFAULT_RECONCILIATION_CONFIG;
  if (json === undefined || json === null) return { ...defaults };
  if (!isObject(json)) throw DomainError.invalid('config', 'must be an object keyed by POSITION, CASH, TRANSACTION, PENALTY or TRADE');
  const read = new ConfigReader();
  for (const type of Object.keys(json)) {
    if (!(type in defaults)) read.fail(type, 'is not a break type (POSITION, CASH, TRANSACTION, PENALTY, TRADE)');
  }
  const position = read.section(json, 'POSITION', ['quantity']) ?? {};
  const cash = read.section(json, 'CASH', ['amount']) ?? {};
  const transaction = read.section(json, 'TRANSACTION', ['quantity', 'amount', 'settlementDateBusinessDays', 'keys']) ?? {};
  const penalty = read.section(json, 'PENALTY', ['amount']) ?? {};
  const trade = read.section(json, 'TRADE', ['quantity', 'price', 'fields']) ?? {};
  const config: ReconciliationConfig = {
    POSITION: { quantity: read.tolerance(position.quantity, 'POSITION.quantity', defaults.POSITION.quantity) },
    CASH: { amount: read.amount(cash.amount, 'CASH.amount', defaults.CASH.amount) },
    TRANSACTION: {
      quantity: read.tolerance(transaction.quantity, 'TRANSACTION.quantity', defaults.TRANSACTION.quantity),
      amount: read.amount(transaction.amount, 'TRANSACTION.amount', defaults.TRANSACTION.amount),
      settlementDateBusinessDays: read.days(
        transaction.settlementDateBusinessDays,
        'TRANSACTION.settlementDateBusinessDays',
        defaults.TRANSACTION.settlementDateBusinessDays,
      ),
      keys: read.list(transaction.keys, 'TRANSACTION.keys', TRANSACTION_MATCH_KEYS, defaults.TRANSACTION.keys, true),
    },
    PENALTY: { amount: read.amount(penalty.amount, 'PENALTY.amount', defaults.PENALTY.amount) },
    TRADE: {
      quantity: read.tolerance(trade.quantity, 'TRADE.quantity', defaults.TRADE.quantity),
      price: read.tolerance(trade.price, 'TRADE.price', defaults.TRADE.price),
      fields: read.list(trade.fields, 'TRADE.fields', TRADE_FIELDS, defaults.TRADE.fields, false),
    },
  };
  if (read.errors.length > 0) throw DomainError.invalidFields(read.errors);
  return config;
}

/** The JSON form parseReconciliationConfig reads (every setting spelled out): for storing and showing a configuration. */
export function reconciliationConfigToJson(config: ReconciliationConfig): Record<string, unknown> {
  const amount = (rule: AmountTolerance) => (rule.kind === 'MATCHING' ? { kind: 'MATCHING' } : { kind: 'ABSOLUTE', value: toDecimalString(rule.value) });
  return {
    POSITION: { quantity: toDecimalString(config.POSITION.quantity) },
    CASH: { amount: amount(config.CASH.amount) },
    TRANSACTION: {
      quantity: toDecimalString(config.TRANSACTION.quantity),
      amount: amount(config.TRANSACTION.amount),
      settlementDateBusinessDays: config.TRANSACTION.settlementDateBusinessDays,
      keys: [...config.TRANSACTION.keys],
    },
    PENALTY: { amount: amount(config.PENALTY.amount) },
    TRADE: { quantity: toDecimalString(config.TRADE.quantity), price: toDecimalString(config.TRADE.price), fields: [...config.TRADE.fields] },
  };
}
