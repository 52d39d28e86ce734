import type { AckOutcome, AssetClass, CsdrCategory, PriceType, SettlementMarket, SettlementType, TradeAction, TradeException, TradeSide, TradeStatus } from '../vocabulary';
import type { CounterpartyResource, CouponTermsResource, LegalEntityResource, TradeSsis } from './reference-data.resource';

export type TradeCounterparty = Pick<CounterpartyResource, 'lei' | 'name' | 'bic' | 'country'>;

/** The instrument's terms a downstream service needs, carried on the trade so that nobody looks them up. */
export interface TradeInstrument extends Partial<CouponTermsResource> {
  description: string;
  assetClass: AssetClass;
  priceType: PriceType;
  csdrCategory: CsdrCategory;
}

/**
 * A captured trade, enriched so that no downstream service needs to look anything up.
 * `postrade.trade.captured.v1`, `.amended.v1`, `.cancelled.v1` and `.enriched.v1` on
 * `trade-capture.trades.v1`; `GET /api/v1/trades/{tradeId}`. Decimals are strings, dates
 * YYYY-MM-DD, instants ISO 8601.
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
  /** Shares, or the nominal for a bond (PERCENT_OF_PAR). */
  quantity: string;
  price: string;
  currency: string;
  /** quantity × price (÷ 100 for PERCENT_OF_PAR: the clean consideration), rounded half-up to the currency's minor unit. */
  grossAmount: string;
  /** Bond accrued interest to the settlement date (negative inside an ex-coupon period); "0.00" for equities. */
  accruedInterest: string;
  /** Days accrued under the bond's day count (negative inside an ex-coupon period); 0 for equities. */
  accruedDays: number;
  /** "0" when the submission gave none. */
  commission: string;
  /** "0" when the submission gave none. */
  fees: string;
  /** gross + accrued + commission + fees for a BUY, gross + accrued − commission − fees for a SELL; always positive. */
  netAmount: string;
  settlementDate: string;
  /** The cycle the settlement date amounts to, e.g. "T+1", or "T+3" for a given later date. */
  settlementCycle: string;
  settlementMarket: SettlementMarket;
  settlementType: SettlementType;
  book: string;
  instrument: TradeInstrument;
  counterparty: TradeCounterparty;
  legalEntity: LegalEntityResource;
  /** A side is null while its SSI is not on file; the trade then lists the matching exception. */
  ssis: TradeSsis;
  exceptions: TradeException[];
  /** Why the trade was cancelled; null unless it is. */
  cancelReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** `postrade.trade.amended.v1`: the trade as amended, and the version it replaces. */
export interface TradeAmendedPayload extends TradeResource {
  previous: TradeResource;
}

/**
 * `postrade.trade.acknowledged.v1` on `trade-capture.acks.v1`, keyed `sourceSystem:sourceTradeId`:
 * the outcome of one message on `trades.inbound.v1`, so the sending system learns it without
 * reading our DLQ. `tradeId` is null when no trade exists for the keys; `errors` name the fields
 * of a REJECTED message.
 */
export interface TradeAcknowledgedPayload {
  sourceSystem: string;
  sourceTradeId: string;
  version: number | null;
  action: TradeAction | null;
  outcome: AckOutcome;
  tradeId: string | null;
  errors: { field: string; message: string }[];
  /** The `ce_id` of the acknowledged message. */
  messageId: string;
}
