import { DomainError } from '@postrade/kernel';
import type { TransactionRunner } from '@postrade/persistence';
import type { CapturedTrade } from '../../domain/trade';
import type { TradeListFilter, TradeRepository } from '../../persistence/trade.repository';

export interface TradePage {
  items: CapturedTrade[];
  /** Position after the last item, when there is another page. */
  next: { createdAt: string; tradeId: string } | null;
}

/** Reads of trades: current version, history, filtered lists. */
export class TradeQueries {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly trades: TradeRepository,
  ) {}

  async get(tradeId: string): Promise<CapturedTrade> {
    const trade = await this.transactions.run((em) => this.trades.byId(em, tradeId));
    if (trade === null) throw DomainError.notFound('Trade', tradeId);
    return trade;
  }

  async versions(tradeId: string): Promise<CapturedTrade[]> {
    const versions = await this.transactions.run((em) => this.trades.versions(em, tradeId));
    if (versions.length === 0) throw DomainError.notFound('Trade', tradeId);
    return versions;
  }

  async list(filter: TradeListFilter): Promise<TradePage> {
    const rows = await this.transactions.run((em) => this.trades.list(em, { ...filter, limit: filter.limit + 1 }));
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => r.resource),
      next: rows.length > filter.limit && last ? { createdAt: last.created_at, tradeId: last.resource.tradeId } : null,
    };
  }
}
