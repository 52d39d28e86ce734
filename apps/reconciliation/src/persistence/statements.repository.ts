import type { EntityManager } from 'typeorm';
import type { BreakType, MatchRecord } from '../domain/model';

/** What applying a statement (or blotter) produced: API.md's answer to `POST /statements`. */
export interface StatementResult {
  statementId: string;
  type: string;
  account: string;
  asOf: string;
  lines: number;
  matched: number;
  breaksOpened: number;
  breaksClosed: number;
}

export interface ReceivedStatement {
  statementId: string;
  account: string;
  asOf: string;
  type: string;
  format: string;
  contentSha256: string;
  lines: number;
  receivedBy: string;
  receivedAt: string;
}

export interface ReconciliationRun {
  runId: string;
  statementId: string;
  breakType: BreakType;
  account: string;
  asOf: string;
  linesCompared: number;
  matched: number;
  breaksFound: number;
  breaksOpened: number;
  breaksClosed: number;
  matchesByRule: Record<string, number>;
  ranAt: string;
}

/** Matches per stored row: `ord` n (1-based) is entry (n − 1) mod this of chunk ⌊(n − 1) / this⌋. */
const MATCHES_PER_CHUNK = 10_000;

/** Statements received (once each), the runs they caused and every match with its rule. */
export class StatementsRepository {
  /**
   * The first result of this (statementId, account, asOf) if it was applied before, else null;
   * either way the key is locked until the transaction ends, so a concurrent copy waits and then
   * finds the first one's result. Statements are append-only: recorded once, with their result.
   */
  async previousResult(em: EntityManager, statementId: string, account: string, asOf: string): Promise<StatementResult | null> {
    await em.query(`select pg_advisory_xact_lock(hashtext('reconciliation-statement'), hashtext($1))`, [`${statementId}|${account}|${asOf}`]);
    const rows: { result: StatementResult }[] = await em.query('select result from statements where statement_id = $1 and account = $2 and as_of = $3', [
      statementId,
      account,
      asOf,
    ]);
    return rows[0]?.result ?? null;
  }

  async record(em: EntityManager, statement: ReceivedStatement, result: StatementResult): Promise<void> {
    await em.query(
      `insert into statements (statement_id, account, as_of, type, format, content_sha256, lines, received_by, received_at, result)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [statement.statementId, statement.account, statement.asOf, statement.type, statement.format, statement.contentSha256, statement.lines, statement.receivedBy, statement.receivedAt, JSON.stringify(result)],
    );
  }

  async recordRun(em: EntityManager, run: ReconciliationRun, matches: MatchRecord[]): Promise<void> {
    await em.query(
      `insert into reconciliation_runs (run_id, statement_id, break_type, account, as_of, lines_compared, matched, breaks_found, breaks_opened, breaks_closed, matches_by_rule, ran_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [run.runId, run.statementId, run.breakType, run.account, run.asOf, run.linesCompared, run.matched, run.breaksFound, run.breaksOpened, run.breaksClosed, JSON.stringify(run.matchesByRule), run.ranAt],
    );
    for (let chunk = 0; chunk * MATCHES_PER_CHUNK < matches.length; chunk++) {
      const entries = matches.slice(chunk * MATCHES_PER_CHUNK, (chunk + 1) * MATCHES_PER_CHUNK);
      await em.query('insert into matches (run_id, chunk, entries) values ($1, $2, $3)', [run.runId, chunk, JSON.stringify(entries)]);
    }
  }

  /** The latest run per (account, type, asOf) matching the filter, newest dates first. */
  async latestRuns(
    em: EntityManager,
    filter: { account?: string; asOf?: string; type?: BreakType; after?: { asOf: string; account: string; type: string }; limit: number },
  ): Promise<ReconciliationRun[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.account) where.push(`account = $${params.push(filter.account)}`);
    if (filter.asOf) where.push(`as_of = $${params.push(filter.asOf)}::date`);
    if (filter.type) where.push(`break_type = $${params.push(filter.type)}`);
    const after = filter.after
      ? `where (as_of, account, break_type) < ($${params.push(filter.after.asOf)}::date, $${params.push(filter.after.account)}, $${params.push(filter.after.type)})`
      : '';
    const rows: Record<string, unknown>[] = await em.query(
      `select * from (
         select distinct on (as_of, account, break_type) run_id, statement_id, break_type, account, as_of::text, lines_compared, matched, breaks_found,
                breaks_opened, breaks_closed, matches_by_rule, ran_at
           from reconciliation_runs ${where.length ? `where ${where.join(' and ')}` : ''}
          order by as_of, account, break_type, ran_at desc) latest
       ${after}
       order by as_of desc, account desc, break_type desc limit $${params.push(filter.limit)}`,
      params,
    );
    return rows.map((r) => ({
      runId: r.run_id as string,
      statementId: r.statement_id as string,
      breakType: r.break_type as BreakType,
      account: r.account as string,
      asOf: r.as_of as string,
      linesCompared: r.lines_compared as number,
      matched: r.matched as number,
      breaksFound: r.breaks_found as number,
      breaksOpened: r.breaks_opened as number,
      breaksClosed: r.breaks_closed as number,
      matchesByRule: r.matches_by_rule as Record<string, number>,
      ranAt: (r.ran_at as Date).toISOString(),
    }));
  }

  /** A run's matches after position `afterOrd` (1-based, in the order the engine made them). */
  async matchesOf(em: EntityManager, runId: string, afterOrd: number, limit: number): Promise<{ ord: number; rule: string; ours: string[]; theirs: string[] }[]> {
    const rows: { ord: string; rule: string; ours: string[]; theirs: string[] }[] = await em.query(
      `select m.chunk * $4 + e.i as ord, e.x->>'rule' as rule, e.x->'ours' as ours, e.x->'theirs' as theirs
         from matches m cross join lateral jsonb_array_elements(m.entries::jsonb) with ordinality as e(x, i)
        where m.run_id = $1 and m.chunk >= floor($2::numeric / $4) and m.chunk * $4 + e.i > $2
        order by m.chunk, e.i limit $3`,
      [runId, afterOrd, limit, MATCHES_PER_CHUNK],
    );
    return rows.map((r) => ({ ord: Number(r.ord), rule: r.rule, ours: r.ours, theirs: r.theirs }));
  }
}
