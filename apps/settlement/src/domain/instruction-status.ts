import { Decimal, decimalPlaces, DomainError, LocalDate, minorUnits, parseDecimal, settlementAmountTolerance, toDecimalString, withinTolerance } from '@postrade/kernel';
import type {
  DepositoryMatchingStatus,
  FailReasonCode,
  FailingParty,
  ProcessingStatus,
  SettlementChange,
  SettlementStatus,
  SettlementUpdateStatus,
} from '@postrade/contracts';

/**
 * Why an instruction is PENDING rather than INSTRUCTED: an SSI is missing, or it replaces an
 * instruction the custodian has and waits for that one's cancellation to be confirmed.
 */
export type PendingReason = 'SSI_MISSING' | 'CANCELLATION_PENDING';

/** Something operations must look at, raised on the instruction (e.g. the depository settled it while it was held). */
export interface InstructionException {
  code: 'SETTLED_WHILE_HELD' | 'SETTLED_AFTER_CANCELLATION_REQUEST' | 'CANCELLATION_REJECTED' | 'CANCELLED_BY_CUSTODIAN' | 'HOLD_REJECTED' | 'RELEASE_REJECTED';
  message: string;
  /** The custodian update that raised it. */
  updateId: string;
}

/** Where the party hold stands at the custodian (see `CustodianState.hold`). */
export type CustodianHold = 'REQUESTED' | 'CONFIRMED' | 'REJECTED' | 'RELEASE_REQUESTED' | 'RELEASE_REJECTED' | null;

/**
 * The instruction as the custodian has it (issue 17). `sent`: its sese.023 went out on
 * `settlement.instructions.outbound.v1`; `acknowledged`: the custodian has reported on it at least
 * once. It has *reached* the custodian when both hold: only then does a replacement wait for its
 * cancellation to be confirmed (one sent but never answered is cancelled all the same, and the
 * replacement goes out at once).
 */
export interface CustodianState {
  sent: boolean;
  acknowledged: boolean;
  /**
   * The party hold at the custodian: asked for (sese.030, or the sese.023's hold indicator),
   * confirmed, refused (REJECTED: not held at the depository), its release asked for, or the
   * release refused (RELEASE_REJECTED: still held at the depository).
   */
  hold: CustodianHold;
  /** The custodian's reason code with its last answer to a hold or release request (e.g. a refusal's), as sent. */
  holdReason: string | null;
  /** Our cancellation request (sese.020) and the custodian's answer to it. */
  cancellation: 'REQUESTED' | 'CONFIRMED' | 'REJECTED' | null;
  /** For a replacement: the instructions whose cancellation at the custodian it waits for. */
  awaitingCancellationOf: string[];
  /** The custodian's last reason code, as sent (e.g. a rejection's). */
  statusReason: string | null;
  exceptions: InstructionException[];
  /** A pair-off (quantity 0) the depository confirmed SETTLED: its cash moved, or nothing had to. */
  pairOffSettled?: boolean;
}

export function custodianStateOf(status: Pick<InstructionStatus, 'custodian' | 'processingStatus'>): CustodianState {
  return {
    sent: status.processingStatus !== 'PENDING',
    acknowledged: false,
    hold: null,
    holdReason: null,
    cancellation: null,
    awaitingCancellationOf: [],
    statusReason: null,
    exceptions: [],
    ...(status.custodian ?? {}),
  };
}

/** The custodian has the instruction: it was sent and the custodian has answered on it. */
export function reachedCustodian(status: Pick<InstructionStatus, 'custodian' | 'processingStatus'>): boolean {
  const custodian = custodianStateOf(status);
  return custodian.sent && custodian.acknowledged;
}

