import type { EntityManager } from 'typeorm';
import type { BreakFinding, BreakType } from '../domain/model';

export type BreakStatus = 'OPEN' | 'ASSIGNED' | 'RESOLVED' | 'WRITTEN_OFF';
export const LIVE_STATUSES: readonly BreakStatus[] = ['OPEN', 'ASSIGNED'];

/** A break as stored. */
export interface StoredBreak {
  breakId: string;
  type: BreakType;
  account: string;
  keyString: string;
  key: Record<string, string>;
  reason: string;
  asOf: string;
  ours: unknown;
  theirs: unknown;
  difference: string | null;
  fields: BreakFinding['fields'];
  market: string;
  firstSeen: string;
  firstSeenAt: string;
  status: BreakStatus;
  assignee: string | null;
  resolution: string | null;
  closedOn: string | null;
  lastSourceId: string;
  updatedAt: string;
}

export interface BreakComment {
  by: string;
  at: string;
  text: string;
}

export interface WriteOffRequest {
  requestId: string;
  breakId: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  status: 'PENDING' | 'APPROVED' | 'DECLINED' | 'WITHDRAWN';
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface BreakFilter {
  type?: BreakType;
  account?: string;
  status?: BreakStatus;
  /** Live on that date: first seen on or before it and not closed by then. */
  asOf?: string;
  /** Per market, the latest first-seen date old enough (from the minimum age in business days). */
  firstSeenBy?: { market: string; latest: string }[];
  after?: { updatedAt: string; breakId: string };
  limit: number;
}

const COLUMNS = `break_id, type, account, key_string, key, reason, as_of::text, ours, theirs, difference::text, fields, market, first_seen::text,
  first_seen_at, status, assignee, resolution, closed_on::text, last_source_id, updated_at`;

interface Row {
  break_id: string;
  type: BreakType;
  account: string;
  key_string: string;
  key: Record<string, string>;
  reason: string;
  as_of: string;
  ours: unknown;
  theirs: unknown;
  difference: string | null;
  fields: BreakFinding['fields'];
  market: string;
  first_seen: string;
  first_seen_at: Date;
  status: BreakStatus;
  assignee: string | null;
  resolution: string | null;
  closed_on: string | null;
  last_source_id: string;
  updated_at: Date;
}

const toBreak = (r: Row): StoredBreak => ({
  breakId: r.break_id,
  type: r.type,
  account: r.account,
  keyString: r.key_string,
  key: r.key,
  reason: r.reason,
  asOf: r.as_of,
  ours: r.ours,
  theirs: r.theirs,
  difference: r.difference,
  fields: r.fields,
  market: r.market,
  firstSeen: r.first_seen,
  firstSeenAt: r.first_seen_at.toISOString(),
  status: r.status,
  assignee: r.assignee,
  resolution: r.resolution,
  closedOn: r.closed_on,
  lastSourceId: r.last_source_id,
  updatedAt: r.updated_at.toISOString(),
});

/** The key of `liveOn`'s answer: one account, type and date. */
export const liveKey = (type: string, account: string, asOf: string): string => `${type}|${account}|${asOf}`;

/** Breaks, their comments and write-off requests. Set-based writes: a statement opens or closes thousands at once. */
export class BreaksRepository {
  /** The live breaks of one account and type, locked: the statement being applied decides about them. */
  async liveFor(em: EntityManager, type: BreakType, account: string): Promise<Map<string, StoredBreak>> {
    const rows: Row[] = await em.query(
      `select ${COLUMNS} from breaks where type = $1 and account = $2 and status in ('OPEN', 'ASSIGNED') order by break_id for update`,
      [type, account],
    );
    return new Map(rows.map((r) => [r.key_string, toBreak(r)]));
  }

  async insert(em: EntityManager, breaks: StoredBreak[]): Promise<void> {
    for (let i = 0; i < breaks.length; i += 5000) {
      await em.query(
        `insert into breaks (break_id, type, account, key_string, key, reason, as_of, ours, theirs, difference, fields, market, first_seen, first_seen_at,
                             status, assignee, resolution, closed_on, last_source_id, updated_at)
         select "breakId", type, account, "keyString", key, reason, "asOf", ours, theirs, difference, fields, market, "firstSeen", "firstSeenAt",
                status, assignee, resolution, "closedOn", "lastSourceId", "updatedAt"
           from jsonb_to_recordset($1::jsonb) as r("breakId" uuid, type text, account text, "keyString" text, key jsonb, reason text, "asOf" date, ours jsonb,
                theirs jsonb, difference numeric, fields jsonb, market text, "firstSeen" date, "firstSeenAt" timestamptz, status text, assignee text,
                resolution text, "closedOn" date, "lastSourceId" text, "updatedAt" timestamptz)`,
        [JSON.stringify(breaks.slice(i, i + 5000))],
      );
    }
  }

  /** Writes the changed state of breaks already stored (findings refreshed, status, assignee, resolution). */
  async update(em: EntityManager, breaks: StoredBreak[]): Promise<void> {
    for (let i = 0; i < breaks.length; i += 5000) {
      await em.query(
        `update breaks b set reason = r.reason, as_of = r."asOf", ours = r.ours, theirs = r.theirs, difference = r.difference, fields = r.fields,
                status = r.status, assignee = r.assignee, resolution = r.resolution, closed_on = r."closedOn", last_source_id = r."lastSourceId",
                updated_at = r."updatedAt"
           from jsonb_to_recordset($1::jsonb) as r("breakId" uuid, reason text, "asOf" date, ours jsonb, theirs jsonb, difference numeric, fields jsonb,
                status text, assignee text, resolution text, "closedOn" date, "lastSourceId" text, "updatedAt" timestamptz)
          where b.break_id = r."breakId"`,
        [JSON.stringify(breaks.slice(i, i + 5000))],
      );
    }
  }

