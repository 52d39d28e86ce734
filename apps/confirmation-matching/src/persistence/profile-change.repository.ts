import type { EntityManager } from 'typeorm';
import type { PairingTerms } from '../domain/matching';
import type { ProfileChange, ProfileChangeStatus } from '../domain/profile-change';

interface ChangeRow {
  change_id: string;
  profile: string;
  proposed: ProfileChange['proposed'];
  base_revision: number | null;
  effective_from: Date | null;
  reason: string | null;
  status: ProfileChangeStatus;
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  applied_at: Date | null;
  applied_revision: number | null;
}

const COLUMNS = `change_id, profile, proposed, base_revision, effective_from, reason, status, requested_by, requested_at,
  decided_by, decided_at, applied_at, applied_revision`;

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

function changeOf(r: ChangeRow): ProfileChange {
  return {
    changeId: r.change_id,
    profile: r.profile,
    proposed: r.proposed,
    baseRevision: r.base_revision,
    effectiveFrom: iso(r.effective_from),
    reason: r.reason,
    status: r.status,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at.toISOString(),
    decidedBy: r.decided_by,
    decidedAt: iso(r.decided_at),
    appliedAt: iso(r.applied_at),
    appliedRevision: r.applied_revision,
  };
}

/** Proposed, scheduled and decided changes to matching profiles (maker-checker). */
export class ProfileChangeRepository {
  async insert(em: EntityManager, c: ProfileChange): Promise<void> {
    await em.query(
      `insert into matching_profile_changes (${COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [c.changeId, c.profile, JSON.stringify(c.proposed), c.baseRevision, c.effectiveFrom, c.reason, c.status, c.requestedBy, c.requestedAt, c.decidedBy, c.decidedAt, c.appliedAt, c.appliedRevision],
    );
  }

  /** Writes a decision or an application. */
  async update(em: EntityManager, c: ProfileChange): Promise<void> {
    await em.query(
      `update matching_profile_changes set status = $2, decided_by = $3, decided_at = $4, applied_at = $5, applied_revision = $6 where change_id = $1`,
      [c.changeId, c.status, c.decidedBy, c.decidedAt, c.appliedAt, c.appliedRevision],
    );
  }

  /** One change, locked for the rest of the transaction when `lock`. */
  async byId(em: EntityManager, changeId: string, lock = false): Promise<ProfileChange | null> {
    const rows: ChangeRow[] = await em.query(`select ${COLUMNS} from matching_profile_changes where change_id = $1${lock ? ' for update' : ''}`, [changeId]);
    return rows.length === 0 ? null : changeOf(rows[0]);
  }

  /** The profile's open (PENDING or SCHEDULED) change, if any. */
  async openOf(em: EntityManager, profile: string): Promise<ProfileChange | null> {
    const rows: ChangeRow[] = await em.query(`select ${COLUMNS} from matching_profile_changes where profile = $1 and status in ('PENDING', 'SCHEDULED')`, [profile]);
    return rows.length === 0 ? null : changeOf(rows[0]);
  }

  /** Scheduled changes of the given profiles, soonest first. */
  async scheduledOf(em: EntityManager, profiles: readonly string[]): Promise<ProfileChange[]> {
    const rows: ChangeRow[] = await em.query(
      `select ${COLUMNS} from matching_profile_changes where status = 'SCHEDULED' and profile = any($1) order by effective_from, change_id`,
      [profiles],
    );
    return rows.map(changeOf);
  }

  /** In the order they were proposed, after the previous page's last change. */
  async list(
    em: EntityManager,
    filter: { status?: ProfileChangeStatus; profile?: string; after?: { requestedAt: string; changeId: string }; limit: number },
  ): Promise<ProfileChange[]> {
    const rows: ChangeRow[] = await em.query(
      `select ${COLUMNS} from matching_profile_changes
       where ($1::text is null or status = $1) and ($2::text is null or profile = $2)
         and ($3::timestamptz is null or (requested_at, change_id) > ($3::timestamptz, $4::uuid))
       order by requested_at, change_id limit $5`,
      [filter.status ?? null, filter.profile ?? null, filter.after?.requestedAt ?? null, filter.after?.changeId ?? null, filter.limit],
    );
    return rows.map(changeOf);
  }

  /** Ids of the scheduled changes whose time has come, earliest first. */
  async due(em: EntityManager, at: Date): Promise<string[]> {
    const rows: { change_id: string }[] = await em.query(
      `select change_id from matching_profile_changes where status = 'SCHEDULED' and effective_from <= $1 order by effective_from, change_id`,
      [at.toISOString()],
    );
    return rows.map((r) => r.change_id);
  }

  /** Applied changes whose open pairs have not all been re-evaluated yet (the service stopped in between). */
  async notReevaluated(em: EntityManager): Promise<ProfileChange[]> {
    const rows: ChangeRow[] = await em.query(`select ${COLUMNS} from matching_profile_changes where status = 'APPLIED' and reevaluated_at is null order by applied_at, change_id`);
    return rows.map(changeOf);
  }

  async markReevaluated(em: EntityManager, changeId: string, at: string): Promise<void> {
    await em.query('update matching_profile_changes set reevaluated_at = $2 where change_id = $1', [changeId, at]);
  }

  /**
   * The pairing keys of the open items a profile change can move: trades still UNMATCHED,
   * MISMATCHED or MATCHED (not affirmed, not cancelled) and ALLEGED confirmations, that were last
   * evaluated under the profile or whose counterparty or currency it names (before or after).
   */
  async openPairingKeys(em: EntityManager, scope: { profile: string; counterparties: readonly string[]; currencies: readonly string[] }): Promise<PairingTerms[]> {
    return em.query(
      `select distinct counterparty_lei as "counterpartyLei", isin, trade_date::text as "tradeDate", currency, quantity::text as quantity from (
         select counterparty_lei, isin, trade_date, currency, quantity from trades
          where match_status in ('UNMATCHED', 'MISMATCHED', 'MATCHED') and not cancelled
            and (profile = $1 or counterparty_lei = any($2) or currency = any($3))
         union all
         select sender_lei, isin, trade_date, currency, quantity from confirmations
          where match_status = 'ALLEGED' and (profile = $1 or sender_lei = any($2) or currency = any($3))
       ) as open_items`,
      [scope.profile, [...scope.counterparties], [...scope.currencies]],
    );
  }
}
