import type { TradeView } from '@postrade/contracts';
import type { SettlementTradeTerms } from '../../domain/settlement-trade';

/** What settlement keeps of a decoded trade event (decodeTrade): its settlement terms, the instrument's CSDR category and price type, both SSIs. */
export function settlementTermsOf(trade: TradeView): SettlementTradeTerms {
  return {
    tradeId: trade.tradeId,
    version: trade.version,
    status: trade.status,
    side: trade.side,
    isin: trade.isin,
    quantity: trade.quantity,
    netAmount: trade.netAmount,
    accruedInterest: trade.accruedInterest,
    currency: trade.currency,
    intendedSettlementDate: trade.settlementDate,
    tradeDate: trade.tradeDate,
    settlementMarket: trade.settlementMarket,
    settlementType: trade.settlementType,
    counterpartyLei: trade.counterparty.lei,
    legalEntityLei: trade.legalEntity.lei,
    csdrCategory: trade.instrument.csdrCategory,
    priceType: trade.instrument.priceType,
    ssis: trade.ssis,
  };
}