  async get(em: EntityManager, breakId: string, lock = false): Promise<StoredBreak | null> {
    const rows: Row[] = await em.query(`select ${COLUMNS} from breaks where break_id = $1 ${lock ? 'for update' : ''}`, [breakId]);
    return rows[0] ? toBreak(rows[0]) : null;
  }

  async list(em: EntityManager, filter: BreakFilter): Promise<StoredBreak[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.type) where.push(`type = $${params.push(filter.type)}`);
    if (filter.account) where.push(`account = $${params.push(filter.account)}`);
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.asOf) where.push(`first_seen <= $${params.push(filter.asOf)}::date and (closed_on is null or closed_on > $${params.length}::date)`);
    if (filter.firstSeenBy) {
      const byMarket = filter.firstSeenBy.map((m) => `(market = $${params.push(m.market)} and first_seen <= $${params.push(m.latest)}::date)`);
      where.push(byMarket.length > 0 ? `(${byMarket.join(' or ')})` : 'false');
    }
    if (filter.after) where.push(`(updated_at, break_id) > ($${params.push(filter.after.updatedAt)}::timestamptz, $${params.push(filter.after.breakId)}::uuid)`);
    const rows: Row[] = await em.query(
      `select ${COLUMNS} from breaks ${where.length ? `where ${where.join(' and ')}` : ''} order by updated_at, break_id limit $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toBreak);
  }

  /** Live breaks of an account and type first seen on or before a date, for the summary's ageing. */
  async liveOn(em: EntityManager, keys: { type: BreakType; account: string; asOf: string }[]): Promise<Map<string, StoredBreak[]>> {
    const byKey = new Map<string, StoredBreak[]>();
    if (keys.length === 0) return byKey;
    // One statement for a whole page of summaries.
    const rows: (Row & { on_date: string })[] = await em.query(
      `select ${COLUMNS}, k.on_date::text as on_date
         from unnest($1::text[], $2::text[], $3::date[]) as k(on_type, on_account, on_date)
         join breaks b on b.type = k.on_type and b.account = k.on_account and b.first_seen <= k.on_date and (b.closed_on is null or b.closed_on > k.on_date)`,
      [keys.map((k) => k.type), keys.map((k) => k.account), keys.map((k) => k.asOf)],
    );
    for (const r of rows) {
      const key = liveKey(r.type, r.account, r.on_date);
      byKey.set(key, [...(byKey.get(key) ?? []), toBreak(r)]);
    }
    return byKey;
  }

  async comments(em: EntityManager, breakIds: string[]): Promise<Map<string, BreakComment[]>> {
    const byBreak = new Map<string, BreakComment[]>();
    if (breakIds.length === 0) return byBreak;
    const rows: { break_id: string; by_principal: string; at: Date; text: string }[] = await em.query(
      'select break_id, by_principal, at, text from break_comments where break_id = any($1::uuid[]) order by at, comment_id',
      [breakIds],
    );
    for (const r of rows) {
      const list = byBreak.get(r.break_id) ?? [];
      list.push({ by: r.by_principal, at: r.at.toISOString(), text: r.text });
      byBreak.set(r.break_id, list);
    }
    return byBreak;
  }

  async addComment(em: EntityManager, commentId: string, breakId: string, comment: BreakComment): Promise<void> {
    await em.query('insert into break_comments (comment_id, break_id, by_principal, at, text) values ($1, $2, $3, $4, $5)', [
      commentId,
      breakId,
      comment.by,
      comment.at,
      comment.text,
    ]);
  }

  async insertWriteOff(em: EntityManager, request: WriteOffRequest): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `insert into write_off_requests (request_id, break_id, reason, requested_by, requested_at, status)
       values ($1, $2, $3, $4, $5, 'PENDING') on conflict do nothing returning request_id`,
      [request.requestId, request.breakId, request.reason, request.requestedBy, request.requestedAt],
    );
    return rows.length > 0;
  }

  async writeOff(em: EntityManager, requestId: string, lock = false): Promise<WriteOffRequest | null> {
    const rows: Record<string, unknown>[] = await em.query(
      `select request_id, break_id, reason, requested_by, requested_at, status, decided_by, decided_at from write_off_requests where request_id = $1 ${lock ? 'for update' : ''}`,
      [requestId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      requestId: r.request_id as string,
      breakId: r.break_id as string,
      reason: r.reason as string,
      requestedBy: r.requested_by as string,
      requestedAt: (r.requested_at as Date).toISOString(),
      status: r.status as WriteOffRequest['status'],
      decidedBy: (r.decided_by as string | null) ?? null,
      decidedAt: r.decided_at ? (r.decided_at as Date).toISOString() : null,
    };
  }

  async decideWriteOff(em: EntityManager, requestId: string, status: WriteOffRequest['status'], by: string | null, at: string): Promise<void> {
    await em.query('update write_off_requests set status = $2, decided_by = $3, decided_at = $4 where request_id = $1', [requestId, status, by, at]);
  }

  /** Pending write-off requests of breaks that a statement just closed: nothing is left to write off. */
  async withdrawPending(em: EntityManager, breakIds: string[], at: string): Promise<void> {
    if (breakIds.length === 0) return;
    await em.query(`update write_off_requests set status = 'WITHDRAWN', decided_at = $2 where break_id = any($1::uuid[]) and status = 'PENDING'`, [breakIds, at]);
  }
}
