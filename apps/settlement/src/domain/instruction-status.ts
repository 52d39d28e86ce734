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

/** Why an instruction is PENDING rather than INSTRUCTED. */
export type PendingReason = 'SSI_MISSING';

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
  /** Checked against the instruction when an ISO 20022 message names them. */
  isin?: string;
  currency?: string;
}

/** What an applied update changed, and the settlement event it raises (none for MATCHED or REJECTED). */
export interface AppliedUpdate {
  status: InstructionStatus;
  event: 'partially-settled' | 'settled' | 'failed' | null;
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
export function settlementStatusOf(status: Pick<InstructionStatus, 'quantity' | 'settledQuantity' | 'failing'>): SettlementStatus {
  const settled = new Decimal(status.settledQuantity);
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
 * its failing party contradicts its reason code, or the instruction is held or already settled.
 * Settling in full clears the current fail (party and reason).
 */
export function applyStatusUpdate(
  current: InstructionStatus,
  update: StatusUpdate,
  instruction: { isin: string; currency: string },
  dates?: EffectiveDateBounds,
): AppliedUpdate {
  if (dates !== undefined) checkEffectiveDate(update.effectiveDate, dates);
  checkFailReason(update.failingParty, update.reasonCode);
  if (current.processingStatus !== 'INSTRUCTED') {
    throw unprocessable(`the instruction is ${current.processingStatus}${current.pendingReason ? ` (${current.pendingReason})` : ''}: the custodian has nothing to report on`);
  }
  if (update.isin !== undefined && update.isin !== instruction.isin) throw unprocessable(`reports ISIN ${update.isin}, the instruction settles ${instruction.isin}`, 'isin');
  if (update.currency !== undefined && update.currency !== instruction.currency) {
    throw unprocessable(`reports an amount in ${update.currency}, the instruction settles in ${instruction.currency}`, 'currency');
  }
  const quantity = new Decimal(current.quantity);
  const amount = new Decimal(current.settlementAmount);
  const settledQuantity = new Decimal(current.settledQuantity);
  const settledAmount = new Decimal(current.settledAmount);
  const remainingQuantity = quantity.minus(settledQuantity);
  const remainingAmount = amount.minus(settledAmount);
  const fullySettled = remainingQuantity.lessThanOrEqualTo(0);
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
      if (current.partyHold) throw unprocessable('the instruction is on party hold (compliance): it must not settle until the hold is released');
      if (fullySettled) throw unprocessable('the instruction has already settled in full', 'settledQuantity');
      const partial = update.status === 'PARTIALLY_SETTLED';
      const byQuantity = partial || update.settledQuantity !== undefined ? parseDecimal(update.settledQuantity!, 'settledQuantity') : remainingQuantity;
      const byAmount = partial || update.settledAmount !== undefined ? parseDecimal(update.settledAmount!, 'settledAmount') : remainingAmount;
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
      const completes = byQuantity.equals(remainingQuantity);
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
  }
}
