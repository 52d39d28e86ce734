import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import type { AuditTrail, TransactionRunner } from '@postrade/persistence';
import type { AlertComment, AlertListItem, DecisionRepository } from '../../persistence/decision.repository';

export type AlertWithComments = AlertListItem & { comments: AlertComment[] };

/**
 * The work queue of alerts that hold no trade (MEDIUM: watch list, wash trade, large trader, a
 * sanctions hit a false-positive decision covers): comment, assign, escalate and close, each
 * audited under the alert's trade. An alert that holds its trade (HIGH) can be commented,
 * assigned and escalated, but it ends only through a release request (four eyes): closing it is 409.
 */
export class AlertWork {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly decisions: DecisionRepository,
    private readonly audit: AuditTrail,
    private readonly now: () => Date = () => new Date(),
  ) {}

  comment(alertId: string, text: string, by: string): Promise<AlertWithComments> {
    return this.work(alertId, by, 'alert.commented', async (em, alert, at) => {
      const comment: AlertComment = { commentId: randomUUID(), alertId, author: by, text, createdAt: at };
      await this.decisions.addComment(em, comment);
      return { after: alert, detail: { comment } };
    });
  }

  assign(alertId: string, assignee: string, by: string): Promise<AlertWithComments> {
    return this.work(alertId, by, 'alert.assigned', async (_em, alert) => {
      assertOpen(alert);
      return { after: { ...alert, assignee } };
    });
  }

  escalate(alertId: string, reason: string, by: string): Promise<AlertWithComments> {
    return this.work(alertId, by, 'alert.escalated', async (em, alert, at) => {
      assertOpen(alert);
      if (alert.escalatedAt !== null) throw DomainError.conflict(`alert ${alertId} was escalated by ${alert.escalatedBy} already`, 'alert-escalated');
      await this.decisions.addComment(em, { commentId: randomUUID(), alertId, author: by, text: `escalated: ${reason}`, createdAt: at });
      return { after: { ...alert, escalatedBy: by, escalatedAt: at }, detail: { reason } };
    });
  }

  close(alertId: string, reason: string, by: string): Promise<AlertWithComments> {
    return this.work(alertId, by, 'alert.closed', async (_em, alert, at) => {
      assertOpen(alert);
      if (alert.severity === 'HIGH') {
        throw DomainError.conflict(`alert ${alertId} holds its trade: it ends when a release or rejection is approved (four eyes)`, 'alert-holds-trade');
      }
      return { after: { ...alert, status: 'CLOSED', closedAt: at, closedBy: by, closeReason: reason } };
    });
  }

  private work(
    alertId: string,
    by: string,
    action: string,
    change: (em: EntityManager, alert: AlertListItem, at: string) => Promise<{ after: AlertListItem; detail?: Record<string, unknown> }>,
  ): Promise<AlertWithComments> {
    return this.tx.run(async (em) => {
      const alert = await this.decisions.lockAlert(em, alertId);
      if (alert === null) throw DomainError.notFound('Alert', alertId);
      const at = this.now().toISOString();
      const { after, detail } = await change(em, alert, at);
      await this.decisions.saveAlertWork(em, after);
      await this.audit.record(em, [{ actor: by, action, entityType: 'trade', entityId: alert.tradeId, before: alert, after: { ...after, ...detail } }]);
      return { ...after, comments: await this.decisions.commentsOf(em, alertId) };
    });
  }
}

function assertOpen(alert: AlertListItem): void {
  if (alert.status !== 'OPEN') throw DomainError.conflict(`alert ${alert.alertId} is ${alert.status}`, 'alert-not-open');
}