/** An instruction's status on the three sese.024 axes, plus what has settled and who is failing. */
export interface InstructionStatus {
  processingStatus: ProcessingStatus;
  pendingReason: PendingReason | null;
  matchingStatus: DepositoryMatchingStatus;
  /** A fail was reported or the instruction passed an end of day unsettled; cleared only by settling in full. */
  failing: boolean;
  partyHold: boolean;
  quantity: string;
  settlementAmount: string;
  settledQuantity: string;
  settledAmount: string;
  failingParty: FailingParty | null;
  failReasonCode: FailReasonCode | null;
  /** How the custodian has it; absent: as `custodianStateOf` defaults it. */
  custodian?: Partial<CustodianState>;
}

/** A custodian's report on one instruction (REST, Kafka or ISO 20022). */
export interface StatusUpdate {
  updateId: string;
  status: SettlementUpdateStatus;
  settledQuantity?: string;
  settledAmount?: string;
  effectiveDate?: string;
  failingParty?: FailingParty;
  reasonCode?: FailReasonCode;
  /** The custodian's own reason code for the status, recorded as sent. */
  statusReason?: string;
  /** Checked against the instruction when an ISO 20022 message names them. */
  isin?: string;
  currency?: string;
}

/** What an applied update changed, and the settlement event it raises (none for MATCHED, REJECTED or the answers to our requests). */
export interface AppliedUpdate {
  status: InstructionStatus;
  event: 'partially-settled' | 'settled' | 'failed' | null;
  /** Raised for operations by this update (also added to the status's exceptions). */
  exception?: InstructionException;
  /** The custodian confirmed our cancellation: replacements waiting for it may go out. */
  cancellationConfirmed?: boolean;
  change: SettlementChange;
  /**
   * A SETTLED confirmed at the depository's amount, within the matching tolerance of ours: ours
   * (the remaining amount) and the difference, theirs − ours, for the history.
   */
  amountDifference?: { ourAmount: string; depositoryAmount: string; difference: string };
}

/**
 * The settlement axis follows from the facts, whatever order they arrived in: settled in full,
 * else failing once a fail is known, else partly settled, else pending.
 */
export function settlementStatusOf(
  status: Pick<InstructionStatus, 'quantity' | 'settledQuantity' | 'failing'> & Partial<Pick<InstructionStatus, 'settlementAmount' | 'settledAmount' | 'custodian'>>,
): SettlementStatus {
  const settled = new Decimal(status.settledQuantity);
  // A pair-off (no securities move: cash only, or nothing at all) has settled when the depository
  // confirmed it: never at creation.
  if (new Decimal(status.quantity).isZero()) {
    if (status.custodian?.pairOffSettled === true) return 'SETTLED';
    return status.failing ? 'FAILING' : 'PENDING';
  }
  if (settled.greaterThanOrEqualTo(status.quantity)) return 'SETTLED';
  if (status.failing) return 'FAILING';
  return settled.isZero() ? 'PENDING' : 'PARTIALLY_SETTLED';
}

const unprocessable = (message: string, field = 'status') => DomainError.unprocessable(message, [{ field, message }]);

/**
 * The party each MT548 reason code names (DOMAIN.md "Settlement"): LACK and MONY are our lack of
 * securities or money, CLAC and CMON the counterparty's; OTHR names neither.
 */
export const FAILING_PARTY_OF_REASON: Readonly<Record<FailReasonCode, FailingParty | null>> = Object.freeze({
  LACK: 'US',
  MONY: 'US',
  CLAC: 'COUNTERPARTY',
  CMON: 'COUNTERPARTY',
  OTHR: null,
});

/** Refuses (422 naming `reasonCode`) an update whose failing party contradicts its reason code: our lack of securities is not the counterparty's CLAC. */
export function checkFailReason(failingParty: FailingParty | undefined, reasonCode: FailReasonCode | undefined): void {
  if (failingParty === undefined || reasonCode === undefined) return;
  const named = FAILING_PARTY_OF_REASON[reasonCode];
  if (named !== undefined && named !== null && named !== failingParty) {
    const whose = named === 'US' ? 'our own (LACK, MONY)' : "the counterparty's (CLAC, CMON)";
    throw unprocessable(`${reasonCode} is ${whose} failing reason, but the update says ${failingParty} is failing`, 'reasonCode');
  }
}

