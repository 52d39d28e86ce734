/**
 * Our side of every reconciliation, as the platform's own events state it: the rows the
 * projections keep. Each is read from one event by the decoders in messaging/ and written
 * set-based by the OurBooksRepository.
 */
export interface TradeRow {
  tradeId: string;
  version: number;
  status: string;
  sourceSystem: string;
  sourceTradeId: string;
  tradeDate: string;
  isin: string;
  side: 'BUY' | 'SELL';
  quantity: string;
  price: string;
  currency: string;
  counterpartyLei: string;
  settlementMarket: string;
  safekeepingAccount: string | null;
  cashAccount: string | null;
  eventId: string;
  updatedAt: string;
}

/** A settled-securities or settled-cash posting of one of our books. */
export interface LedgerMovementRow {
  entryId: string;
  postingNo: number;
  tradeId: string | null;
  kind: 'SECURITIES' | 'CASH';
  asset: string;
  /** debit − credit: what the book's settled holding of the asset changed by. */
  amount: string;
  effectiveDate: string;
}

export interface SettledMovementRow {
  movementId: string;
  instructionId: string;
  account: string;
  cashAccount: string;
  settlementMarket: string;
  isin: string;
  direction: 'RECEIVE' | 'DELIVER';
  quantity: string;
  amount: string;
  currency: string;
  settlementDate: string;
}

export interface PenaltyRow {
  penaltyId: string;
  instructionId: string;
  date: string;
  account: string;
  amount: string;
  currency: string;
  direction: 'PAY' | 'RECEIVE';
  eventId: string;
}

export interface AccountMarketRow {
  account: string;
  market: string;
}

/** What one batch of events adds to our books. */
export interface OurBooksChanges {
  trades: TradeRow[];
  ledgerMovements: LedgerMovementRow[];
  settledMovements: SettledMovementRow[];
  penalties: PenaltyRow[];
  accountMarkets: AccountMarketRow[];
}

export const noChanges = (): OurBooksChanges => ({ trades: [], ledgerMovements: [], settledMovements: [], penalties: [], accountMarkets: [] });
