import type { ComplianceOutcome, CsdrCategory, MatchStatus, PriceType, SettlementMarket, SettlementType, SsiResource, TradeSide, TradeStatus } from '@postrade/contracts';

/** One side's standing settlement instruction, as the trade carries it. */
export type Ssi = Pick<SsiResource, 'agentBic' | 'safekeepingAccount' | 'cashAccount' | 'placeOfSettlement'>;

/** What settlement needs of a captured trade: its settlement terms, nothing more. */
export interface SettlementTradeTerms {
  tradeId: string;
  version: number;
  status: TradeStatus;
  side: TradeSide;
  isin: string;
  quantity: string;
  /** The trade's net amount: the cash that settles, accrued interest included for bonds. */
  netAmount: string;
  accruedInterest: string;
  currency: string;
  intendedSettlementDate: string;
  /** The trade date (null for a trade gated before settlement kept it): no settlement is effective before it. */
  tradeDate?: string | null;
  settlementMarket: SettlementMarket;
  settlementType: SettlementType;
  counterpartyLei: string;
  legalEntityLei: string;
  /** Null when the trade event did not carry the instrument (no penalty can then be assessed). */
  csdrCategory: CsdrCategory | null;
  priceType: PriceType | null;
  ssis: { ours: Ssi | null; theirs: Ssi | null };
}

/** Everything settlement has heard about one trade from the three streams that gate it. */
export interface TradeGateState {
  tradeId: string;
  /** Null until the trade event itself arrives (a match or decision may come first). */
  terms: SettlementTradeTerms | null;
  matchStatus: MatchStatus | null;
  compliance: { outcome: ComplianceOutcome; tradeVersion: number } | null;
  /** The instruction that currently settles the trade, if any. */
  instructionId: string | null;
}
