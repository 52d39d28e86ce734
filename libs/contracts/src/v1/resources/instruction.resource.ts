import type {
  CsdrCategory,
  DepositoryMatchingStatus,
  FailReasonCode,
  FailingParty,
  InstructionDirection,
  PenaltyDirection,
  ProcessingStatus,
  SettlementStatus,
  SettlementType,
} from '../vocabulary';
import type { SsiPair } from './reference-data.resource';

export interface InstructionHistoryEntry {
  /** ISO 8601 instant. */
  at: string;
  /** What happened, e.g. the event or status update applied. */
  event: string;
  details: Record<string, unknown>;
}

/** `GET /api/v1/instructions/{id}`; the body of the settlement topics' events. */
export interface InstructionResource {
  instructionId: string;
  /** One trade, or several for a net instruction. */
  tradeIds: string[];
  type: SettlementType;
  /** DELIVER for a SELL, RECEIVE for a BUY. */
  direction: InstructionDirection;
  isin: string;
  quantity: string;
  /** The net amount. */
  settlementAmount: string;
  currency: string;
  intendedSettlementDate: string;
  /** The market the instruction settles in (its calendar, its CSD). */
  settlementMarket: string;
  /** The SSIs as the instruction carries them: agent, safekeeping and cash accounts, place of settlement. */
  ssis: SsiPair;
  processingStatus: ProcessingStatus;
  matchingStatus: DepositoryMatchingStatus;
  settlementStatus: SettlementStatus;
  /** Holds that block settlement (party hold for compliance, CSD hold); they can coexist. */
  holds: string[];
  settledQuantity: string;
  settledAmount: string;
  history: InstructionHistoryEntry[];
}

/** A CSDR cash penalty for one instruction and one failing settlement day; `GET /api/v1/penalties`. */
export interface PenaltyResource {
  penaltyId: string;
  instructionId: string;
  date: string;
  counterpartyLei: string;
  isin: string;
  category: CsdrCategory;
  failedQuantity: string;
  referencePrice: string;
  /** Daily rate in basis points, a decimal string (e.g. "0.25"). */
  rateBps: string;
  /** Positive, rounded half-up to the currency's minor unit. */
  amount: string;
  currency: string;
  direction: PenaltyDirection;
}

/**
 * What a settlement event changed; which fields are set depends on the event type: settled
 * quantity, amount and effective date for (partially-)settled, failing party and reason code for
 * failed, the penalty for penalty-assessed, a reason for cancelled; nothing more for instructed.
 */
export interface SettlementChange {
  /** The custodian status update that caused the change, when one did. */
  updateId?: string;
  /** Settled by this change, not in total. */
  settledQuantity?: string;
  settledAmount?: string;
  effectiveDate?: string;
  failingParty?: FailingParty;
  reasonCode?: FailReasonCode;
  penalty?: PenaltyResource;
  reason?: string;
}

/** `postrade.settlement.{instructed,partially-settled,settled,failed,cancelled,penalty-assessed}.v1` on `settlement.events.v1`. */
export interface SettlementEventPayload extends InstructionResource {
  change: SettlementChange;
}

/** `postrade.settlement.instruction.v1` on `settlement.instructions.outbound.v1`. */
export interface SettlementInstructionPayload extends InstructionResource {
  /** The instruction as ISO 20022 sese.023 XML. */
  sese023: string;
}

/** What Postrade asks the custodian to do with an instruction it already has (issue 17). */
export type CustodianRequestAction = 'HOLD' | 'RELEASE' | 'CANCEL';

/**
 * `postrade.settlement.hold-request.v1` (HOLD / RELEASE, with its sese.030 XML) and
 * `postrade.settlement.cancellation-request.v1` (CANCEL, with its sese.020 XML) on
 * `settlement.instructions.outbound.v1`: the instruction as it stands, plus the request. The
 * custodian answers on the status paths: HOLD_CONFIRMED / RELEASE_CONFIRMED (or HOLD_REJECTED /
 * RELEASE_REJECTED), CANCELLED / CANCELLATION_REJECTED.
 */
export interface SettlementCustodianRequestPayload extends InstructionResource {
  /** Our instruction reference (the sese.023's AcctOwnrTxId). */
  reference: string;
  request: {
    /** This request's own reference (its message's AcctOwnrTxId / identification), unique per request. */
    requestId: string;
    action: CustodianRequestAction;
    reason?: string;
  };
  sese030?: string;
  sese020?: string;
}
