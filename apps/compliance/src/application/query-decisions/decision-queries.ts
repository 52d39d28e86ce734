import type { DataSource } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import type { ComplianceDecisionResource } from '@postrade/contracts';
import type { AlertListItem, DecisionRepository } from '../../persistence/decision.repository';
import type { ScreenedTradeRepository } from '../../persistence/screened-trade.repository';

/** Read side: a trade's decision with its alerts, and the alert list. Plain reads, no transaction. */
export class DecisionQueries {
  constructor(
    private readonly db: DataSource,
    private readonly decisions: DecisionRepository,
    private readonly trades: ScreenedTradeRepository,
  ) {}

  async byTrade(tradeId: string): Promise<ComplianceDecisionResource> {
    const decision = await this.decisions.get(this.db.manager, tradeId);
    if (decision === null) throw DomainError.notFound('Decision for trade', tradeId);
    return this.decisions.resource(this.db.manager, decision);
  }

  alerts(filter: { status?: string; rule?: string; limit: number; after?: { raisedAt: string; alertId: string } }): Promise<AlertListItem[]> {
    return this.decisions.listAlerts(this.db.manager, filter);
  }
}
