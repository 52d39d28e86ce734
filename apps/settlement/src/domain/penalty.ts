import { Decimal, DomainError, LocalDate, parseDecimal, roundToMinorUnit, settlementBusinessDays, type SettlementMarket } from '@postrade/kernel';
import type { CsdrCategory, FailReasonCode, FailingParty, PenaltyDirection, PriceType } from '@postrade/contracts';

/**
 * Daily CSDR cash-penalty rates per category, in basis points (Commission Delegated Regulation (EU)
 * 2017/389, Annex; see test/fixtures/csdr/). Effective-dated: a later rate is a new row.
 */
export const DEFAULT_PENALTY_RATES: Readonly<Record<CsdrCategory, string>> = {
  LIQUID_SHARE: '1.0',
  ILLIQUID_SHARE: '0.5',
  SME_SHARE: '0.25',
  SOVEREIGN_DEBT: '0.10',
  OTHER_DEBT: '0.20',
  SME_DEBT: '0.15',
  OTHER: '0.5',
};

/**
 * What the first settlement migration seeded as cash rates (it still imports this list, so it must
 * not change). The full ECB history to 2025-06-11 is `CASH_PENALTY_RATE_SEED` (penalty-seed.ts),
 * and the rates in force are the approved changes of `cash_penalty_rate_changes`.
 */
export const DEFAULT_CASH_PENALTY_RATES: readonly CashPenaltyRate[] = [
  { currency: 'EUR', effectiveFrom: '2024-09-18', annualPercent: '3.90' },
  { currency: 'EUR', effectiveFrom: '2024-10-23', annualPercent: '3.65' },
];

/**
 * Markets where CSDR cash penalties apply: the EU only. The UK never brought the settlement
 * discipline regime into force, and US, CH and JP have none; fails elsewhere age but cost nothing.
 */
export const PENALTY_MARKETS: readonly SettlementMarket[] = ['EU'];

export interface PenaltyRate {
  category: CsdrCategory;
  effectiveFrom: LocalDate;
  rateBps: string;
}

export interface CashPenaltyRate {
  currency: string;
  effectiveFrom: LocalDate;
  annualPercent: string;
}

/** Decimals a daily rate derived from an annual one is kept to, in the computation and on the penalty. */
const DERIVED_RATE_DECIMALS = 10;

/** The rate in force on `date`: the latest row effective on or before it. */
export function effectiveOn<T extends { effectiveFrom: LocalDate }>(rows: readonly T[], date: LocalDate): T | null {
  let found: T | null = null;
  for (const row of rows) {
    if (!LocalDate.isAfter(row.effectiveFrom, date) && (found === null || LocalDate.isAfter(row.effectiveFrom, found.effectiveFrom))) found = row;
  }
  return found;
}

/** A fail for lack of cash (ours or the counterparty's) is charged at the overnight credit rate. */
export function isCashFail(reasonCode: FailReasonCode | null): boolean {
  return reasonCode === 'MONY' || reasonCode === 'CMON';
}

/** An annual percentage as a daily rate in basis points (annual / 365), floored at zero. */
export function dailyBpsOfAnnualPercent(annualPercent: string): Decimal {
  const annual = Decimal.max(parseDecimal(annualPercent, 'annualPercent'), 0);
  return annual.times(100).dividedBy(365).toDecimalPlaces(DERIVED_RATE_DECIMALS, Decimal.ROUND_HALF_UP);
}

/** The failing party pays; the other side receives. */
export function penaltyDirection(failingParty: FailingParty): PenaltyDirection {
  return failingParty === 'US' ? 'PAY' : 'RECEIVE';
}

/** The rate of one failing day: a category's daily basis points, or a central bank's annual percent (cash fails). */
export type PenaltyRateInput = { rateBps: Decimal } | { annualPercent: string };

export type PenaltyInput = {
  failedQuantity: string;
  referencePrice: string;
  priceType: PriceType;
  currency: string;
} & PenaltyRateInput;

