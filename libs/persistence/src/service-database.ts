import type { MixedList, EntitySchema } from 'typeorm';

/** What a service owns in Postgres: one schema, one login role, its migrations and entities. */
export interface ServiceDatabase {
  /** Service name, e.g. `trade-capture`. */
  service: string;
  /** Schema the service owns, e.g. `trade_capture`. */
  schema: string;
  /**
   * The runtime login role the service connects with, e.g. `trade_capture_svc`: it holds only the
   * per-table grants its migrations give it (see grantRuntime); the schema belongs to
   * {@link ownerRoleOf}, which runs the migrations.
   */
  role: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

/** `trade-capture` → `TRADE_CAPTURE`: the prefix of a service's own environment variables. */
export function serviceEnvPrefix(service: string): string {
  return service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Development password of a service role (override with `<SERVICE>_DB_PASSWORD`). */
export function serviceRolePassword(db: Pick<ServiceDatabase, 'service' | 'role'>, env: NodeJS.ProcessEnv = process.env): string {
  return env[`${serviceEnvPrefix(db.service)}_DB_PASSWORD`] ?? `${db.role}-dev`;
}

/**
 * The URL a service connects with: `<SERVICE>_DATABASE_URL` (e.g. TRADE_CAPTURE_DATABASE_URL) when
 * set, so any service can live on its own server; otherwise DATABASE_URL's server and database
 * with the service's own role and password.
 */
export function serviceDatabaseUrl(db: Pick<ServiceDatabase, 'service' | 'role'>, env: NodeJS.ProcessEnv = process.env): string {
  const own = env[`${serviceEnvPrefix(db.service)}_DATABASE_URL`];
  if (own) return own;
  const shared = env.DATABASE_URL;
  if (!shared) {
    throw new Error(`${serviceEnvPrefix(db.service)}_DATABASE_URL or DATABASE_URL must be set (npm start sets it for the local runtime)`);
  }
  const url = new URL(shared);
  url.username = db.role;
  url.password = serviceRolePassword(db, env);
  return url.toString();
}

/** The role that owns the service's schema and runs its migrations: `<schema>_owner` (no login). */
export function ownerRoleOf(db: Pick<ServiceDatabase, 'schema'>): string {
  return `${db.schema}_owner`;
}
