/**
 * Statements and blotters for the tests: fast-check arbitraries that stay inside what every form
 * accepts (valid ISINs and LEIs, bounded decimals, unique keys), so that a round trip through any
 * renderer and its parser must give the same statement back.
 */
import fc from 'fast-check';
import { Decimal, isinWithCheckDigit, leiWithCheckDigits } from '@postrade/kernel';
import {
  FREE_OF_PAYMENT_CURRENCY,
  type Blotter,
  type BlotterTrade,
  type CashLine,
  type CashStatement,
  type HoldingLine,
  type HoldingsStatement,
  type PenaltiesStatement,
  type PenaltyLine,
  type Statement,
  type TransactionLine,
  type TransactionsStatement,
} from '../model';
import { renderStatementJson } from './statement-json';

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./';
const plainId = fc.stringOf(fc.constantFrom(...ID_CHARS.split('')), { minLength: 1, maxLength: 16 });

/** Ids, sometimes with what XML and CSV must escape or quote (&, <, >, quotes, commas, inner spaces). */
export const idArb = fc
  .tuple(plainId, fc.constantFrom('', '', '', ' & ', '<x>', '"q"', "it's", ', ', 'a,b', ' '), plainId)
  .map(([a, b, c]) => (b === '' ? a : `${a}${b}${c}`))
  .filter((id) => id.length <= 35 && id !== 'NONREF');

const COUNTRIES = ['DE', 'US', 'FR', 'GB', 'NL', 'XS', 'IE', 'JP'];
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
export const isinArb = fc
  .tuple(fc.constantFrom(...COUNTRIES), fc.array(fc.constantFrom(...ALNUM), { minLength: 9, maxLength: 9 }))
  .map(([country, body]) => isinWithCheckDigit(`${country}${body.join('')}`));

export const leiArb = fc.array(fc.constantFrom(...ALNUM), { minLength: 18, maxLength: 18 }).map((prefix) => leiWithCheckDigits(prefix.join('')));

export const currencyArb = fc.constantFrom('EUR', 'USD', 'GBP', 'JPY', 'CHF', 'SEK', 'BHD');

export const dateArb = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z') }).map((d) => d.toISOString().slice(0, 10));

/** A decimal within the bounds (18 integer, 12 fraction digits), as Decimal. */
function decimalArb(sign: 'any' | 'positive' | 'non-negative'): fc.Arbitrary<Decimal> {
  const integer = fc.oneof(fc.bigInt({ min: 0n, max: 999_999n }), fc.bigInt({ min: 0n, max: 999_999_999_999_999_999n }));
  const fraction = fc.oneof(fc.constant(''), fc.stringOf(fc.constantFrom(...'0123456789'.split('')), { minLength: 1, maxLength: 12 }));
  return fc
    .tuple(integer, fraction, fc.boolean())
    .map(([i, f, negative]) => new Decimal(`${sign === 'any' && negative ? '-' : ''}${i}${f === '' ? '' : `.${f}`}`))
    .filter((d) => (sign === 'positive' ? d.greaterThan(0) : true));
}

const holdingArb: fc.Arbitrary<HoldingLine> = fc.record({ isin: isinArb, quantity: decimalArb('any') });

const transactionArb: fc.Arbitrary<TransactionLine> = fc
  .record({
    reference: idArb,
    instructionId: fc.option(idArb, { nil: null }),
    isin: isinArb,
    quantity: decimalArb('positive'),
    amount: decimalArb('non-negative'),
    currency: currencyArb,
    free: fc.boolean(),
    direction: fc.constantFrom('RECEIVE' as const, 'DELIVER' as const),
    settlementDate: dateArb,
  })
  .map(({ free, ...line }) => (free ? { ...line, amount: new Decimal(0), currency: FREE_OF_PAYMENT_CURRENCY } : line));

const cashArb: fc.Arbitrary<CashLine> = fc.record({ currency: currencyArb, amount: decimalArb('any') });

const penaltyArb: fc.Arbitrary<PenaltyLine> = fc.record({
  instructionId: idArb,
  date: dateArb,
  amount: decimalArb('non-negative'),
  currency: currencyArb,
  direction: fc.constantFrom('PAY' as const, 'RECEIVE' as const),
});

const header = { statementId: idArb, account: idArb, asOf: dateArb };

export const holdingsStatementArb: fc.Arbitrary<HoldingsStatement> = fc.record({
  ...header,
  type: fc.constant('HOLDINGS' as const),
  lines: fc.uniqueArray(holdingArb, { selector: (l) => l.isin, maxLength: 20 }),
});

