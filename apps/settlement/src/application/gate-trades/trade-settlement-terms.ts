import { isDecimalString } from '@postrade/kernel';
import type { CsdrCategory, PriceType, TradeResource } from '@postrade/contracts';
import type { SettlementTradeTerms, Ssi } from '../../domain/settlement-trade';

/**
 * The trade event as settlement reads it. API.md's trade resource carries `instrument` (with the
 * CSDR category and price type), `accruedInterest`, and SSIs that may be null while missing; the
 * shared TypeScript resource does not (yet) declare all of them, so they are read as optional.
 */
export type TradeEventPayload = Omit<TradeResource, 'ssis'> & {
  ssis?: { ours?: Ssi | null; theirs?: Ssi | null } | null;
  accruedInterest?: string;
  instrument?: { csdrCategory?: CsdrCategory; priceType?: PriceType } | null;
};

const ssi = (value: Ssi | null | undefined): Ssi | null =>
  value ? { agentBic: value.agentBic, safekeepingAccount: value.safekeepingAccount, cashAccount: value.cashAccount, placeOfSettlement: value.placeOfSettlement } : null;

export function settlementTermsOf(trade: TradeEventPayload): SettlementTradeTerms {
  return {
    tradeId: trade.tradeId,
    version: trade.version,
    status: trade.status,
    side: trade.side,
    isin: trade.isin,
    quantity: trade.quantity,
    netAmount: trade.netAmount,
    accruedInterest: isDecimalString(trade.accruedInterest) ? trade.accruedInterest : '0',
    currency: trade.currency,
    intendedSettlementDate: trade.settlementDate,
    settlementMarket: trade.settlementMarket,
    settlementType: trade.settlementType,
    counterpartyLei: trade.counterparty.lei,
    legalEntityLei: trade.legalEntity.lei,
    csdrCategory: trade.instrument?.csdrCategory ?? null,
    priceType: trade.instrument?.priceType ?? null,
    ssis: { ours: ssi(trade.ssis?.ours), theirs: ssi(trade.ssis?.theirs) },
  };
}
