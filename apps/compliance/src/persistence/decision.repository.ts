import type { EntityManager } from 'typeorm';
import type { AlertRule, ComplianceAlert, ComplianceDecisionResource, ComplianceOutcome } from '@postrade/contracts';
import type { AlertDraft } from '../domain/compliance-checks';

export type AlertStatus = 'OPEN' | 'RESOLVED' | 'CLOSED';

export interface StoredDecision {
  tradeId: string;
  tradeVersion: number;
  outcome: ComplianceOutcome;
  counterpartyLei: string;
  decidedAt: string;
  /** The sanctions list versions the decision was screened against (null: decided before this was recorded). */
  screenedAgainst?: { source: string; version: string }[] | null;
}

export interface AlertListItem extends ComplianceAlert {
  tradeId: string;
  tradeVersion: number;
  raisedAt: string;
  closedAt: string | null;
  closeReason: string | null;
  /** Work queue: who works the alert, who escalated it and when, who closed it. */
  assignee: string | null;
  escalatedBy: string | null;
  escalatedAt: string | null;
  closedBy: string | null;
}

interface AlertRow {
  alert_id: string;
  trade_id: string;
  trade_version: number;
  rule: AlertRule;
  severity: string;
  status: string;
  details: Record<string, unknown>;
  raised_at: Date;
  closed_at: Date | null;
  close_reason: string | null;
  assignee: string | null;
  escalated_by: string | null;
  escalated_at: Date | null;
  closed_by: string | null;
}

const toAlert = (r: AlertRow): AlertListItem => ({
  alertId: r.alert_id,
  tradeId: r.trade_id,
  tradeVersion: r.trade_version,
  rule: r.rule,
  severity: r.severity,
  status: r.status,
  details: r.details,
  raisedAt: r.raised_at.toISOString(),
  closedAt: r.closed_at?.toISOString() ?? null,
  closeReason: r.close_reason,
  assignee: r.assignee ?? null,
  escalatedBy: r.escalated_by ?? null,
  escalatedAt: r.escalated_at?.toISOString() ?? null,
  closedBy: r.closed_by ?? null,
});

export interface AlertComment {
  commentId: string;
  alertId: string;
  author: string;
  text: string;
  createdAt: string;
}

/** Screening decisions per trade and the alerts behind them. */
export class DecisionRepository {
  async lock(em: EntityManager, tradeId: string): Promise<StoredDecision | null> {
    return this.read(em, tradeId, 'for update');
  }

  async get(em: EntityManager, tradeId: string): Promise<StoredDecision | null> {
    return this.read(em, tradeId, '');
  }

  private async read(em: EntityManager, tradeId: string, lock: string): Promise<StoredDecision | null> {
    const rows: {
      trade_id: string;
      trade_version: number;
      outcome: ComplianceOutcome;
      counterparty_lei: string;
      decided_at: Date;
      screened_against: { source: string; version: string }[] | null;
    }[] = await em.query(`select trade_id, trade_version, outcome, counterparty_lei, decided_at, screened_against from decisions where trade_id = $1 ${lock}`, [tradeId]);
    const r = rows[0];
    return r
      ? { tradeId: r.trade_id, tradeVersion: r.trade_version, outcome: r.outcome, counterpartyLei: r.counterparty_lei, decidedAt: r.decided_at.toISOString(), screenedAgainst: r.screened_against }
      : null;
  }

  async save(em: EntityManager, decision: StoredDecision): Promise<void> {
    await em.query(
      `insert into decisions (trade_id, trade_version, outcome, counterparty_lei, decided_at, screened_against) values ($1, $2, $3, $4, $5, $6::jsonb)
       on conflict (trade_id) do update set trade_version = excluded.trade_version, outcome = excluded.outcome,
         counterparty_lei = excluded.counterparty_lei, decided_at = excluded.decided_at, screened_against = excluded.screened_against`,
      [decision.tradeId, decision.tradeVersion, decision.outcome, decision.counterpartyLei, decision.decidedAt, JSON.stringify(decision.screenedAgainst ?? null)],
    );
  }

  /** Stores a batch's decisions with one statement. */
  async saveMany(em: EntityManager, decisions: readonly StoredDecision[]): Promise<void> {
    if (decisions.length === 0) return;
    await em.query(
      `insert into decisions (trade_id, trade_version, outcome, counterparty_lei, decided_at, screened_against)
       select * from unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[])
       on conflict (trade_id) do update set trade_version = excluded.trade_version, outcome = excluded.outcome,
         counterparty_lei = excluded.counterparty_lei, decided_at = excluded.decided_at, screened_against = excluded.screened_against`,
      [
        decisions.map((d) => d.tradeId),
        decisions.map((d) => d.tradeVersion),
        decisions.map((d) => d.outcome),
        decisions.map((d) => d.counterpartyLei),
        decisions.map((d) => d.decidedAt),
        decisions.map((d) => JSON.stringify(d.screenedAgainst ?? null)),
      ],
    );
  }

  /** Stores a batch's raised alerts as OPEN with one statement. */
  async raiseMany(em: EntityManager, alerts: readonly { alertId: string; tradeId: string; tradeVersion: number; draft: AlertDraft }[], at: string): Promise<void> {
    if (alerts.length === 0) return;
    await em.query(
      `insert into alerts (alert_id, trade_id, trade_version, rule, severity, status, details, raised_at)
       select a.alert_id, a.trade_id, a.trade_version, a.rule, a.severity, 'OPEN', a.details, $7
         from unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[], $6::jsonb[]) as a(alert_id, trade_id, trade_version, rule, severity, details)`,
      [
        alerts.map((a) => a.alertId),
        alerts.map((a) => a.tradeId),
        alerts.map((a) => a.tradeVersion),
        alerts.map((a) => a.draft.rule),
        alerts.map((a) => a.draft.severity),
        alerts.map((a) => JSON.stringify(a.draft.details)),
        at,
      ],
    );
  }

