/**
 * Settings every database session of a service starts with, passed as libpq `options` so they
 * cost no round trip: the schema's search path, and timeouts so that no statement, lock wait or
 * forgotten open transaction can hold a connection (or a row lock) indefinitely.
 */
export interface SessionSettings {
  schema: string;
  /** `DATABASE_STATEMENT_TIMEOUT_MS`, default 30 s. */
  statementTimeoutMs?: number;
  /** `DATABASE_LOCK_TIMEOUT_MS`, default 10 s. */
  lockTimeoutMs?: number;
  /** `DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS`, default 60 s. */
  idleInTransactionTimeoutMs?: number;
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
    ...settings.extra,
  };
  return Object.entries(pairs)
    .map(([name, value]) => `-c ${name}=${value.replace(/[\s\\]/g, (c) => `\\${c}`)}`)
    .join(' ');
}
