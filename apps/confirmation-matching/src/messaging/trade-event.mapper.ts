import type { TradeView } from '@postrade/contracts';
import type { TradeForMatching } from '../domain/matching';

/** A decoded trade event of `trade-capture.trades.v1` (decodeTrade) as matching pairs it. */
export function tradeForMatchingOf(trade: TradeView): TradeForMatching {
  return {
    tradeId: trade.tradeId,
    sourceTradeId: trade.sourceTradeId,
    version: trade.version,
    cancelled: trade.status === 'CANCELLED',
    counterpartyLei: trade.counterparty.lei,
    isin: trade.isin,
    tradeDate: trade.tradeDate,
    currency: trade.currency,
    quantity: trade.quantity,
    side: trade.side,
    settlementDate: trade.settlementDate,
    price: trade.price,
    grossAmount: trade.grossAmount,
    netAmount: trade.netAmount,
    accruedInterest: trade.accruedInterest,
    commission: trade.commission,
    fees: trade.fees,
    settlementMarket: trade.settlementMarket,
    legalEntityLei: trade.legalEntity.lei,
  };
}
