import type { DataSource } from 'typeorm';
import { createLogger, readEnv, type EnvSource } from '@postrade/platform';

/**
 * Rows of another table that leave with each row a rule removes, in the same statement, where the
 * schema has no `on delete cascade` for them: `delete from <table> using (the removed rows) where
 * <column> = <removed row's column>` for each pair of `on`. E.g. a closed trade's paired
 * confirmation. Give columns an index covers (a unique key), so each chunk probes, never scans.
 */
export interface RetentionDependent {
  table: string;
  /** The dependent's column → the removed row's column it must equal. */
  on: Record<string, string>;
}

/**
 * A table that would otherwise only grow, and how long its rows are kept. Rows whose
 * `timestampColumn` is older than now − `horizonMs` (and that match `where`) are deleted by the
 * retention sweep, in chunks, so that no table grows without bound and no sweep holds long locks.
 * Every service's retention is a list of these, given to `MessagingModule.forService({ retention })`
 * and swept by the one periodic sweep of the messaging runtime; horizons are read with
 * `env.duration` (a value with its unit: `24h`, `90d`).
 */
export interface RetentionRule {
  /** What is removed, for logs: e.g. `published outbox rows`. */
  name: string;
  table: string;
  timestampColumn: string;
  /**
   * Extra condition, e.g. `status = 'REPLAYED'`; rows not matching it are kept whatever their age.
   * It is where a rule says what is closed: retention never removes an open item.
   */
  where?: string;
  horizonMs: number;
  /** Rows of other tables removed with each row in the same chunked statement (children without a cascading foreign key). */
  dependents?: RetentionDependent[];
}

/**
 * The messaging tables' rules. The inbox must remember an event at least as long as the broker
 * may re-deliver it (the consumed topics' retention, 7 days by default in Kafka), hence 8 days.
 */
export function messagingRetentionRules(source: EnvSource = process.env): RetentionRule[] {
  const horizons = readEnv(source, (env) => ({
    outbox: env.duration('OUTBOX_RETENTION', { default: '24h' }),
    inbox: env.duration('INBOX_RETENTION', { default: '8d' }),
    deadLetters: env.duration('DEAD_LETTER_RETENTION', { default: '30d' }),
  }));
  return [
    { name: 'published outbox rows', table: 'outbox', timestampColumn: 'sent_at', where: 'sent_at is not null', horizonMs: horizons.outbox },
    { name: 'inbox entries', table: 'inbox', timestampColumn: 'processed_at', horizonMs: horizons.inbox },
    { name: 'replayed dead letters', table: 'dead_letters', timestampColumn: 'replayed_at', where: `status = 'REPLAYED'`, horizonMs: horizons.deadLetters },
  ];
}

/** How often the retention sweep runs: `RETENTION_SWEEP_INTERVAL` (default 10m). */
export function retentionSweepInterval(source: EnvSource = process.env): number {
  return readEnv(source, (env) => env.duration('RETENTION_SWEEP_INTERVAL', { default: '10m', min: '1s' }));
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
/** Rows per statement: bounded lock time and WAL per transaction, whatever the backlog. */
export const RETENTION_CHUNK = 5_000;
const log = createLogger('retention');

function identifier(rule: RetentionRule, name: string): string {
  if (!IDENT.test(name)) throw new Error(`unsafe retention rule ${rule.name}: ${JSON.stringify(name)} is not a plain identifier`);
  return name;
}

/**
 * One chunk of a rule, one statement (so one short transaction): up to `chunk` rows past the
 * horizon (`$1`), by ctid, and their dependents. Answers `removed` (rows of the rule's table) and
 * `dependents` (rows of the dependent tables).
 */
export function retentionChunkStatement(rule: RetentionRule, chunk: number = RETENTION_CHUNK): string {
  const table = identifier(rule, rule.table);
  const condition = `${identifier(rule, rule.timestampColumn)} < $1${rule.where ? ` and (${rule.where})` : ''}`;
  const dependents = rule.dependents ?? [];
  const referenced = [...new Set(dependents.flatMap((d) => Object.values(d.on).map((column) => identifier(rule, column))))];
  const returning = referenced.length ? referenced.join(', ') : '1';
  const ctes = [`gone as (delete from ${table} where ctid = any(array(select ctid from ${table} where ${condition} limit ${chunk})) returning ${returning})`];
  dependents.forEach((d, i) => {
    const pairs = Object.entries(d.on);
    if (pairs.length === 0) throw new Error(`unsafe retention rule ${rule.name}: dependent ${d.table} names no column`);
    const join = pairs.map(([column, parent]) => `d.${identifier(rule, column)} = gone.${identifier(rule, parent)}`).join(' and ');
    ctes.push(`dependent_${i} as (delete from ${identifier(rule, d.table)} d using gone where ${join} returning 1)`);
  });
  const dependentCount = dependents.length ? dependents.map((_, i) => `(select count(*) from dependent_${i})`).join(' + ') : '0';
  return `with ${ctes.join(', ')} select (select count(*) from gone)::int as removed, (${dependentCount})::int as dependents`;
}

/**
 * Deletes what is past its horizon under each rule, chunk after chunk (each chunk its own
 * statement and transaction); returns the rows removed per rule name (dependents included).
 */
export async function sweepRetention(
  dataSource: DataSource,
  rules: RetentionRule[],
  now: Date = new Date(),
  chunk: number = RETENTION_CHUNK,
): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  for (const rule of rules) {
    const statement = retentionChunkStatement(rule, chunk);
    const cutoff = new Date(now.getTime() - rule.horizonMs);
    let total = 0;
    let dependents = 0;
    for (;;) {
      const [row] = (await dataSource.query(statement, [cutoff])) as { removed: number; dependents: number }[];
      total += row.removed;
      dependents += row.dependents;
      if (row.removed < chunk) break;
    }
    removed[rule.name] = total + dependents;
    if (total > 0) log.info({ rule: rule.name, removed: total, dependents, olderThan: cutoff.toISOString() }, 'retention sweep');
  }
  return removed;
}
