/**
 * One statement line from named values, shared by the CSV and JSON forms so that both accept and
 * refuse exactly the same lines. `read` gives a column's raw value; errors are recorded by column
 * and named by the sink (`line 13: quantity` or `lines[12].quantity`).
 */
import { toDecimalString } from '@postrade/kernel';
import { FREE_OF_PAYMENT_CURRENCY, type CashLine, type HoldingLine, type PenaltyLine, type StatementType, type TransactionLine } from '../model';
import { currencyField, dateField, decimalField, isinField, oneOf, textField, type ErrorSink, type ParseOptions } from './values';

/** The columns (CSV) and fields (JSON) of each statement type's lines, in order. */
export const LINE_COLUMNS = {
  HOLDINGS: ['isin', 'quantity'],
  TRANSACTIONS: ['reference', 'instructionId', 'isin', 'quantity', 'amount', 'currency', 'direction', 'settlementDate'],
  CASH: ['currency', 'amount'],
  PENALTIES: ['instructionId', 'date', 'amount', 'currency', 'direction'],
} as const satisfies Record<StatementType, readonly string[]>;

export type StatementLine = HoldingLine | TransactionLine | CashLine | PenaltyLine;

type Read = (column: string) => unknown;

function holding(read: Read, errors: ErrorSink, options: ParseOptions): HoldingLine | null {
  const isin = isinField(read('isin'), 'isin', errors, options.isinCheck);
  const quantity = decimalField(read('quantity'), 'quantity', errors);
  return isin === null || quantity === null ? null : { isin, quantity };
}

function transaction(read: Read, errors: ErrorSink, options: ParseOptions): TransactionLine | null {
  const reference = textField(read('reference'), 'reference', errors);
  const rawInstructionId = read('instructionId');
  const instructionId = rawInstructionId === null ? null : textField(rawInstructionId, 'instructionId', errors);
  const isin = isinField(read('isin'), 'isin', errors, options.isinCheck);
  const quantity = decimalField(read('quantity'), 'quantity', errors, 'positive');
  const amount = decimalField(read('amount'), 'amount', errors, 'non-negative');
  const currency = currencyField(read('currency'), 'currency', errors);
  const direction = oneOf(read('direction'), ['RECEIVE', 'DELIVER'] as const, 'direction', errors);
  const settlementDate = dateField(read('settlementDate'), 'settlementDate', errors);
  if (currency === FREE_OF_PAYMENT_CURRENCY && amount !== null && !amount.isZero()) {
    errors.add('amount', `must be 0 with currency ${FREE_OF_PAYMENT_CURRENCY} (no currency: a free-of-payment movement)`);
    return null;
  }
  if (reference === null || (rawInstructionId !== null && instructionId === null) || isin === null || quantity === null) return null;
  if (amount === null || currency === null || direction === null || settlementDate === null) return null;
  return { reference, instructionId, isin, quantity, amount, currency, direction, settlementDate };
}

function cash(read: Read, errors: ErrorSink): CashLine | null {
  const currency = currencyField(read('currency'), 'currency', errors);
  const amount = decimalField(read('amount'), 'amount', errors);
  return currency === null || amount === null ? null : { currency, amount };
}

function penalty(read: Read, errors: ErrorSink): PenaltyLine | null {
  const instructionId = textField(read('instructionId'), 'instructionId', errors);
  const date = dateField(read('date'), 'date', errors);
  const amount = decimalField(read('amount'), 'amount', errors, 'non-negative');
  const currency = currencyField(read('currency'), 'currency', errors);
  const direction = oneOf(read('direction'), ['PAY', 'RECEIVE'] as const, 'direction', errors);
  if (instructionId === null || date === null || amount === null || currency === null || direction === null) return null;
  return { instructionId, date, amount, currency, direction };
}

/** Reads one line of `type`; null when a value was refused (the error is in `errors`). */
export function readLine(type: StatementType, read: Read, errors: ErrorSink, options: ParseOptions): StatementLine | null {
  switch (type) {
    case 'HOLDINGS':
      return holding(read, errors, options);
    case 'TRANSACTIONS':
      return transaction(read, errors, options);
    case 'CASH':
      return cash(read, errors);
    case 'PENALTIES':
      return penalty(read, errors);
  }
}

/** What makes a line unique within its statement (computed for every line, so only the key). */
export function lineKey(type: StatementType, line: StatementLine): string {
  switch (type) {
    case 'HOLDINGS':
      return (line as HoldingLine).isin;
    case 'TRANSACTIONS':
      return (line as TransactionLine).reference;
    case 'CASH':
      return (line as CashLine).currency;
    case 'PENALTIES':
      return `${(line as PenaltyLine).instructionId}\u0000${(line as PenaltyLine).date}`;
  }
}

/** The column an error about a repeated key names, and how the message names the key. */
export function repeatedKey(type: StatementType, line: StatementLine): { column: string; what: string } {
  switch (type) {
    case 'HOLDINGS':
      return { column: 'isin', what: `ISIN ${(line as HoldingLine).isin}` };
    case 'TRANSACTIONS':
      return { column: 'reference', what: `reference ${(line as TransactionLine).reference}` };
    case 'CASH':
      return { column: 'currency', what: `currency ${(line as CashLine).currency}` };
    case 'PENALTIES': {
      const { instructionId, date } = line as PenaltyLine;
      return { column: 'instructionId', what: `a penalty for instruction ${instructionId} on ${date}` };
    }
  }
}

/**
 * Finds keys that appear twice. The keys are collected and sorted once at the end rather than put
 * in a hash table as they come: a million-line statement's table of a million fresh strings costs
 * more in garbage collection than the sort.
 */
export class DuplicateFinder {
  private readonly keys: string[] = [];
  private readonly places: number[] = [];

  /** Records `key` at `place` (a line number or an array index); the n-th call is item n. */
  add(key: string, place: number): void {
    this.keys.push(key);
    this.places.push(place);
  }

  /** Every item whose key an earlier item already had: its item number, place, and the first place. */
  repeats(): { item: number; place: number; first: number }[] {
    const { keys, places } = this;
    const order = new Uint32Array(keys.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
    const found: { item: number; place: number; first: number }[] = [];
    // Sorted by key, then by arrival: the first of each run of equal keys is where the key first came.
    let runStart = 0;
    for (let i = 1; i < order.length; i++) {
      if (keys[order[i]] === keys[order[runStart]]) found.push({ item: order[i], place: places[order[i]], first: places[order[runStart]] });
      else runStart = i;
    }
    return found.sort((a, b) => a.item - b.item);
  }
}

/** A line's values as strings, the JSON and CSV form (decimals in plain notation, null kept). */
export function lineValues(type: StatementType, line: StatementLine): Record<string, string | null> {
  const plain = toDecimalString;
  switch (type) {
    case 'HOLDINGS': {
      const l = line as HoldingLine;
      return { isin: l.isin, quantity: plain(l.quantity) };
    }
    case 'TRANSACTIONS': {
      const l = line as TransactionLine;
      return {
        reference: l.reference,
        instructionId: l.instructionId,
        isin: l.isin,
        quantity: plain(l.quantity),
        amount: plain(l.amount),
        currency: l.currency,
        direction: l.direction,
        settlementDate: l.settlementDate,
      };
    }
    case 'CASH': {
      const l = line as CashLine;
      return { currency: l.currency, amount: plain(l.amount) };
    }
    case 'PENALTIES': {
      const l = line as PenaltyLine;
      return { instructionId: l.instructionId, date: l.date, amount: plain(l.amount), currency: l.currency, direction: l.direction };
    }
  }
}
