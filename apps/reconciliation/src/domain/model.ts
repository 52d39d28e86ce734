/**
 * The reconciliation service's vocabulary: what the outside world sends (statements, blotters),
 * what our own events say (our side), and what comparing them finds (matches and breaks).
 * Decimals are `Decimal` inside, decimal strings at the edges; dates are `YYYY-MM-DD` LocalDates.
 */
import type { Decimal, LocalDate, SettlementMarket } from '@postrade/kernel';

export const STATEMENT_TYPES = ['HOLDINGS', 'TRANSACTIONS', 'CASH', 'PENALTIES'] as const;
export type StatementType = (typeof STATEMENT_TYPES)[number];

export const BREAK_TYPES = ['POSITION', 'CASH', 'TRANSACTION', 'PENALTY', 'TRADE'] as const;
export type BreakType = (typeof BREAK_TYPES)[number];

/** The break type a statement type reconciles into. */
export const BREAK_TYPE_OF_STATEMENT: Readonly<Record<StatementType, BreakType>> = {
  HOLDINGS: 'POSITION',
  TRANSACTIONS: 'TRANSACTION',
  CASH: 'CASH',
  PENALTIES: 'PENALTY',
};

export type MovementDirection = 'RECEIVE' | 'DELIVER';
export type PenaltyDirection = 'PAY' | 'RECEIVE';
export type TradeSide = 'BUY' | 'SELL';

// ---------------------------------------------------------------- their side

export interface HoldingLine {
  isin: string;
  quantity: Decimal;
}

export interface TransactionLine {
  /** The custodian's own reference of the entry; unique within a statement. */
  reference: string;
  /** Our instruction id when the custodian echoes it (e.g. the sese.023 reference), else null. */
  instructionId: string | null;
  isin: string;
  quantity: Decimal;
  amount: Decimal;
  currency: string;
  direction: MovementDirection;
  settlementDate: LocalDate;
}

/**
 * The currency of a free-of-payment movement's line, whose amount is zero: ISO 4217's "no currency
 * involved". A semt.017 entry without a settlement amount reads as this (and renders back so).
 */
export const FREE_OF_PAYMENT_CURRENCY = 'XXX';

export interface CashLine {
  currency: string;
  amount: Decimal;
}

export interface PenaltyLine {
  instructionId: string;
  date: LocalDate;
  amount: Decimal;
  currency: string;
  direction: PenaltyDirection;
}

interface StatementHeader<T extends StatementType, L> {
  statementId: string;
  type: T;
  /** A safekeeping account (HOLDINGS, TRANSACTIONS, PENALTIES) or a cash account (CASH), as named in our SSIs. */
  account: string;
  asOf: LocalDate;
  lines: L[];
}

export type HoldingsStatement = StatementHeader<'HOLDINGS', HoldingLine>;
export type TransactionsStatement = StatementHeader<'TRANSACTIONS', TransactionLine>;
export type CashStatement = StatementHeader<'CASH', CashLine>;
export type PenaltiesStatement = StatementHeader<'PENALTIES', PenaltyLine>;
export type Statement = HoldingsStatement | TransactionsStatement | CashStatement | PenaltiesStatement;

export interface BlotterTrade {
  sourceTradeId: string;
  isin: string;
  side: TradeSide;
  quantity: Decimal;
  price: Decimal;
  currency: string;
  counterpartyLei: string;
}

export interface Blotter {
  sourceSystem: string;
  tradeDate: LocalDate;
  trades: BlotterTrade[];
}

// ---------------------------------------------------------------- our side

/** Our settled quantity of one ISIN in one safekeeping account as of a date (settlement-date basis). */
export interface OurPosition {
  isin: string;
  quantity: Decimal;
}

/** Our settled cash of one currency in one cash account as of a date. */
export interface OurCash {
  currency: string;
  amount: Decimal;
}

/** One settled movement of one of our instructions (a settlement or partial settlement event). */
export interface OurMovement {
  /** The settlement event's id: unique. */
  movementId: string;
  instructionId: string;
  isin: string;
  quantity: Decimal;
  amount: Decimal;
  currency: string;
  direction: MovementDirection;
  settlementDate: LocalDate;
}

/** A penalty our settlement service assessed for one instruction and one day. */
export interface OurPenalty {
  penaltyId: string;
  instructionId: string;
  date: LocalDate;
  amount: Decimal;
  currency: string;
  direction: PenaltyDirection;
}

/** A trade as captured (its latest version), for front-to-back reconciliation. */
export interface OurTrade {
  tradeId: string;
  sourceTradeId: string;
  isin: string;
  side: TradeSide;
  quantity: Decimal;
  price: Decimal;
  currency: string;
  counterpartyLei: string;
}

// ---------------------------------------------------------------- results

/** A field on which the two sides differ (decimal and text values as strings; null when a side lacks it). */
export interface FieldDifference {
  field: string;
  ours: string | null;
  theirs: string | null;
}

export type BreakReason =
  /** They report something we do not have. */
  | 'MISSING_OURS'
  /** We have something they do not report. */
  | 'MISSING_THEIRS'
  /** Both sides have it and they differ beyond tolerance. */
  | 'DIFFERENT'
  /** A line fits several of our items (or the reverse) equally well: a person decides. */
  | 'AMBIGUOUS';

/**
 * One difference found. `keyString` is the break's identity within (type, account): the same
 * difference found again by a later statement is the same break; a statement that agrees on the
 * key closes it. Values are strings (decimal strings for numbers), ready for JSON.
 */
export interface BreakFinding {
  type: BreakType;
  reason: BreakReason;
  /** e.g. `{ isin }`, `{ currency }`, `{ instructionId }` or `{ reference }`, `{ instructionId, date }`, `{ sourceTradeId }`. */
  key: Record<string, string>;
  keyString: string;
  /** Our side's values (null when we have nothing). */
  ours: Record<string, string> | Record<string, string>[] | null;
  /** Their side's values (null when they report nothing). */
  theirs: Record<string, string> | Record<string, string>[] | null;
  /** theirs − ours of the compared quantity or amount, as a decimal string; null when not a single number. */
  difference: string | null;
  fields: FieldDifference[];
}

/** Which rule paired which items: every match records its rule. */
export interface MatchRecord {
  /** e.g. `POSITION_EXACT`, `INSTRUCTION_ID_ONE_TO_ONE`, `INSTRUCTION_ID_ONE_TO_MANY`, `ATTRIBUTES_WITHIN_TOLERANCE`. */
  rule: string;
  /** Our items' ids (ISIN, currency, movement ids, penalty ids, trade ids). */
  ours: string[];
  /** Their items' ids (ISIN, currency, line references, `instructionId:date`, sourceTradeIds). */
  theirs: string[];
}

export interface ReconciliationOutcome {
  /** Lines of their side compared (statement lines or blotter trades). */
  linesCompared: number;
  matches: MatchRecord[];
  breaks: BreakFinding[];
  /**
   * Keys (keyString) compared and found in agreement: an open break on one of these keys is closed
   * by the statement. Includes keys where both sides are absent/zero only when passed in as
   * `openBreakKeys` to the reconciler.
   */
  agreedKeys: string[];
}

/** The account's market, for ageing in its business days. */
export interface AccountMarket {
  account: string;
  market: SettlementMarket;
}
