import { DataSource } from 'typeorm';
import type { ServiceDatabase } from './service-database';
import { sessionOptions } from './session-settings';

export interface DataSourceOptions {
  url: string;
  poolSize?: number;
  /** Extra session settings (the migration runner passes the runtime role's name). */
  sessionSettings?: Record<string, string>;
}

/**
 * A TypeORM data source bound to the service's schema: entities and the migrations table live
 * there and unqualified SQL resolves there (search_path), and every session has a statement, lock
 * and idle-in-transaction timeout. `synchronize` is never on: the schema changes only through the
 * service's migrations.
 */
export function createServiceDataSource(db: ServiceDatabase, options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: db.schema,
    entities: db.entities,
    migrations: db.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // Failures surface as errors to the caller (and are logged there once, with context).
    logging: false,
    applicationName: db.service,
    extra: {
      max: options.poolSize ?? Number(process.env.DATABASE_POOL_SIZE ?? 10),
      options: sessionOptions({ schema: db.schema, extra: options.sessionSettings }),
      connectionTimeoutMillis: Number(process.env.DATABASE_CONNECT_TIMEOUT_MS ?? 5000),
    },
  });
}
