import type { AssetClass, CsdrCategory, PriceType, SettlementMarket } from '../vocabulary';

/** `postrade.instrument.upserted.v1`; `GET /api/v1/instruments/{isin}`. */
export interface InstrumentResource {
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

/** Both sides' SSIs, as a trade and an instruction carry them. */
export interface SsiPair {
  ours: SsiResource;
  theirs: SsiResource;
}
