import type { AssetClass, CouponFrequency, CsdrCategory, DayCount, PriceType, SettlementMarket } from '../vocabulary';

/**
 * A bond's coupon terms (DOMAIN.md). Rates and amounts are decimal strings; dates YYYY-MM-DD.
 * Optional terms are null when the bond does not have them.
 */
export interface CouponTermsResource {
  /** Percent a year; "0" for a zero coupon. */
  couponRate: string;
  /** Coupons a year: 1, 2, 4 or 12; 0 for a zero coupon. */
  couponFrequency: CouponFrequency;
  dayCount: DayCount;
  issueDate: string;
  /** Set only when the first coupon period is irregular. */
  firstCouponDate: string | null;
  maturityDate: string;
  /** Smallest nominal that can be traded. */
  minimumDenomination: string | null;
  /** Nominal above the minimum must be a multiple of this. */
  denominationIncrement: string | null;
  /** Business days before a coupon date from which a buyer does not receive that coupon. */
  exCouponDays: number | null;
}

/**
 * `postrade.instrument.upserted.v1`; `GET /api/v1/instruments/{isin}`. Bonds (GOVT_BOND,
 * CORP_BOND) also carry their coupon terms; equities and ETFs do not have those fields.
 */
export interface InstrumentResource extends Partial<CouponTermsResource> {
  isin: string;
  description: string;
  currency: string;
  assetClass: AssetClass;
  priceType: PriceType;
  settlementMarket: SettlementMarket;
  csdrCategory: CsdrCategory;
}

/** `postrade.counterparty.upserted.v1`; `GET /api/v1/counterparties/{lei}`. */
export interface CounterpartyResource {
  lei: string;
  name: string;
  aliases: string[];
  /** ISO 3166-1 alpha-2. */
  country: string;
  bic: string;
}

/** One of our own legal entities. `postrade.legal-entity.upserted.v1`; `GET /api/v1/legal-entities/{lei}`. */
export interface LegalEntityResource {
  lei: string;
  name: string;
  bic: string;
}

/**
 * A standing settlement instruction of a counterparty or of one of our legal entities, per
 * settlement market and currency. `postrade.ssi.upserted.v1`; `GET /api/v1/ssis/{lei}/{settlementMarket}/{currency}`.
 */
export interface SsiResource {
  lei: string;
  settlementMarket: SettlementMarket;
  currency: string;
  /** Custodian/agent BIC. */
  agentBic: string;
  safekeepingAccount: string;
  cashAccount: string;
  /** The CSD's BIC. */
  placeOfSettlement: string;
}

/** One side's SSI as an instruction carries it: where it settles, not whose or for which market (the instruction says that). */
export type InstructionSsi = Pick<SsiResource, 'agentBic' | 'safekeepingAccount' | 'cashAccount' | 'placeOfSettlement'>;

/** Both sides' SSIs, as an instruction carries them. */
export interface SsiPair {
  ours: InstructionSsi;
  theirs: InstructionSsi;
}

/** Both sides' SSIs as a trade carries them: a side is null while its SSI is not on file (see the trade's exceptions). */
export interface TradeSsis {
  ours: SsiResource | null;
  theirs: SsiResource | null;
}
