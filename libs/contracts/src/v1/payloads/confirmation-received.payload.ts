import { TRADE_SIDES, type TradeSide } from '../vocabulary';
import {
  CalendarDate,
  CurrencyCode,
  DecimalString,
  IsinShape,
  LeiShape,
  OneOf,
  Optional,
  REFERENCE_MAX_LENGTH,
  Text,
} from './fields';

/**
 * A counterparty's confirmation: the body of `POST /api/v1/confirmations`, and
 * `postrade.confirmation.received.v1` on `confirmations.inbound.v1`. The side is the counterparty's.
 */
export class ConfirmationReceived {
  /** The sender's own reference; re-sending it replaces the previous version. */
  @Text(REFERENCE_MAX_LENGTH)
  confirmationId: string;

  @LeiShape()
  senderLei: string;

  /** Our legal entity's LEI. */
  @LeiShape()
  receiverLei: string;

  @CalendarDate()
  tradeDate: string;

  @CalendarDate()
  settlementDate: string;

  @OneOf(TRADE_SIDES)
  side: TradeSide;

  @IsinShape()
  isin: string;

  @DecimalString()
  quantity: string;

  @DecimalString()
  price: string;

  @CurrencyCode()
  currency: string;

  @Optional()
  @DecimalString()
  grossAmount?: string;

  @DecimalString()
  netAmount: string;

  /** Bonds: the accrued interest the sender included in its net amount, compared by the matching profile. */
  @Optional()
  @DecimalString()
  accruedInterest?: string;

  /** The commission the sender charged, compared when the matching profile names `commission`. */
  @Optional()
  @DecimalString()
  commission?: string;

  /** The fees the sender charged, compared when the matching profile names `fees`. */
  @Optional()
  @DecimalString()
  fees?: string;

  /** Our sourceTradeId, when the counterparty knows it. */
  @Optional()
  @Text(REFERENCE_MAX_LENGTH)
  ourReference?: string;
}
