import { SETTLEMENT_TYPES, TRADE_SIDES, type SettlementType, type TradeSide } from '../vocabulary';
import {
  CalendarDate,
  CurrencyCode,
  DecimalString,
  Instant,
  IsinShape,
  LeiShape,
  OneOf,
  Optional,
  REFERENCE_MAX_LENGTH,
  Text,
} from './fields';

/** A trade as an upstream system reports it: the body of `POST /api/v1/trades`. */
export class TradeSubmission {
  @Text(REFERENCE_MAX_LENGTH)
  sourceSystem: string;

  @Text(REFERENCE_MAX_LENGTH)
  sourceTradeId: string;

  /** YYYY-MM-DD. */
  @CalendarDate()
  tradeDate: string;

  /** ISO 8601 instant with offset. */
  @Optional()
  @Instant()
  executionTime?: string;

  @OneOf(TRADE_SIDES)
  side: TradeSide;

  @IsinShape()
  isin: string;

  /** Decimal string. */
  @DecimalString()
  quantity: string;

  /** Decimal string. */
  @DecimalString()
  price: string;

  @CurrencyCode()
  currency: string;

  @LeiShape()
  counterpartyLei: string;

  @LeiShape()
  legalEntityLei: string;

  @Text(REFERENCE_MAX_LENGTH)
  book: string;

  /** YYYY-MM-DD; derived from the market's settlement cycle when absent. */
  @Optional()
  @CalendarDate()
  settlementDate?: string;

  @Optional()
  @DecimalString()
  commission?: string;

  @Optional()
  @DecimalString()
  fees?: string;

  /** DVP when absent. */
  @Optional()
  @OneOf(SETTLEMENT_TYPES)
  settlementType?: SettlementType;
}