export const transactionsStatementArb: fc.Arbitrary<TransactionsStatement> = fc.record({
  ...header,
  type: fc.constant('TRANSACTIONS' as const),
  lines: fc.uniqueArray(transactionArb, { selector: (l) => l.reference, maxLength: 20 }),
});

export const cashStatementArb: fc.Arbitrary<CashStatement> = fc.record({
  ...header,
  type: fc.constant('CASH' as const),
  lines: fc.uniqueArray(cashArb, { selector: (l) => l.currency, minLength: 1, maxLength: 7 }),
});

export const penaltiesStatementArb: fc.Arbitrary<PenaltiesStatement> = fc.record({
  ...header,
  type: fc.constant('PENALTIES' as const),
  lines: fc.uniqueArray(penaltyArb, { selector: (l) => `${l.instructionId}|${l.date}`, maxLength: 20 }),
});

export const statementArb: fc.Arbitrary<Statement> = fc.oneof(holdingsStatementArb, transactionsStatementArb, cashStatementArb, penaltiesStatementArb);

const tradeArb: fc.Arbitrary<BlotterTrade> = fc.record({
  sourceTradeId: idArb,
  isin: isinArb,
  side: fc.constantFrom('BUY' as const, 'SELL' as const),
  quantity: decimalArb('positive'),
  price: decimalArb('positive'),
  currency: currencyArb,
  counterpartyLei: leiArb,
});

export const blotterArb: fc.Arbitrary<Blotter> = fc.record({
  sourceSystem: idArb,
  tradeDate: dateArb,
  trades: fc.uniqueArray(tradeArb, { selector: (t) => t.sourceTradeId, maxLength: 20 }),
});

/** A statement as plain JSON values, for comparing two statements (decimals by value, as plain strings). */
export const comparable = (statement: Statement) => renderStatementJson(statement);

/** The DomainError field errors a call throws (fails the test when it does not throw one). */
export function fieldErrorsOf(call: () => unknown): { field: string; message: string }[] {
  try {
    call();
  } catch (error) {
    const errors = (error as { errors?: { field: string; message: string }[] }).errors;
    if ((error as { kind?: string }).kind === 'invalid' && Array.isArray(errors)) return errors;
    throw error;
  }
  throw new Error('expected a DomainError of kind "invalid", but nothing was thrown');
}

/** A few fixed statements of each type. */
export const SAMPLE_HOLDINGS: HoldingsStatement = {
  statementId: 'HLD-1',
  type: 'HOLDINGS',
  account: 'SK-DEUT-0001',
  asOf: '2026-11-25',
  lines: [
    { isin: 'DE0007164600', quantity: new Decimal('24000') },
    { isin: 'DE0001102580', quantity: new Decimal('2500000.00') },
    { isin: 'US0378331005', quantity: new Decimal('-150') },
  ],
};

export const SAMPLE_TRANSACTIONS: TransactionsStatement = {
  statementId: 'TXP-1',
  type: 'TRANSACTIONS',
  account: 'SK-DEUT-0001',
  asOf: '2026-11-25',
  lines: [
    { reference: 'C-1', instructionId: 'INS-1', isin: 'DE0007164600', quantity: new Decimal('1500'), amount: new Decimal('283891.80'), currency: 'EUR', direction: 'DELIVER', settlementDate: '2026-11-25' },
    { reference: 'C-2', instructionId: null, isin: 'DE0001102580', quantity: new Decimal('500000'), amount: new Decimal('0'), currency: 'XXX', direction: 'RECEIVE', settlementDate: '2026-11-25' },
  ],
};

export const SAMPLE_CASH: CashStatement = {
  statementId: 'CSH-1',
  type: 'CASH',
  account: 'CSH-DEUT-0001',
  asOf: '2026-11-25',
  lines: [
    { currency: 'EUR', amount: new Decimal('970848.87') },
    { currency: 'USD', amount: new Decimal('-12500.00') },
  ],
};

export const SAMPLE_PENALTIES: PenaltiesStatement = {
  statementId: 'PNL-1',
  type: 'PENALTIES',
  account: 'SK-DEUT-0001',
  asOf: '2026-11-26',
  lines: [
    { instructionId: 'INS-5', date: '2026-11-25', amount: new Decimal('12.35'), currency: 'EUR', direction: 'PAY' },
    { instructionId: 'INS-6', date: '2026-11-25', amount: new Decimal('4.10'), currency: 'EUR', direction: 'RECEIVE' },
  ],
};
