import type { EntityManager } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import type { CapturedTrade } from '../../domain/trade';
import type { ListedTrade, TradeListFilter, TradeRepository } from '../../persistence/trade.repository';
import { mayUse, type SourceSystemScope } from '../capture-trade/source-system-access';

/**
 * Reads of trades: current version, history, filtered lists. Single reads, outside any
 * transaction (`reads` is the data source's own manager). A caller bound to source systems sees
 * only their trades; another system's trade is not found.
 */
export class TradeQueries {
  constructor(
    private readonly reads: EntityManager,
    private readonly trades: TradeRepository,
  ) {}

  async get(tradeId: string, scope: SourceSystemScope): Promise<CapturedTrade> {
    const trade = await this.trades.byId(this.reads, tradeId);
    if (trade === null || !mayUse(scope, trade.sourceSystem)) throw DomainError.notFound('Trade', tradeId);
    return trade;
  }

  async versions(tradeId: string, scope: SourceSystemScope): Promise<CapturedTrade[]> {
    const versions = await this.trades.versions(this.reads, tradeId);
    if (versions.length === 0 || !mayUse(scope, versions[0]!.sourceSystem)) throw DomainError.notFound('Trade', tradeId);
    return versions;
  }

  /** Up to `filter.limit` rows after `filter.after`, in list order (the page's caller asks for one more than it shows). */
  list(filter: TradeListFilter, scope: SourceSystemScope): Promise<ListedTrade[]> {
    return this.trades.list(this.reads, { ...filter, sourceSystems: scope });
  }
}