/** The reference value of the failed instruments: quantity × price (÷ 100 for a PERCENT_OF_PAR nominal), unrounded. */
export function referenceValue(failedQuantity: string, referencePrice: string, priceType: PriceType): Decimal {
  const value = parseDecimal(failedQuantity, 'failedQuantity').times(parseDecimal(referencePrice, 'referencePrice'));
  return priceType === 'PERCENT_OF_PAR' ? value.dividedBy(100) : value;
}

/**
 * penalty = reference value × daily rate, rounded half-up to the currency's minor unit, the basis
 * being the reference value whether securities or cash were lacking (Art. 3(2) of 2017/389). A
 * category rate is basis points a day: value × bps / 10,000. A cash rate is the central bank's
 * overnight credit rate, a year's percent floored at 0, taken per day as annual / 365:
 * value × annual / 100 / 365, divided last so that no rounded daily rate enters the amount. The
 * same formula runs set-based in SQL at close (`PenaltyRepository`).
 */
export function penaltyAmount(input: PenaltyInput): Decimal {
  const value = referenceValue(input.failedQuantity, input.referencePrice, input.priceType);
  const raw =
    'annualPercent' in input
      ? value.times(Decimal.max(parseDecimal(input.annualPercent, 'annualPercent'), 0)).dividedBy(36_500)
      : value.times(input.rateBps).dividedBy(10_000);
  return roundToMinorUnit(raw, input.currency);
}

/** A penalty that rounds to zero in the currency's minor unit is not raised. */
export function isRaised(amount: Decimal): boolean {
  return amount.greaterThan(0);
}

/** The daily rate that applies to one failing day: the category's, or the cash rate for a cash fail. */
export function dailyRateBps(
  day: LocalDate,
  fail: { category: CsdrCategory; reasonCode: FailReasonCode | null; currency: string },
  rates: readonly PenaltyRate[],
  cashRates: readonly CashPenaltyRate[],
): Decimal {
  if (isCashFail(fail.reasonCode)) {
    const cash = effectiveOn(cashRates.filter((r) => r.currency === fail.currency), day);
    if (cash === null) throw DomainError.unprocessable(`no overnight credit rate for ${fail.currency} is in force on ${day}`);
    return dailyBpsOfAnnualPercent(cash.annualPercent);
  }
  const rate = effectiveOn(rates.filter((r) => r.category === fail.category), day);
  if (rate === null) throw DomainError.unprocessable(`no penalty rate for ${fail.category} is in force on ${day}`);
  return parseDecimal(rate.rateBps, 'rateBps');
}

/** The settlement business days an instruction due on `isd` has failed by the end of `asOf`, oldest first. */
export function failingDays(market: SettlementMarket, isd: LocalDate, asOf: LocalDate): LocalDate[] {
  if (LocalDate.isBefore(asOf, isd)) return [];
  return settlementBusinessDays(market, isd, asOf);
}

/** How many settlement business days a fail has aged by the end of `asOf` (1 on its ISD). */
export function failAge(market: SettlementMarket, isd: LocalDate, asOf: LocalDate): number {
  return failingDays(market, isd, asOf).length;
}

/** What kind of CSDR penalty: a settlement fail (SEFP) or a late-matching fail (LMFP). */
export type PenaltyKind = 'SETTLEMENT_FAIL' | 'LATE_MATCHING';

/** Does CSDR penalise fails in this market? The EU only. */
export function isPenaltyMarket(market: SettlementMarket): boolean {
  return PENALTY_MARKETS.includes(market);
}

/**
 * The business days a late-matching fail penalty covers: an instruction that matched at the
 * depository after its ISD is charged for each settlement business day from its ISD up to the day
 * before it matched (from the matching day on, it is matched and a fail is a settlement fail).
 * None when it matched on or before its ISD.
 */
export function lateMatchingDays(market: SettlementMarket, isd: LocalDate, matchedOn: LocalDate): LocalDate[] {
  if (!LocalDate.isAfter(matchedOn, isd)) return [];
  return settlementBusinessDays(market, isd, LocalDate.addDays(matchedOn, -1));
}

