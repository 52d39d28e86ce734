import type { SettlementMarket, SettlementType, TradeSide, TradeStatus } from '../vocabulary';
import type { CounterpartyResource, LegalEntityResource, SsiPair } from './reference-data.resource';

export type TradeCounterparty = Pick<CounterpartyResource, 'lei' | 'name' | 'bic' | 'country'>;

/**
 * A captured trade, enriched so that no downstream service needs to look anything up.
 * `postrade.trade.captured.v1` and `postrade.trade.cancelled.v1` on `trade-capture.trades.v1`;
 * `GET /api/v1/trades/{tradeId}`. Decimals are strings, dates YYYY-MM-DD, instants ISO 8601.
 */
export interface TradeResource {
  /** Platform id (UUID). */
  tradeId: string;
  sourceSystem: string;
  sourceTradeId: string;
  version: number;
  status: TradeStatus;
  tradeDate: string;
  executionTime: string | null;
  /** From our book's point of view. */
  side: TradeSide;
  isin: string;
  quantity: string;
  price: string;
  currency: string;
  /** quantity × price (÷ 100 for PERCENT_OF_PAR), rounded half-up to the currency's minor unit. */
  grossAmount: string;
  /** Accrued interest on a bond ("0.00" for equities), part of the net amount. */
  accruedInterest?: string;
  /** Days of accrued interest (0 for equities). */
  accruedDays?: number;
  /** "0" when the submission gave none. */
  commission: string;
  /** "0" when the submission gave none. */
  fees: string;
  /** gross + commission + fees for a BUY, gross − commission − fees for a SELL. */
  netAmount: string;
  settlementDate: string;
  /** e.g. "T+1". */
  settlementCycle: string;
  settlementMarket: SettlementMarket;
  settlementType: SettlementType;
  book: string;
  counterparty: TradeCounterparty;
  legalEntity: LegalEntityResource;
  ssis: SsiPair;
  createdAt: string;
  updatedAt: string;
}

/** `postrade.trade.amended.v1`: the trade as amended, and the version it replaces. */
export interface TradeAmendedPayload extends TradeResource {
  previous: TradeResource;
}
