import type { DataSource } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import type { ComplianceDecisionResource } from '@postrade/contracts';
import type { AlertComment, AlertListItem, DecisionRepository } from '../../persistence/decision.repository';

/** GET /api/v1/decisions/by-trade/{tradeId}: the decision resource and the list versions behind it. */
export interface DecisionView extends ComplianceDecisionResource {
  screenedAgainst: { source: string; version: string }[] | null;
}
import type { ScreenedTradeRepository } from '../../persistence/screened-trade.repository';

/** Read side: a trade's decision with its alerts, and the alert list. Plain reads, no transaction. */
export class DecisionQueries {
  constructor(
    private readonly db: DataSource,
    private readonly decisions: DecisionRepository,
    private readonly trades: ScreenedTradeRepository,
  ) {}

  /** The decision resource, plus the sanctions list versions it was screened against (null for decisions from before they were recorded). */
  async byTrade(tradeId: string): Promise<DecisionView> {
    const decision = await this.decisions.get(this.db.manager, tradeId);
    if (decision === null) throw DomainError.notFound('Decision for trade', tradeId);
    return { ...(await this.decisions.resource(this.db.manager, decision)), screenedAgainst: decision.screenedAgainst ?? null };
  }

  /** One alert with its comments. */
  async alert(alertId: string): Promise<AlertListItem & { comments: AlertComment[] }> {
    const alert = await this.decisions.getAlert(this.db.manager, alertId);
    if (alert === null) throw DomainError.notFound('Alert', alertId);
    return { ...alert, comments: await this.decisions.commentsOf(this.db.manager, alertId) };
  }

  alerts(filter: { status?: string; rule?: string; assignee?: string; limit: number; after?: { raisedAt: string; alertId: string } }): Promise<AlertListItem[]> {
    return this.decisions.listAlerts(this.db.manager, filter);
  }
}
