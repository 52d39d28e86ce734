import { DataSource } from 'typeorm';
import type { ServiceDatabase } from './service-database';

export interface DataSourceOptions {
  url: string;
  poolSize?: number;
}

/**
 * A TypeORM data source bound to the service's schema: entities and the migrations table live
 * there and unqualified SQL resolves there (search_path). `synchronize` is never on: the schema
 * changes only through the service's migrations.
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
    logging: ['error'],
    applicationName: db.service,
    extra: {
      max: options.poolSize ?? Number(process.env.DATABASE_POOL_SIZE ?? 10),
      options: `-c search_path=${db.schema}`,
    },
  });
}
