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
 * Central-bank overnight credit rates (annual percent) for fails for lack of cash: the ECB marginal
 * lending facility from the ECB's key-rates page, last decision in the stored snapshot.
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

export interface PenaltyInput {
  failedQuantity: string;
  referencePrice: string;
  priceType: PriceType;
  rateBps: Decimal;
  currency: string;
}

/**
 * penalty = failed quantity × reference price (÷ 100 for a PERCENT_OF_PAR nominal) × daily rate,
 * rounded half-up to the currency's minor unit. The same formula runs set-based in SQL at close.
 */
export function penaltyAmount(input: PenaltyInput): Decimal {
  const value = parseDecimal(input.failedQuantity, 'failedQuantity').times(parseDecimal(input.referencePrice, 'referencePrice'));
  const marketValue = input.priceType === 'PERCENT_OF_PAR' ? value.dividedBy(100) : value;
  return roundToMinorUnit(marketValue.times(input.rateBps).dividedBy(10_000), input.currency);
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
