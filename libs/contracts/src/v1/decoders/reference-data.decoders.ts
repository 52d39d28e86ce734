import { PayloadFields } from '../payload-fields';
import { ASSET_CLASSES, type AssetClass } from '../vocabulary';

/** What consumers read of `postrade.counterparty.upserted.v1`. */
export interface CounterpartyView {
  lei: string;
  name: string;
  /** Absent is none. */
  aliases: string[];
}

/** What consumers read of `postrade.legal-entity.upserted.v1`. */
export interface LegalEntityView {
  lei: string;
  name: string;
}

/** What consumers read of `postrade.instrument.upserted.v1`. */
export interface InstrumentView {
  isin: string;
  assetClass: AssetClass;
}

export function decodeCounterparty(data: unknown): CounterpartyView {
  const c = PayloadFields.of(data);
  return { lei: c.text('lei'), name: c.text('name'), aliases: c.textList('aliases') };
}

export function decodeLegalEntity(data: unknown): LegalEntityView {
  const e = PayloadFields.of(data);
  return { lei: e.text('lei'), name: e.text('name') };
}

export function decodeInstrument(data: unknown): InstrumentView {
  const i = PayloadFields.of(data);
  return { isin: i.text('isin'), assetClass: i.oneOf('assetClass', ASSET_CLASSES) };
}

/** What settlement reads of `postrade.ssi.upserted.v1`: whose SSI, for which market and currency, and its accounts. */
export interface SsiUpsertedView {
  lei: string;
  settlementMarket: string;
  currency: string;
  agentBic: string;
  safekeepingAccount: string;
  cashAccount: string;
  placeOfSettlement: string;
}

export function decodeSsiUpserted(data: unknown): SsiUpsertedView {
  const f = PayloadFields.of(data);
  return {
    lei: f.text('lei'),
    settlementMarket: f.text('settlementMarket'),
    currency: f.currency('currency'),
    agentBic: f.text('agentBic'),
    safekeepingAccount: f.text('safekeepingAccount'),
    cashAccount: f.text('cashAccount'),
    placeOfSettlement: f.text('placeOfSettlement'),
  };
}
