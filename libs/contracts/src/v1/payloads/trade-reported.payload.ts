import {
  SETTLEMENT_TYPES,
  TRADE_ACTIONS,
  TRADE_SIDES,
  type SettlementType,
  type TradeAction,
  type TradeSide,
} from '../vocabulary';
import {
  CalendarDate,
  CurrencyCode,
  DecimalString,
  Instant,
  IsinShape,
  LeiShape,
  OneOf,
  Optional,
  REASON_MAX_LENGTH,
  REFERENCE_MAX_LENGTH,
  RequiredWhen,
  Text,
  VersionNumber,
} from './fields';
import type { TradeSubmission } from './trade-submission.payload';

// A CANCEL names the trade by its keys; the trade fields, if it carries them, are still checked.
const RequiredUnlessCancel = () => RequiredWhen((reported: TradeReported) => reported.action !== 'CANCEL');

/**
 * `postrade.trade.reported.v1` on `trades.inbound.v1`: the trade submission plus its lifecycle
 * action. NEW and AMEND carry every required field of `TradeSubmission`; CANCEL needs only
 * sourceSystem, sourceTradeId and version. Use `isNewOrAmend` to get the submission fields typed.
 */
export class TradeReported {
  @OneOf(TRADE_ACTIONS)
  action: TradeAction;

  /** 1 for NEW; greater than the current version for AMEND and CANCEL. */
  @VersionNumber()
  version: number;

  @Optional()
  @Text(REASON_MAX_LENGTH)
  reason?: string;

  @Text(REFERENCE_MAX_LENGTH)
  sourceSystem: string;

  @Text(REFERENCE_MAX_LENGTH)
  sourceTradeId: string;

  @RequiredUnlessCancel()
  @CalendarDate()
  tradeDate?: string;

  @Optional()
  @Instant()
  executionTime?: string;

  @RequiredUnlessCancel()
  @OneOf(TRADE_SIDES)
  side?: TradeSide;

  @RequiredUnlessCancel()
  @IsinShape()
  isin?: string;

  @RequiredUnlessCancel()
  @DecimalString()
  quantity?: string;

  @RequiredUnlessCancel()
  @DecimalString()
  price?: string;

  @RequiredUnlessCancel()
  @CurrencyCode()
  currency?: string;

  @RequiredUnlessCancel()
  @LeiShape()
  counterpartyLei?: string;

  @RequiredUnlessCancel()
  @LeiShape()
  legalEntityLei?: string;

  @RequiredUnlessCancel()
  @Text(REFERENCE_MAX_LENGTH)
  book?: string;

  @Optional()
  @CalendarDate()
  settlementDate?: string;

  @Optional()
  @DecimalString()
  commission?: string;

  @Optional()
  @DecimalString()
  fees?: string;

  @Optional()
  @OneOf(SETTLEMENT_TYPES)
  settlementType?: SettlementType;
}

/** A validated NEW or AMEND: every required trade field is present. */
export function isNewOrAmend(reported: TradeReported): reported is TradeReported & TradeSubmission {
  return reported.action !== 'CANCEL';
}