/** The dates an update's effective date is judged by: the business today of the instruction's market, and its trade date (null: unknown). */
export interface EffectiveDateBounds {
  today: string;
  tradeDate: string | null;
}

/**
 * An effective settlement date is a fact of the past: not after the business today of the
 * instruction's market (`marketToday`), not before its trade date. Throws 422 naming `effectiveDate`.
 */
export function checkEffectiveDate(effectiveDate: string | undefined, bounds: EffectiveDateBounds): void {
  if (effectiveDate === undefined) return;
  if (LocalDate.isAfter(effectiveDate, bounds.today)) {
    throw unprocessable(`${effectiveDate} is in the future: the market's business today is ${bounds.today}`, 'effectiveDate');
  }
  if (bounds.tradeDate !== null && LocalDate.isBefore(effectiveDate, bounds.tradeDate)) {
    throw unprocessable(`${effectiveDate} is before the trade date ${bounds.tradeDate}`, 'effectiveDate');
  }
}

/**
 * Applies a custodian's update, or throws (422) with the reason it cannot apply: the instruction is
 * not with the custodian, the update would settle more than instructed, it contradicts the ISIN or
 * currency, its effective date is in the future or before the trade date (when `dates` are given),
 * its failing party contradicts its reason code, or the instruction has already settled.
 * Settling in full clears the current fail (party and reason).
 *
 * What the depository reports as settled is a fact and is recorded even when Postrade would not
 * have let it settle: on an instruction on party hold, or on one whose cancellation we asked for
 * and the custodian has not confirmed, it is applied and raises an exception for operations.
 * Every update tells us the custodian has the instruction (`custodian.acknowledged`); the answers
 * to our requests (hold, release, cancellation) are recorded on `custodian`.
 */
export function applyStatusUpdate(
  current: InstructionStatus,
  update: StatusUpdate,
  instruction: { isin: string; currency: string },
  dates?: EffectiveDateBounds,
): AppliedUpdate {
  if (dates !== undefined) checkEffectiveDate(update.effectiveDate, dates);
  checkFailReason(update.failingParty, update.reasonCode);
  const custodian = custodianStateOf(current);
  // Cancelled by us, but the custodian has not confirmed it (or refused): it may still report on it.
  const cancelPending = current.processingStatus === 'CANCELLED' && (custodian.cancellation === 'REQUESTED' || custodian.cancellation === 'REJECTED');
  if (current.processingStatus !== 'INSTRUCTED' && !cancelPending) {
    throw unprocessable(`the instruction is ${current.processingStatus}${current.pendingReason ? ` (${current.pendingReason})` : ''}: the custodian has nothing to report on`);
  }
  if (update.isin !== undefined && update.isin !== instruction.isin) throw unprocessable(`reports ISIN ${update.isin}, the instruction settles ${instruction.isin}`, 'isin');
  if (update.currency !== undefined && update.currency !== instruction.currency) {
    throw unprocessable(`reports an amount in ${update.currency}, the instruction settles in ${instruction.currency}`, 'currency');
  }
  const answered: CustodianState = { ...custodian, acknowledged: true, statusReason: update.statusReason ?? custodian.statusReason };
  const raise = (code: InstructionException['code'], message: string): { next: InstructionStatus; exception: InstructionException } => {
    const exception: InstructionException = { code, message, updateId: update.updateId };
    return { exception, next: { ...current, custodian: { ...answered, exceptions: [...answered.exceptions, exception] } } };
  };
  const request = requestAnswer(current, update, answered, cancelPending, raise);
  if (request !== null) return request;
  const result = applySettlementFact({ ...current, custodian: answered }, update, instruction);
  if ((update.status === 'SETTLED' || update.status === 'PARTIALLY_SETTLED') && (current.partyHold || cancelPending)) {
    const code = current.partyHold ? 'SETTLED_WHILE_HELD' : 'SETTLED_AFTER_CANCELLATION_REQUEST';
    const message = current.partyHold
      ? `the depository reported ${update.status} while the instruction is on party hold: recorded as settled, for operations to review`
      : `the depository reported ${update.status} after we asked it to cancel the instruction: recorded as settled, for operations to review`;
    const exception: InstructionException = { code, message, updateId: update.updateId };
    const after = custodianStateOf(result.status);
    return { ...result, status: { ...result.status, custodian: { ...after, exceptions: [...after.exceptions, exception] } }, exception };
  }
  return result;
}

