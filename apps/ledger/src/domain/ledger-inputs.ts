import type { Decimal } from '@postrade/kernel';

/** The economic terms of one trade version, as the ledger books them. */
export interface TradeTerms {
  tradeId: string;
  version: number;
  side: 'BUY' | 'SELL';
  book: string;
  isin: string;
  currency: string;
  counterpartyLei: string;
  quantity: Decimal;
  /** What the book pays (BUY) or receives (SELL), accrued interest, commission and fees included. */
  netAmount: Decimal;
  tradeDate: string;
  /** Settlement type FOP: the trade moves securities only, so the ledger books no cash for it on either view. */
  freeOfPayment: boolean;
}

/** A trade event from trade-capture: captured, amended, cancelled or enriched. */
export interface TradeEvent {
  kind: 'trade';
  eventId: string;
  eventType: string;
  action: 'CAPTURED' | 'AMENDED' | 'CANCELLED' | 'ENRICHED';
  terms: TradeTerms;
  /** When trade-capture applied this version: a correction is booked on that day. */
  updatedAt: string;
}

/** A (partial) settlement of an instruction that settles one trade or several (netting). */
export interface SettlementEvent {
  kind: 'settlement';
  eventId: string;
  eventType: string;
  instructionId: string;
  tradeIds: string[];
  isin: string;
  currency: string;
  /** True for SETTLED (the instruction is complete), false for PARTIALLY_SETTLED. */
  final: boolean;
  /** A free-of-payment instruction moves securities only: no cash settles for it, whatever amount the update names. */
  freeOfPayment: boolean;
  /** Settled by this update, not in total; absent on a SETTLED update means "the remainder". */
  settledQuantity?: Decimal;
  settledAmount?: Decimal;
  effectiveDate: string;
}

/** A CSDR cash penalty assessed on an instruction. */
export interface PenaltyEvent {
  kind: 'penalty';
  eventId: string;
  eventType: string;
  instructionId: string;
  tradeIds: string[];
  penaltyId: string;
  counterpartyLei: string;
  /** The CSD (its BIC, the place of settlement of our SSI) whose monthly collection pays or receives it; null when the instruction names none. */
  csd: string | null;
  /** Positive. */
  amount: Decimal;
  currency: string;
  direction: 'PAY' | 'RECEIVE';
  date: string;
}

/** A settlement event that moves nothing in the books (instructed, failed, cancelled). */
export interface NonBookingEvent {
  kind: 'no-booking';
  eventId: string;
  eventType: string;
}

export type LedgerInput = TradeEvent | SettlementEvent | PenaltyEvent | NonBookingEvent;
