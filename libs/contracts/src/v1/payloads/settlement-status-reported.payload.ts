import {
  FAIL_REASON_CODES,
  FAILING_PARTIES,
  SETTLEMENT_UPDATE_STATUSES,
  type FailReasonCode,
  type FailingParty,
  type SettlementUpdateStatus,
} from '../vocabulary';
import {
  CalendarDate,
  DecimalString,
  OneOf,
  Optional,
  REFERENCE_MAX_LENGTH,
  RequiredWhen,
  Text,
} from './fields';

const RequiredFor = (...statuses: SettlementUpdateStatus[]) =>
  RequiredWhen((update: SettlementStatusUpdate) => statuses.includes(update.status));

/**
 * A custodian's status update: the body of `POST /api/v1/instructions/{id}/status-updates`.
 * Quantities and amounts are those settled by this update. PARTIALLY_SETTLED carries quantity,
 * amount and effective date; SETTLED the effective date (its quantity, if given, must be the
 * remainder); FAILED the failing party and an MT548 reason code. Fields a status does not need
 * are optional, and checked when given.
 */
export class SettlementStatusUpdate {
  /** Updates are idempotent by this id. */
  @Text(REFERENCE_MAX_LENGTH)
  updateId: string;

  @OneOf(SETTLEMENT_UPDATE_STATUSES)
  status: SettlementUpdateStatus;

  @RequiredFor('PARTIALLY_SETTLED')
  @DecimalString()
  settledQuantity?: string;

  @RequiredFor('PARTIALLY_SETTLED')
  @DecimalString()
  settledAmount?: string;

  /** YYYY-MM-DD. */
  @RequiredFor('PARTIALLY_SETTLED', 'SETTLED')
  @CalendarDate()
  effectiveDate?: string;

  @RequiredFor('FAILED')
  @OneOf(FAILING_PARTIES)
  failingParty?: FailingParty;

  @RequiredFor('FAILED')
  @OneOf(FAIL_REASON_CODES)
  reasonCode?: FailReasonCode;

  /** The custodian's own reason code for a status (e.g. a sese.024 rejection or pending reason), recorded as sent. */
  @Optional()
  @Text(REFERENCE_MAX_LENGTH)
  statusReason?: string;
}

/** `postrade.settlement.status-reported.v1` on `settlement.status.inbound.v1`: the status update plus its instruction. */
export class SettlementStatusReported extends SettlementStatusUpdate {
  @Text(REFERENCE_MAX_LENGTH)
  instructionId: string;
}