/** The answers to what we sent (and the acknowledgements): recorded on the instruction, no settlement event. Null for a settlement fact. */
function requestAnswer(
  current: InstructionStatus,
  update: StatusUpdate,
  answered: CustodianState,
  cancelPending: boolean,
  raise: (code: InstructionException['code'], message: string) => { next: InstructionStatus; exception: InstructionException },
): AppliedUpdate | null {
  const change = { updateId: update.updateId, ...(update.statusReason === undefined ? {} : { reason: update.statusReason }) };
  const recorded = (custodian: CustodianState, extra: Partial<InstructionStatus> = {}): AppliedUpdate => ({ status: { ...current, ...extra, custodian }, event: null, change });
  switch (update.status) {
    case 'ACKNOWLEDGED':
      return recorded(answered);
    case 'UNMATCHED':
      if (current.matchingStatus === 'MATCHED' && !new Decimal(current.settledQuantity).isZero()) throw unprocessable('part of the instruction has settled: it is matched');
      return recorded(answered, { matchingStatus: 'UNMATCHED' });
    case 'HOLD_CONFIRMED':
      // A confirmation that arrives after we asked for the release leaves the release asked for.
      return recorded({ ...answered, hold: answered.hold === 'RELEASE_REQUESTED' ? 'RELEASE_REQUESTED' : 'CONFIRMED', holdReason: update.statusReason ?? null });
    case 'RELEASE_CONFIRMED':
      return recorded({ ...answered, hold: null, holdReason: update.statusReason ?? null });
    case 'HOLD_REJECTED':
    case 'RELEASE_REJECTED':
      return holdRefused(current, update, answered, raise, change);
    case 'CANCELLED': {
      if (cancelPending) return { ...recorded({ ...answered, cancellation: 'CONFIRMED' }), cancellationConfirmed: true };
      // The custodian cancelled an instruction we did not ask it to cancel: the fact wins, operations are told.
      const { next, exception } = raise('CANCELLED_BY_CUSTODIAN', 'the custodian reports the instruction cancelled, though we did not ask it to: it will not settle');
      return { status: { ...next, processingStatus: 'CANCELLED', pendingReason: null }, event: null, change, exception };
    }
    case 'CANCELLATION_REJECTED': {
      if (!cancelPending) throw unprocessable('no cancellation of this instruction was requested');
      const { next, exception } = raise('CANCELLATION_REJECTED', `the custodian refused to cancel the instruction${update.statusReason ? ` (${update.statusReason})` : ''}: it is still live at the depository`);
      return { status: { ...next, custodian: { ...custodianStateOf(next), cancellation: 'REJECTED' } }, event: null, change, exception };
    }
    default:
      return null;
  }
}

/**
 * The custodian refused our hold (HOLD_REJECTED) or its release (RELEASE_REJECTED), with its reason
 * code. A refused hold leaves the instruction free to settle at the depository while Postrade holds
 * it; a refused release leaves it held there while Postrade has released it: either way the
 * depository and Postrade disagree, and operations get the exception (HOLD_REJECTED,
 * RELEASE_REJECTED). An answer to a request that has been overtaken (the hold refused after we
 * asked for its release, the release refused of a hold that is not there) is recorded and changes
 * nothing; one that answers nothing we asked for is refused (422).
 */
