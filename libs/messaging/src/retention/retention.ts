import type { DataSource } from 'typeorm';
import { createLogger } from '@postrade/platform';

/**
 * A table that would otherwise only grow, and how long its rows are kept. Rows whose
 * `timestampColumn` is older than now − `horizonMs` (and that match `where`) are deleted by the
 * retention sweep, in chunks, so that no table grows without bound and no sweep holds long locks.
 */
export interface RetentionRule {
  /** What is removed, for logs: e.g. `published outbox rows`. */
  name: string;
  table: string;
  timestampColumn: string;
  /** Extra condition, e.g. `status = 'REPLAYED'`; rows not matching it are kept whatever their age. */
  where?: string;
  horizonMs: number;
}

const HOUR = 3_600_000;
const hours = (env: NodeJS.ProcessEnv, name: string, fallback: number) => Number(env[name] ?? fallback) * HOUR;

/**
 * The messaging tables' rules. The inbox must remember an event at least as long as the broker
 * may re-deliver it (the consumed topics' retention, 7 days by default in Kafka), hence 8 days.
 */
export function messagingRetentionRules(env: NodeJS.ProcessEnv = process.env): RetentionRule[] {
  return [
    { name: 'published outbox rows', table: 'outbox', timestampColumn: 'sent_at', where: 'sent_at is not null', horizonMs: hours(env, 'OUTBOX_RETENTION_HOURS', 24) },
    { name: 'inbox entries', table: 'inbox', timestampColumn: 'processed_at', horizonMs: hours(env, 'INBOX_RETENTION_HOURS', 8 * 24) },
    {
      name: 'replayed dead letters',
      table: 'dead_letters',
      timestampColumn: 'replayed_at',
      where: `status = 'REPLAYED'`,
      horizonMs: hours(env, 'DEAD_LETTER_RETENTION_HOURS', 30 * 24),
    },
  ];
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
const CHUNK = 5_000;
const log = createLogger('retention');

/** Deletes what is past its horizon under each rule; returns the rows removed per rule name. */
export async function sweepRetention(dataSource: DataSource, rules: RetentionRule[], now: Date = new Date()): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  for (const rule of rules) {
    if (!IDENT.test(rule.table) || !IDENT.test(rule.timestampColumn)) throw new Error(`unsafe retention rule ${rule.name}`);
    const cutoff = new Date(now.getTime() - rule.horizonMs);
    const condition = `${rule.timestampColumn} < $1${rule.where ? ` and (${rule.where})` : ''}`;
    let total = 0;
    for (;;) {
      const [, count] = (await dataSource.query(
        `delete from ${rule.table} where ctid = any(array(select ctid from ${rule.table} where ${condition} limit ${CHUNK}))`,
        [cutoff],
      )) as [unknown, number];
      total += count;
      if (count < CHUNK) break;
    }
    removed[rule.name] = total;
    if (total > 0) log.info({ rule: rule.name, removed: total, olderThan: cutoff.toISOString() }, 'retention sweep');
  }
  return removed;
}
