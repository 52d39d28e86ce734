import type { SsiResource, TradeResource } from '@postrade/contracts';
import type { SettlementTradeTerms, Ssi } from '../../domain/settlement-trade';

const ssi = (value: SsiResource | null | undefined): Ssi | null =>
  value ? { agentBic: value.agentBic, safekeepingAccount: value.safekeepingAccount, cashAccount: value.cashAccount, placeOfSettlement: value.placeOfSettlement } : null;

/** What settlement keeps of a trade event: its settlement terms, the instrument's CSDR category and price type, both SSIs. */
export function settlementTermsOf(trade: TradeResource): SettlementTradeTerms {
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
    settlementMarket: trade.settlementMarket,
    settlementType: trade.settlementType,
    counterpartyLei: trade.counterparty.lei,
    legalEntityLei: trade.legalEntity.lei,
    // Validated at the edge (the handler): a trade event without its instrument is refused.
    csdrCategory: trade.instrument.csdrCategory,
    priceType: trade.instrument.priceType,
    ssis: { ours: ssi(trade.ssis.ours), theirs: ssi(trade.ssis.theirs) },
  };
}
