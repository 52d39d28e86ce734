/**
 * Reconciliation's contracts: the JSON statement form (`POST /api/v1/statements` with
 * `application/json`, and `postrade.statement.received.v1` on `statements.inbound.v1`) and the
 * break resource (`GET /api/v1/breaks/{id}`, and the `postrade.recon.break-*.v1` events on
 * `reconciliation.breaks.v1`). Decimals are strings, dates YYYY-MM-DD.
 */
export type StatementTypeName = 'HOLDINGS' | 'TRANSACTIONS' | 'CASH' | 'PENALTIES';

export interface HoldingLineResource {
  isin: string;
  quantity: string;
}

export interface TransactionLineResource {
  reference: string;
  instructionId: string | null;
  isin: string;
  quantity: string;
  amount: string;
  currency: string;
  direction: 'RECEIVE' | 'DELIVER';
  settlementDate: string;
}

export interface CashLineResource {
  currency: string;
  amount: string;
}

export interface PenaltyLineResource {
  instructionId: string;
  date: string;
  amount: string;
  currency: string;
  direction: 'PAY' | 'RECEIVE';
}

/** One statement from a custodian or the CSD, applied whole or not at all. */
export interface StatementReceivedPayload {
  statementId: string;
  type: StatementTypeName;
  /** A safekeeping account (holdings, transactions, penalties) or a cash account (cash), as named in our SSIs. */
  account: string;
  asOf: string;
  lines: HoldingLineResource[] | TransactionLineResource[] | CashLineResource[] | PenaltyLineResource[];
}

export type BreakTypeName = 'POSITION' | 'CASH' | 'TRANSACTION' | 'PENALTY' | 'TRADE';
export type BreakStatusName = 'OPEN' | 'ASSIGNED' | 'RESOLVED' | 'WRITTEN_OFF';

export interface BreakComment {
  by: string;
  at: string;
  text: string;
}

/** A difference between our books and theirs that someone owns until it is explained. */
export interface BreakResource {
  breakId: string;
  type: BreakTypeName;
  /** The safekeeping or cash account; the source system for a front-to-back (TRADE) break. */
  account: string;
  key: Record<string, string>;
  /** The latest statement (or blotter) date the break was seen on. */
  asOf: string;
  /** Why the sides differ: MISSING_OURS, MISSING_THEIRS, DIFFERENT or AMBIGUOUS. */
  reason: string;
  ours: unknown;
  theirs: unknown;
  difference: string | null;
  fields: { field: string; ours: string | null; theirs: string | null }[];
  firstSeen: string;
  ageBusinessDays: number;
  status: BreakStatusName;
  assignee: string | null;
  comments: BreakComment[];
  resolution: string | null;
  /** The statement or blotter that last opened, changed or closed it. */
  lastSourceId: string;
  updatedAt: string;
}
