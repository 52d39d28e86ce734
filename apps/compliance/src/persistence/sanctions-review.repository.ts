import type { EntityManager } from 'typeorm';
import type { SanctionsEntry } from '../domain/sanctions/sanctions-index';
import type { PendingSanctionsListLoad, SanctionsFalsePositive } from '../domain/sanctions/sanctions-reviews';

interface FalsePositiveRow {
  false_positive_id: string;
  counterparty_lei: string;
  source: string;
  entry_id: string;
  list_version: string;
  counterparty_fingerprint: string;
  entry_fingerprint: string;
  reason: string;
  proposed_by: string;
  proposed_at: Date;
  status: SanctionsFalsePositive['status'];
  decided_by: string | null;
  decided_at: Date | null;
}

const toFalsePositive = (r: FalsePositiveRow): SanctionsFalsePositive => ({
  falsePositiveId: r.false_positive_id,
  counterpartyLei: r.counterparty_lei,
  source: r.source,
  entryId: r.entry_id,
  listVersion: r.list_version,
  counterpartyFingerprint: r.counterparty_fingerprint,
  entryFingerprint: r.entry_fingerprint,
  reason: r.reason,
  proposedBy: r.proposed_by,
  proposedAt: r.proposed_at.toISOString(),
  status: r.status,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at?.toISOString() ?? null,
});

interface LoadRow {
  load_id: string;
  source: string;
  version: string;
  entry_count: number;
  current_version: string;
  current_count: number;
  removed_count: number;
  proposed_by: string;
  proposed_at: Date;
  status: PendingSanctionsListLoad['status'];
  decided_by: string | null;
  decided_at: Date | null;
}

const toLoad = (r: LoadRow): PendingSanctionsListLoad => ({
  loadId: r.load_id,
  source: r.source,
  version: r.version,
  entryCount: r.entry_count,
  currentVersion: r.current_version,
  currentCount: r.current_count,
  removedCount: r.removed_count,
  proposedBy: r.proposed_by,
  proposedAt: r.proposed_at.toISOString(),
  status: r.status,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at?.toISOString() ?? null,
});

const LOAD_COLUMNS = 'load_id, source, version, entry_count, current_version, current_count, removed_count, proposed_by, proposed_at, status, decided_by, decided_at';

/** False-positive ("good guy") decisions and list loads waiting for a supervisor. */
export class SanctionsReviewRepository {
  async insertFalsePositive(em: EntityManager, d: SanctionsFalsePositive): Promise<void> {
    await em.query(
      `insert into sanctions_false_positives (false_positive_id, counterparty_lei, source, entry_id, list_version, counterparty_fingerprint, entry_fingerprint,
         reason, proposed_by, proposed_at, status) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [d.falsePositiveId, d.counterpartyLei, d.source, d.entryId, d.listVersion, d.counterpartyFingerprint, d.entryFingerprint, d.reason, d.proposedBy, d.proposedAt, d.status],
    );
  }

  async lockFalsePositive(em: EntityManager, id: string): Promise<SanctionsFalsePositive | null> {
    const rows: FalsePositiveRow[] = await em.query('select * from sanctions_false_positives where false_positive_id = $1 for update', [id]);
    return rows[0] ? toFalsePositive(rows[0]) : null;
  }

  async decideFalsePositive(em: EntityManager, d: SanctionsFalsePositive): Promise<void> {
    await em.query('update sanctions_false_positives set status = $2, decided_by = $3, decided_at = $4 where false_positive_id = $1', [d.falsePositiveId, d.status, d.decidedBy, d.decidedAt]);
  }

  /** The approved decisions about these counterparties, by LEI. */
  async approvedFalsePositives(em: EntityManager, counterpartyLeis: readonly string[]): Promise<Map<string, SanctionsFalsePositive[]>> {
    const rows: FalsePositiveRow[] = await em.query(`select * from sanctions_false_positives where counterparty_lei = any($1::text[]) and status = 'APPROVED'`, [[...new Set(counterpartyLeis)]]);
    const byLei = new Map<string, SanctionsFalsePositive[]>();
    for (const row of rows) byLei.set(row.counterparty_lei, [...(byLei.get(row.counterparty_lei) ?? []), toFalsePositive(row)]);
    return byLei;
  }

  /** A page of decisions, oldest first, after (proposedAt, id), optionally of one status. */
  async falsePositives(em: EntityManager, limit: number, after: { proposedAt: string; id: string } | undefined, status?: string): Promise<SanctionsFalsePositive[]> {
    const rows: FalsePositiveRow[] = await em.query(
      `select * from sanctions_false_positives
        where ($1::text is null or status = $1) and ($2::timestamptz is null or (proposed_at, false_positive_id) > ($2::timestamptz, $3::uuid))
        order by proposed_at, false_positive_id limit $4`,
      [status ?? null, after?.proposedAt ?? null, after?.id ?? null, limit],
    );
    return rows.map(toFalsePositive);
  }

  async insertLoad(em: EntityManager, load: PendingSanctionsListLoad, entries: readonly SanctionsEntry[]): Promise<void> {
    await em.query(
      `insert into sanctions_list_loads (load_id, source, version, entries, entry_count, current_version, current_count, removed_count, proposed_by, proposed_at, status)
       values ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11)`,
      [load.loadId, load.source, load.version, JSON.stringify(entries), load.entryCount, load.currentVersion, load.currentCount, load.removedCount, load.proposedBy, load.proposedAt, load.status],
    );
  }

  async lockLoad(em: EntityManager, loadId: string): Promise<{ load: PendingSanctionsListLoad; entries: SanctionsEntry[] } | null> {
    const rows: (LoadRow & { entries: SanctionsEntry[] })[] = await em.query(`select ${LOAD_COLUMNS}, entries from sanctions_list_loads where load_id = $1 for update`, [loadId]);
    return rows[0] ? { load: toLoad(rows[0]), entries: rows[0].entries } : null;
  }

  async decideLoad(em: EntityManager, load: PendingSanctionsListLoad): Promise<void> {
    await em.query('update sanctions_list_loads set status = $2, decided_by = $3, decided_at = $4 where load_id = $1', [load.loadId, load.status, load.decidedBy, load.decidedAt]);
  }

  async loads(em: EntityManager, limit: number, after: { proposedAt: string; id: string } | undefined, status?: string): Promise<PendingSanctionsListLoad[]> {
    const rows: LoadRow[] = await em.query(
      `select ${LOAD_COLUMNS} from sanctions_list_loads
        where ($1::text is null or status = $1) and ($2::timestamptz is null or (proposed_at, load_id) > ($2::timestamptz, $3::uuid))
        order by proposed_at, load_id limit $4`,
      [status ?? null, after?.proposedAt ?? null, after?.id ?? null, limit],
    );
    return rows.map(toLoad);
  }
}