function holdRefused(
  current: InstructionStatus,
  update: StatusUpdate,
  answered: CustodianState,
  raise: (code: InstructionException['code'], message: string) => { next: InstructionStatus; exception: InstructionException },
  change: SettlementChange,
): AppliedUpdate {
  const reason = update.statusReason ? ` (${update.statusReason})` : '';
  const holdReason = update.statusReason ?? null;
  const refusedHold = update.status === 'HOLD_REJECTED';
  const asked: CustodianHold = refusedHold ? 'REQUESTED' : 'RELEASE_REQUESTED';
  const refused: CustodianHold = refusedHold ? 'REJECTED' : 'RELEASE_REJECTED';
  if (answered.hold === asked) {
    const { next, exception } = refusedHold
      ? raise('HOLD_REJECTED', `the custodian refused the party hold${reason}: the instruction is not held at the depository and may settle there while Postrade holds it`)
      : raise('RELEASE_REJECTED', `the custodian refused to release the party hold${reason}: the instruction stays held at the depository and will not settle there until the hold is lifted`);
    return { status: { ...next, custodian: { ...custodianStateOf(next), hold: refused, holdReason } }, event: null, change, exception };
  }
  const recorded = (hold: CustodianHold): AppliedUpdate => ({ status: { ...current, custodian: { ...answered, hold, holdReason } }, event: null, change });
  // Refused already (the same answer under another id): nothing more to raise.
  if (answered.hold === refused) return recorded(refused);
  // The hold was refused after we had asked for its release: nothing is held there, nothing to release.
  if (refusedHold && answered.hold === 'RELEASE_REQUESTED') return recorded(null);
  // The release of a hold the depository never had (or no longer has) is refused: nothing changes there.
  if (!refusedHold && answered.hold === null) return recorded(null);
  throw unprocessable(`no ${refusedHold ? 'hold' : 'release'} of this instruction awaits the custodian's answer (the hold at the custodian is ${answered.hold ?? 'none'})`);
}

