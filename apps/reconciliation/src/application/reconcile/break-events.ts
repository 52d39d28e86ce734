import type { EntityManager } from 'typeorm';
import { EventTypes, Topics } from '@postrade/contracts';
import type { Outbox } from '@postrade/messaging';
import type { AuditEntry, AuditTrail } from '@postrade/persistence';
import type { BreakComment, StoredBreak } from '../../persistence/breaks.repository';
import { breakResource } from './break-resource';

export type BreakChange = 'opened' | 'changed' | 'closed';

const EVENT_TYPE: Record<BreakChange, string> = {
  opened: EventTypes.reconBreakOpened,
  changed: EventTypes.reconBreakChanged,
  closed: EventTypes.reconBreakClosed,
};

export interface BreakTransition {
  change: BreakChange;
  /** What was done, for the audit trail: `OPENED_BY_STATEMENT`, `ASSIGNED`, `WRITE_OFF_APPROVED`, … */
  action: string;
  before: StoredBreak | null;
  after: StoredBreak;
  comments?: BreakComment[];
}

/**
 * Every break opened, changed or closed is published through the outbox and written to the audit
 * trail, in the transaction that changed it: the one way a break's change leaves the service.
 */
export class BreakEvents {
  constructor(
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
  ) {}

  async record(
    em: EntityManager,
    actor: string,
    transitions: BreakTransition[],
    extraAudit: AuditEntry[] = [],
    context: { correlationId?: string; causationId?: string; chain?: string } = {},
  ): Promise<void> {
    const now = new Date();
    await this.outbox.add(
      em,
      transitions.map((t) => ({
        topic: Topics.reconciliationBreaks,
        key: t.after.breakId,
        type: EVENT_TYPE[t.change],
        correlationId: context.correlationId,
        causationId: context.causationId,
        data: breakResource(t.after, t.comments ?? [], now),
      })),
    );
    const entries: AuditEntry[] = [
      ...extraAudit,
      ...transitions.map((t) => ({ actor, action: t.action, entityType: 'break', entityId: t.after.breakId, before: t.before, after: t.after })),
    ];
    await this.audit.record(em, entries, context.chain);
  }
}
