import type { EntityManager } from 'typeorm';
import type { ControlChange } from '../domain/control-change';

interface Row {
  change_id: string;
  kind: ControlChange['kind'];
  target: string;
  proposed: ControlChange['proposed'];
  before: ControlChange['before'];
  effective_from: string;
  reason: string;
  proposed_by: string;
  proposed_at: Date;
  status: ControlChange['status'];
  decided_by: string | null;
  decided_at: Date | null;
}

const COLUMNS = `change_id, kind, target, proposed, before, to_char(effective_from, 'YYYY-MM-DD') as effective_from, reason, proposed_by, proposed_at, status, decided_by, decided_at`;

const toChange = (r: Row): ControlChange => ({
  changeId: r.change_id,
  kind: r.kind,
  target: r.target,
  proposed: r.proposed,
  before: r.before,
  effectiveFrom: r.effective_from,
  reason: r.reason,
  proposedBy: r.proposed_by,
  proposedAt: r.proposed_at.toISOString(),
  status: r.status,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at?.toISOString() ?? null,
});

/** Proposed changes to lists, limits and thresholds, pending or decided (kept: they are the record of who changed what). */
export class ControlChangeRepository {
  async pendingFor(em: EntityManager, target: string): Promise<ControlChange | null> {
    const rows: Row[] = await em.query(`select ${COLUMNS} from control_changes where target = $1 and status = 'PENDING'`, [target]);
    return rows[0] ? toChange(rows[0]) : null;
  }

  async lock(em: EntityManager, changeId: string): Promise<ControlChange | null> {
    const rows: Row[] = await em.query(`select ${COLUMNS} from control_changes where change_id = $1 for update`, [changeId]);
    return rows[0] ? toChange(rows[0]) : null;
  }

  /** Inserts a pending change; false when another change of the same target is pending (the unique index decides). */
  async insert(em: EntityManager, change: ControlChange): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `insert into control_changes (change_id, kind, target, proposed, before, effective_from, reason, proposed_by, proposed_at, status)
       values ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10)
       on conflict (target) where status = 'PENDING' do nothing returning change_id`,
      [change.changeId, change.kind, change.target, JSON.stringify(change.proposed), JSON.stringify(change.before), change.effectiveFrom, change.reason, change.proposedBy, change.proposedAt, change.status],
    );
    return rows.length === 1;
  }

  async saveDecision(em: EntityManager, change: ControlChange): Promise<void> {
    await em.query('update control_changes set status = $2, decided_by = $3, decided_at = $4 where change_id = $1', [change.changeId, change.status, change.decidedBy, change.decidedAt]);
  }

  /** Changes oldest first after a position, optionally of one status. */
  async list(em: EntityManager, limit: number, after?: { proposedAt: string; id: string }, status?: string): Promise<ControlChange[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (status) where.push(`status = $${params.push(status)}`);
    if (after) where.push(`(proposed_at, change_id) > ($${params.push(after.proposedAt)}::timestamptz, $${params.push(after.id)}::uuid)`);
    const rows: Row[] = await em.query(
      `select ${COLUMNS} from control_changes ${where.length ? `where ${where.join(' and ')}` : ''} order by proposed_at, change_id limit $${params.push(limit)}`,
      params,
    );
    return rows.map(toChange);
  }
}