/**
 * Who pays a late-matching penalty: the party that instructed last. The depository says so when its
 * match report names the failing party; otherwise it follows from the dates: our instruction went to
 * the custodian on `instructedOn`, and the match came when the second instruction arrived, so if ours
 * arrived before the matching day the counterparty's came last; if it arrived that day (or later),
 * ours did.
 */
export function lateMatchingParty(instructedOn: LocalDate, matchedOn: LocalDate, reported: FailingParty | null): FailingParty {
  if (reported !== null) return reported;
  return LocalDate.isBefore(instructedOn, matchedOn) ? 'COUNTERPARTY' : 'US';
}

/** An instruction's state at the close of one day, which is what that day's penalty is assessed on. */
export interface FailDayState {
  market: SettlementMarket;
  category: CsdrCategory;
  priceType: PriceType;
  currency: string;
  /** Instructed quantity minus what had settled by that day's close. */
  unsettledQuantity: string;
  /** Matched at the depository by that day's close. */
  matched: boolean;
  failingParty: FailingParty | null;
  reasonCode: FailReasonCode | null;
  /** The day's reference price in the instruction's currency, when on file. */
  referencePrice: string | null;
}

export interface AssessedPenalty {
  amount: Decimal;
  direction: PenaltyDirection;
  /** The daily rate in basis points, as shown on the penalty (a cash rate's annual / 365 to 10 decimals). */
  rateBps: Decimal;
}

/**
 * One day's settlement-fail penalty, or null when none is raised: outside the EU, nothing unsettled,
 * not matched at the depository, no failing party reported, no reference price on file, or an amount
 * that rounds to zero. The category's rate for a lack of securities (LACK, CLAC, OTHR), the cash
 * rate of the currency for a lack of cash (MONY, CMON); both on the reference value.
 */
export function assessFailDay(
  day: LocalDate,
  state: FailDayState,
  rates: readonly PenaltyRate[],
  cashRates: readonly CashPenaltyRate[],
): AssessedPenalty | null {
  if (!isPenaltyMarket(state.market) || !state.matched || state.failingParty === null || state.referencePrice === null) return null;
  if (!parseDecimal(state.unsettledQuantity, 'unsettledQuantity').greaterThan(0)) return null;
  const base = { failedQuantity: state.unsettledQuantity, referencePrice: state.referencePrice, priceType: state.priceType, currency: state.currency };
  let amount: Decimal;
  if (isCashFail(state.reasonCode)) {
    const cash = effectiveOn(cashRates.filter((r) => r.currency === state.currency), day);
    if (cash === null) return null;
    amount = penaltyAmount({ ...base, annualPercent: cash.annualPercent });
  } else {
    amount = penaltyAmount({ ...base, rateBps: dailyRateBps(day, { category: state.category, reasonCode: state.reasonCode, currency: state.currency }, rates, cashRates) });
  }
  if (!isRaised(amount)) return null;
  const rateBps = dailyRateBps(day, { category: state.category, reasonCode: state.reasonCode, currency: state.currency }, rates, cashRates);
  return { amount, direction: penaltyDirection(state.failingParty), rateBps };
}

/** Ageing buckets of a fail, in settlement business days of its market (1 on its ISD). */
export const FAIL_AGE_BUCKETS = ['1', '2-4', '5-7', '8-15', '16+'] as const;
export type FailAgeBucket = (typeof FAIL_AGE_BUCKETS)[number];

/**
 * The bucket of a fail's age: its first day; up to 4 days (the extension period before a buy-in for
 * liquid shares, Art. 7(3) CSDR); up to 7 (the one for other instruments); up to 15; older.
 */
export function ageBucket(age: number): FailAgeBucket {
  if (age <= 1) return '1';
  if (age <= 4) return '2-4';
  if (age <= 7) return '5-7';
  if (age <= 15) return '8-15';
  return '16+';
}
