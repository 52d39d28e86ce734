import type { Decimal } from '@postrade/kernel';
import type { TradeSide, TradeStatus } from '@postrade/contracts';

/** What compliance keeps of a trade version: the terms its checks look at. */
export interface ScreenedTrade {
  tradeId: string;
  version: number;
  status: TradeStatus;
  tradeDate: string;
  /** ISO 8601; the capture time when the trade carries no execution time. */
  executedAt: string;
  side: TradeSide;
  isin: string;
  quantity: Decimal;
  price: Decimal;
  currency: string;
  grossAmount: Decimal;
  netAmount: Decimal;
  book: string;
  counterparty: ScreenedCounterparty;
  legalEntityLei: string;
}

export interface ScreenedCounterparty {
  lei: string;
  name: string;
  aliases: string[];
}
