/**
 * The OMS end-of-day blotter, as JSON (`{ sourceSystem, tradeDate, trades }`) or CSV (one row per
 * trade; the source system and trade date beside the file). A trade listed twice is refused naming
 * both places: the OMS's own data is wrong, and front-to-back reconciliation would double-count it.
 */
import { toDecimalString, validateLei } from '@postrade/kernel';
import type { Blotter, BlotterTrade } from '../model';
import { checkHeader, csvText, readCsv } from './csv';
import { isPlainObject, rejectUnknownFields, required } from './statement-json';
import { DuplicateFinder } from './statement-lines';
import { currencyField, dateField, decimalField, describe, FieldErrors, isinField, maxLinesOf, oneOf, refuse, RowErrors, textField, type ErrorSink, type ParseOptions } from './values';

export const BLOTTER_COLUMNS = ['sourceTradeId', 'isin', 'side', 'quantity', 'price', 'currency', 'counterpartyLei'] as const;
const BLOTTER_FIELDS = ['sourceSystem', 'tradeDate', 'trades'] as const;

/** What comes beside a CSV blotter (the query of `POST /blotters`). */
export interface BlotterCsvHeader {
  sourceSystem: string;
  tradeDate: string;
}

export interface BlotterJson {
  sourceSystem: string;
  tradeDate: string;
  trades: Record<(typeof BLOTTER_COLUMNS)[number], string>[];
}

type Read = (column: string) => unknown;

function readTrade(read: Read, errors: ErrorSink, options: ParseOptions): BlotterTrade | null {
  const sourceTradeId = textField(read('sourceTradeId'), 'sourceTradeId', errors);
  const isin = isinField(read('isin'), 'isin', errors, options.isinCheck);
  const side = oneOf(read('side'), ['BUY', 'SELL'] as const, 'side', errors);
  const quantity = decimalField(read('quantity'), 'quantity', errors, 'positive');
  const price = decimalField(read('price'), 'price', errors, 'positive');
  const currency = currencyField(read('currency'), 'currency', errors);
  const lei = read('counterpartyLei');
  const leiProblem = validateLei(lei);
  if (leiProblem !== null) errors.add('counterpartyLei', `${describe(lei)}: ${leiProblem}`);
  if (sourceTradeId === null || isin === null || side === null || quantity === null || price === null || currency === null || leiProblem !== null) return null;
  return { sourceTradeId, isin, side, quantity, price, currency, counterpartyLei: lei as string };
}

function readBlotterHeader(sourceSystem: unknown, tradeDate: unknown, errors: FieldErrors): { sourceSystem: string | null; tradeDate: string | null } {
  return { sourceSystem: textField(sourceSystem, 'sourceSystem', errors), tradeDate: dateField(tradeDate, 'tradeDate', errors) };
}

/** Parses a CSV blotter; errors name the line (the header is line 1) and the column. */
export function parseBlotterCsv(csv: string, header: BlotterCsvHeader, options: ParseOptions = {}): Blotter {
  const maxLines = maxLinesOf(options);
  const errors = new FieldErrors();
  const { sourceSystem, tradeDate } = readBlotterHeader(header.sourceSystem, header.tradeDate, errors);
  if (typeof csv !== 'string') errors.add('body', 'must be CSV text');
  errors.throwIfAny();
  const index = new Map<string, number>(BLOTTER_COLUMNS.map((c, i) => [c, i]));
  const trades: BlotterTrade[] = [];
  const keys = new DuplicateFinder();
  let headerRead = false;
  let rowsRead = 0;
  let row: string[] = [];
  let rowLine = 0;
  const read = (column: string) => row[index.get(column) as number];
  const rowErrors = new RowErrors(errors, (column) => `line ${rowLine}: ${column}`);
  readCsv(csv, (fields, line) => {
    if (!headerRead) {
      checkHeader(fields, BLOTTER_COLUMNS);
      headerRead = true;
      return;
    }
    rowsRead += 1;
    if (rowsRead > maxLines) refuse(`line ${line}`, `the blotter has more than ${maxLines} trades, the most accepted in one blotter`);
    if (fields.length !== BLOTTER_COLUMNS.length) {
      if (fields.length < BLOTTER_COLUMNS.length) {
        errors.add(`line ${line}: ${BLOTTER_COLUMNS[fields.length]}`, `is missing: the row has ${fields.length} column${fields.length === 1 ? '' : 's'}, the header ${BLOTTER_COLUMNS.length}`);
      } else {
        errors.add(`line ${line}: column ${BLOTTER_COLUMNS.length + 1}`, `unexpected extra column: the header has ${BLOTTER_COLUMNS.length}`);
      }
      return;
    }
    row = fields;
    rowLine = line;
    const trade = readTrade(read, rowErrors, options);
    if (trade === null) return;
    keys.add(trade.sourceTradeId, line);
    trades.push(trade);
  });
  for (const { item, place, first } of keys.repeats()) {
    errors.add(`line ${place}: sourceTradeId`, `trade ${trades[item].sourceTradeId} is listed twice: on line ${first} and on line ${place}`);
  }
  if (!headerRead) refuse('line 1', `the file is empty: expected the header row ${BLOTTER_COLUMNS.join(',')}`);
  errors.throwIfAny();
  return { sourceSystem: sourceSystem as string, tradeDate: tradeDate as string, trades };
}