  /** Stores raised alerts as OPEN under new ids; returns them as stored. */
  async raise(em: EntityManager, tradeId: string, tradeVersion: number, drafts: readonly AlertDraft[], ids: string[], at: string): Promise<AlertListItem[]> {
    if (drafts.length === 0) return [];
    const params: unknown[] = [];
    const values = drafts.map((draft, i) => {
      params.push(ids[i], tradeId, tradeVersion, draft.rule, draft.severity, JSON.stringify(draft.details), at);
      const p = params.length - 7;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, 'OPEN', $${p + 6}::jsonb, $${p + 7})`;
    });
    const rows: AlertRow[] = await em.query(
      `insert into alerts (alert_id, trade_id, trade_version, rule, severity, status, details, raised_at) values ${values.join(', ')} returning *`,
      params,
    );
    return rows.map(toAlert);
  }

  /** Ends the trade's open alerts with a status and a reason; returns the ids ended. */
  async endOpenAlerts(em: EntityManager, tradeId: string, status: Exclude<AlertStatus, 'OPEN'>, reason: string, at: string): Promise<string[]> {
    const rows: { alert_id: string }[] = await em.query(
      `with ended as (update alerts set status = $2, close_reason = $3, closed_at = $4 where trade_id = $1 and status = 'OPEN' returning alert_id)
       select alert_id from ended order by alert_id`,
      [tradeId, status, reason, at],
    );
    return rows.map((r) => r.alert_id);
  }

  /** The ids of the trade's open alerts, in id order. */
  async openAlertIds(em: EntityManager, tradeId: string): Promise<string[]> {
    const rows: { alert_id: string }[] = await em.query(`select alert_id from alerts where trade_id = $1 and status = 'OPEN' order by alert_id`, [tradeId]);
    return rows.map((r) => r.alert_id);
  }

  async lockAlert(em: EntityManager, alertId: string): Promise<AlertListItem | null> {
    const rows: AlertRow[] = await em.query('select * from alerts where alert_id = $1 for update', [alertId]);
    return rows[0] ? toAlert(rows[0]) : null;
  }

  async getAlert(em: EntityManager, alertId: string): Promise<AlertListItem | null> {
    const rows: AlertRow[] = await em.query('select * from alerts where alert_id = $1', [alertId]);
    return rows[0] ? toAlert(rows[0]) : null;
  }

  /** Writes an alert's work-queue state (assignee, escalation, closing). */
  async saveAlertWork(em: EntityManager, alert: AlertListItem): Promise<void> {
    await em.query(
      `update alerts set status = $2, assignee = $3, escalated_by = $4, escalated_at = $5, closed_by = $6, closed_at = $7, close_reason = $8 where alert_id = $1`,
      [alert.alertId, alert.status, alert.assignee, alert.escalatedBy, alert.escalatedAt, alert.closedBy, alert.closedAt, alert.closeReason],
    );
  }

  async addComment(em: EntityManager, comment: AlertComment): Promise<void> {
    await em.query('insert into alert_comments (comment_id, alert_id, author, text, created_at) values ($1, $2, $3, $4, $5)', [
      comment.commentId,
      comment.alertId,
      comment.author,
      comment.text,
      comment.createdAt,
    ]);
  }

  async commentsOf(em: EntityManager, alertId: string): Promise<AlertComment[]> {
    const rows: { comment_id: string; alert_id: string; author: string; text: string; created_at: Date }[] = await em.query(
      'select * from alert_comments where alert_id = $1 order by created_at, comment_id',
      [alertId],
    );
    return rows.map((r) => ({ commentId: r.comment_id, alertId: r.alert_id, author: r.author, text: r.text, createdAt: r.created_at.toISOString() }));
  }

  async alertsOf(em: EntityManager, tradeId: string, tradeVersion: number): Promise<AlertListItem[]> {
    const rows: AlertRow[] = await em.query('select * from alerts where trade_id = $1 and trade_version = $2 order by raised_at, alert_id', [tradeId, tradeVersion]);
    return rows.map(toAlert);
  }

  /** The decision resource: the decision and the alerts of the version it decided. */
  async resource(em: EntityManager, decision: StoredDecision): Promise<ComplianceDecisionResource> {
    const alerts = await this.alertsOf(em, decision.tradeId, decision.tradeVersion);
    return {
      tradeId: decision.tradeId,
      tradeVersion: decision.tradeVersion,
      outcome: decision.outcome,
      alerts: alerts.map(({ alertId, rule, severity, status, details }) => ({ alertId, rule, severity, status, details })),
    };
  }

  async listAlerts(
    em: EntityManager,
    filter: { status?: string; rule?: string; assignee?: string; limit: number; after?: { raisedAt: string; alertId: string } },
  ): Promise<AlertListItem[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.rule) where.push(`rule = $${params.push(filter.rule)}`);
    if (filter.assignee) where.push(`assignee = $${params.push(filter.assignee)}`);
    if (filter.after) where.push(`(raised_at, alert_id) > ($${params.push(filter.after.raisedAt)}::timestamptz, $${params.push(filter.after.alertId)}::uuid)`);
    const rows: AlertRow[] = await em.query(
      `select * from alerts ${where.length ? `where ${where.join(' and ')}` : ''} order by raised_at, alert_id limit $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toAlert);
  }
}
