import type { CashPenaltyRate } from './penalty';

/**
 * The ECB marginal lending facility rate (annual percent) by the date it took effect: the overnight
 * credit rate of Annex row 8 of Delegated Regulation (EU) 2017/389 for fails for lack of EUR cash.
 * From apps/settlement/data/csdr/ecb_key_interest_rates_snapshot.csv (2012-07-11 .. 2025-06-11; see its
 * README for the source); `penalty.spec.ts` checks the two agree. The migration `CashPenaltyRateChanges`
 * seeds these as approved changes; later decisions come through the API (four eyes), never by editing
 * this list after it shipped.
 */
const ECB_MARGINAL_LENDING_FACILITY: readonly (readonly [string, string])[] = [
  ['2012-07-11', '1.50'],
  ['2013-05-08', '1.00'],
  ['2013-11-13', '0.75'],
  ['2014-06-11', '0.40'],
  ['2014-09-10', '0.30'],
  ['2015-12-09', '0.30'],
  ['2016-03-16', '0.25'],
  ['2019-09-18', '0.25'],
  ['2022-07-27', '0.75'],
  ['2022-09-14', '1.50'],
  ['2022-11-02', '2.25'],
  ['2022-12-21', '2.75'],
  ['2023-02-08', '3.25'],
  ['2023-03-22', '3.75'],
  ['2023-05-10', '4.00'],
  ['2023-06-21', '4.25'],
  ['2023-08-02', '4.50'],
  ['2023-09-20', '4.75'],
  ['2024-06-12', '4.50'],
  ['2024-09-18', '3.90'],
  ['2024-10-23', '3.65'],
  ['2024-12-18', '3.40'],
  ['2025-02-05', '3.15'],
  ['2025-03-12', '2.90'],
  ['2025-04-23', '2.65'],
  ['2025-06-11', '2.40'],
];

export const CASH_PENALTY_RATE_SEED: readonly CashPenaltyRate[] = ECB_MARGINAL_LENDING_FACILITY.map(([effectiveFrom, annualPercent]) => ({
  currency: 'EUR',
  effectiveFrom,
  annualPercent,
}));

/** Who a seeded change is recorded as proposed and approved by. */
export const SEED_PRINCIPAL = 'seed:ecb_key_interest_rates_snapshot';