/** Parses the JSON blotter (a parsed body). Errors name the path: `trades[3].price`. */
export function parseBlotterJson(body: unknown, options: ParseOptions = {}): Blotter {
  const maxLines = maxLinesOf(options);
  if (!isPlainObject(body)) refuse('body', `must be a JSON object { ${BLOTTER_FIELDS.join(', ')} }, got ${describe(body)}`);
  const errors = new FieldErrors();
  rejectUnknownFields(body, BLOTTER_FIELDS, '', 'a blotter', errors);
  const sourceSystem = required(body, 'sourceSystem', 'sourceSystem', errors, (v) => textField(v, 'sourceSystem', errors));
  const tradeDate = required(body, 'tradeDate', 'tradeDate', errors, (v) => dateField(v, 'tradeDate', errors));
  const rawTrades = required(body, 'trades', 'trades', errors, (v) => v);
  if (rawTrades !== null && !Array.isArray(rawTrades)) errors.add('trades', `must be an array of trades, got ${describe(rawTrades)}`);
  if (Array.isArray(rawTrades) && rawTrades.length > maxLines) refuse('trades', `has ${rawTrades.length} trades, more than the ${maxLines} accepted in one blotter`);
  const trades: BlotterTrade[] = [];
  if (Array.isArray(rawTrades)) {
    const keys = new DuplicateFinder();
    let index = 0;
    const rowErrors = new RowErrors(errors, (column) => `trades[${index}].${column}`);
    rawTrades.forEach((raw: unknown, i) => {
      const prefix = `trades[${i}]`;
      if (!isPlainObject(raw)) {
        errors.add(prefix, `must be an object with ${BLOTTER_COLUMNS.join(', ')}, got ${describe(raw)}`);
        return;
      }
      const before = errors.errors.length;
      rejectUnknownFields(raw, BLOTTER_COLUMNS, `${prefix}.`, 'a trade', errors);
      for (const column of BLOTTER_COLUMNS) if (!Object.prototype.hasOwnProperty.call(raw, column)) errors.add(`${prefix}.${column}`, 'is required');
      if (errors.errors.length > before) return;
      index = i;
      const trade = readTrade((c) => raw[c], rowErrors, options);
      if (trade === null) return;
      keys.add(trade.sourceTradeId, i);
      trades.push(trade);
    });
    for (const { item, place, first } of keys.repeats()) {
      errors.add(`trades[${place}].sourceTradeId`, `trade ${trades[item].sourceTradeId} is listed twice: at trades[${first}] and at trades[${place}]`);
    }
  }
  errors.throwIfAny();
  return { sourceSystem: sourceSystem as string, tradeDate: tradeDate as string, trades };
}

function tradeValues(trade: BlotterTrade): Record<(typeof BLOTTER_COLUMNS)[number], string> {
  return {
    sourceTradeId: trade.sourceTradeId,
    isin: trade.isin,
    side: trade.side,
    quantity: toDecimalString(trade.quantity),
    price: toDecimalString(trade.price),
    currency: trade.currency,
    counterpartyLei: trade.counterpartyLei,
  };
}

/** The blotter's trades as CSV with its header row (the source system and trade date go beside it). */
export function renderBlotterCsv(blotter: Blotter): string {
  const rows = blotter.trades.map((trade) => {
    const values = tradeValues(trade);
    return BLOTTER_COLUMNS.map((c) => values[c]);
  });
  return csvText([[...BLOTTER_COLUMNS], ...rows]);
}

/** The blotter in its JSON form. */
export function renderBlotterJson(blotter: Blotter): BlotterJson {
  return { sourceSystem: blotter.sourceSystem, tradeDate: blotter.tradeDate, trades: blotter.trades.map(tradeValues) };
}