/** MATCHED, FAILED, REJECTED, PARTIALLY_SETTLED, SETTLED: what happened at the depository. */
function applySettlementFact(current: InstructionStatus, update: StatusUpdate, instruction: { isin: string; currency: string }): AppliedUpdate {
  const quantity = new Decimal(current.quantity);
  const amount = new Decimal(current.settlementAmount);
  const settledQuantity = new Decimal(current.settledQuantity);
  const settledAmount = new Decimal(current.settledAmount);
  const remainingQuantity = quantity.minus(settledQuantity);
  const remainingAmount = amount.minus(settledAmount);
  // A cash-only pair-off moves no securities: it is settled by its cash, in full, by SETTLED.
  const cashOnly = quantity.isZero();
  const fullySettled = cashOnly ? current.custodian?.pairOffSettled === true : remainingQuantity.lessThanOrEqualTo(0);
  const next = { ...current };

  switch (update.status) {
    case 'MATCHED':
      next.matchingStatus = 'MATCHED';
      return { status: next, event: null, change: { updateId: update.updateId } };

    case 'REJECTED':
      if (!settledQuantity.isZero()) throw unprocessable(`${toDecimalString(settledQuantity)} has already settled: the instruction can no longer be rejected`);
      next.processingStatus = 'REJECTED';
      return { status: next, event: null, change: { updateId: update.updateId } };

    case 'FAILED':
      if (fullySettled) throw unprocessable('the instruction has settled in full: it cannot fail');
      next.failing = true;
      next.failingParty = update.failingParty!;
      next.failReasonCode = update.reasonCode!;
      return { status: next, event: 'failed', change: { updateId: update.updateId, failingParty: update.failingParty, reasonCode: update.reasonCode } };

    case 'PARTIALLY_SETTLED':
    case 'SETTLED': {
      if (fullySettled) throw unprocessable('the instruction has already settled in full', 'settledQuantity');
      const partial = update.status === 'PARTIALLY_SETTLED';
      const byQuantity = partial || update.settledQuantity !== undefined ? parseDecimal(update.settledQuantity!, 'settledQuantity') : remainingQuantity;
      const byAmount = partial || update.settledAmount !== undefined ? parseDecimal(update.settledAmount!, 'settledAmount') : remainingAmount;
      if (partial && cashOnly) throw unprocessable('a cash-only pair-off settles in full: report SETTLED');
      if (partial && !byQuantity.isPositive()) throw unprocessable('a partial settlement must settle a quantity greater than zero', 'settledQuantity');
      if (byAmount.isNegative()) throw unprocessable('must not be negative', 'settledAmount');
      const cents = minorUnits(instruction.currency);
      if (update.settledAmount !== undefined && decimalPlaces(update.settledAmount) > cents) {
        throw unprocessable(`must have at most ${cents} decimals for ${instruction.currency}`, 'settledAmount');
      }
      if (byQuantity.greaterThan(remainingQuantity)) {
        throw unprocessable(
          `would settle ${toDecimalString(byQuantity)} but only ${toDecimalString(remainingQuantity)} of ${current.quantity} remains unsettled`,
          'settledQuantity',
        );
      }
      // A SETTLED at the depository's amount within the matching tolerance of ours (libs/kernel tolerance.ts): the fact wins, and the difference is shown.
      const atTheirAmount =
        !partial &&
        update.settledAmount !== undefined &&
        !byAmount.equals(remainingAmount) &&
        withinTolerance(remainingAmount, byAmount, settlementAmountTolerance(remainingAmount));
      if (!atTheirAmount && byAmount.greaterThan(remainingAmount)) {
        throw unprocessable(
          `would settle ${toDecimalString(byAmount)} but only ${toDecimalString(remainingAmount)} of ${current.settlementAmount} remains unsettled`,
          'settledAmount',
        );
      }
      if (!partial && !byQuantity.equals(remainingQuantity)) {
        throw unprocessable(`SETTLED settles the remainder, ${toDecimalString(remainingQuantity)}, not ${toDecimalString(byQuantity)}`, 'settledQuantity');
      }
      if (!partial && !atTheirAmount && !byAmount.equals(remainingAmount)) {
        throw unprocessable(
          `SETTLED settles the remaining amount, ${toDecimalString(remainingAmount, cents)}, not ${toDecimalString(byAmount)} (more than the matching tolerance of ${toDecimalString(settlementAmountTolerance(remainingAmount))} apart)`,
          'settledAmount',
        );
      }
      next.matchingStatus = 'MATCHED';
      next.settledQuantity = toDecimalString(settledQuantity.plus(byQuantity));
      next.settledAmount = toDecimalString(settledAmount.plus(byAmount), cents);
      const completes = cashOnly || byQuantity.equals(remainingQuantity);
      if (cashOnly) next.custodian = { ...custodianStateOf(next), pairOffSettled: true };
      if (completes) {
        // Settled in full: no fail is current any more (the history keeps who failed and why).
        next.failing = false;
        next.failingParty = null;
        next.failReasonCode = null;
      }
      const difference = atTheirAmount
        ? { ourAmount: toDecimalString(remainingAmount, cents), depositoryAmount: toDecimalString(byAmount, cents), difference: toDecimalString(byAmount.minus(remainingAmount), cents) }
        : undefined;
      return {
        status: next,
        event: completes ? 'settled' : 'partially-settled',
        change: {
          updateId: update.updateId,
          settledQuantity: toDecimalString(byQuantity),
          settledAmount: toDecimalString(byAmount, cents),
          effectiveDate: update.effectiveDate,
          ...(difference === undefined
            ? {}
            : { reason: `settled at the depository's amount ${difference.depositoryAmount}, ${difference.difference} against ours ${difference.ourAmount} (within the matching tolerance)` }),
        },
        ...(difference === undefined ? {} : { amountDifference: difference }),
      };
    }
    default:
      throw unprocessable(`${update.status} is not a settlement status`);
  }
}
