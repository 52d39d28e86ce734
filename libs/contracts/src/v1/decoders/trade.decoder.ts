import { PayloadFields } from '../payload-fields';
import type { InstructionSsi } from '../resources/reference-data.resource';
import {
  ASSET_CLASSES,
  CSDR_CATEGORIES,
  PRICE_TYPES,
  SETTLEMENT_MARKETS,
  SETTLEMENT_TYPES,
  TRADE_SIDES,
  TRADE_STATUSES,
  type AssetClass,
  type CsdrCategory,
  type PriceType,
  type SettlementMarket,
  type SettlementType,
  type TradeSide,
  type TradeStatus,
} from '../vocabulary';
import { decimalText, instructionSsi, optionalDecimalText, optionalInstant, positiveMoneyText, positiveText } from './fields';

/**
 * What the consumers of `trade-capture.trades.v1` read of the trade resource (captured, amended,
 * cancelled, enriched): matching, settlement, ledger, compliance and reconciliation. Decimals are
 * the decimal strings the producer wrote (validated), dates YYYY-MM-DD, instants ISO 8601.
 */
export interface TradeView {
  /** Lower-cased UUID. */
  tradeId: string;
  sourceSystem: string;
  sourceTradeId: string;
  version: number;
  status: TradeStatus;
  tradeDate: string;
  executionTime: string | null;
  side: TradeSide;
  isin: string;
  /** Positive. */
  quantity: string;
  price: string;
  /** ISO 4217. */
  currency: string;
  grossAmount: string;
  accruedInterest: string;
  /** Null only when the producer left it out; matching compares it when a profile names it. */
  commission: string | null;
  fees: string | null;
  /** Positive, at most the currency's minor unit of decimals. */
  netAmount: string;
  settlementDate: string;
  settlementMarket: SettlementMarket;
  settlementType: SettlementType;
  book: string;
  instrument: { assetClass: AssetClass; priceType: PriceType; csdrCategory: CsdrCategory };
  counterparty: { lei: string; name: string };
  legalEntity: { lei: string; name: string };
  /** A side is null while its SSI is not on file. */
  ssis: { ours: InstructionSsi | null; theirs: InstructionSsi | null };
  createdAt: string;
  updatedAt: string;
}

/** Decodes a trade event's `data`; a missing or malformed field throws a DomainError naming its path. */
export function decodeTrade(data: unknown): TradeView {
  const t = PayloadFields.of(data);
  const currency = t.currency('currency');
  const instrument = t.object('instrument');
  const counterparty = t.object('counterparty');
  const legalEntity = t.object('legalEntity');
  const ssis = t.object('ssis');
  const ours = ssis.optionalObject('ours');
  const theirs = ssis.optionalObject('theirs');
  return {
    tradeId: t.uuid('tradeId'),
    sourceSystem: t.text('sourceSystem'),
    sourceTradeId: t.text('sourceTradeId'),
    version: t.integer('version'),
    status: t.oneOf('status', TRADE_STATUSES),
    tradeDate: t.date('tradeDate'),
    executionTime: optionalInstant(t, 'executionTime'),
    side: t.oneOf('side', TRADE_SIDES),
    isin: t.text('isin'),
    quantity: positiveText(t, 'quantity'),
    price: decimalText(t, 'price'),
    currency,
    grossAmount: decimalText(t, 'grossAmount'),
    accruedInterest: decimalText(t, 'accruedInterest'),
    commission: optionalDecimalText(t, 'commission'),
    fees: optionalDecimalText(t, 'fees'),
    netAmount: positiveMoneyText(t, 'netAmount', currency),
    settlementDate: t.date('settlementDate'),
    settlementMarket: t.oneOf('settlementMarket', SETTLEMENT_MARKETS),
    settlementType: t.oneOf('settlementType', SETTLEMENT_TYPES),
    book: t.text('book'),
    instrument: {
      assetClass: instrument.oneOf('assetClass', ASSET_CLASSES),
      priceType: instrument.oneOf('priceType', PRICE_TYPES),
      csdrCategory: instrument.oneOf('csdrCategory', CSDR_CATEGORIES),
    },
    counterparty: { lei: counterparty.text('lei'), name: counterparty.text('name') },
    legalEntity: { lei: legalEntity.text('lei'), name: legalEntity.text('name') },
    ssis: { ours: ours && instructionSsi(ours), theirs: theirs && instructionSsi(theirs) },
    createdAt: t.instant('createdAt'),
    updatedAt: t.instant('updatedAt'),
  };
}
