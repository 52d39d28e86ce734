/**
 * Settings every database session of a service starts with, passed as libpq `options` so they
 * cost no round trip: the schema's search path, and timeouts so that no statement, lock wait or
 * forgotten open transaction can hold a connection (or a row lock) indefinitely.
 *
 * `random_page_cost` 1.1 instead of Postgres' 4 (a spinning disk's): the services read their rows
 * by key, in batches of up to 500 keys joined against a table (`unnest(...) join t on <key>`), from
 * a working set on SSD or in memory. At 4 the planner prices 500 index probes above a sequential
 * scan and hash join of a table of tens of thousands of rows, and picks the scan: measured in the
 * matching benchmark, 12 ms a batch for the scan against 1.5 ms for the probes, growing with the
 * table. The setting is the one commonly given for SSD storage.
 */
export interface SessionSettings {
  schema: string;
  /** `DATABASE_STATEMENT_TIMEOUT_MS`, default 30 s. */
  statementTimeoutMs?: number;
  /** `DATABASE_LOCK_TIMEOUT_MS`, default 10 s. */
  lockTimeoutMs?: number;
  /** `DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS`, default 60 s. */
  idleInTransactionTimeoutMs?: number;
  /** `DATABASE_RANDOM_PAGE_COST`, default 1.1. */
  randomPageCost?: number;
  /** Extra `name=value` settings (e.g. the runtime role name while migrating). */
  extra?: Record<string, string>;
}

export function sessionOptions(settings: SessionSettings, env: NodeJS.ProcessEnv = process.env): string {
  const ms = (value: number | undefined, name: string, fallback: number) => value ?? Number(env[name] ?? fallback);
  const pairs: Record<string, string> = {
    search_path: settings.schema,
    statement_timeout: String(ms(settings.statementTimeoutMs, 'DATABASE_STATEMENT_TIMEOUT_MS', 30_000)),
    lock_timeout: String(ms(settings.lockTimeoutMs, 'DATABASE_LOCK_TIMEOUT_MS', 10_000)),
    idle_in_transaction_session_timeout: String(ms(settings.idleInTransactionTimeoutMs, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 60_000)),
    random_page_cost: String(settings.randomPageCost ?? Number(env.DATABASE_RANDOM_PAGE_COST ?? 1.1)),
    ...settings.extra,
  };
  return Object.entries(pairs)
    .map(([name, value]) => `-c ${name}=${value.replace(/[\s\\]/g, (c) => `\\${c}`)}`)
    .join(' ');
}
