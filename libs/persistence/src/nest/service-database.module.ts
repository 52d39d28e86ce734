import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createServiceDataSource } from '../data-source';
import { assertNoDevelopmentPassword } from '../password-policy';
import { serviceDatabaseUrl, type ServiceDatabase } from '../service-database';
import { TransactionRunner } from '../transaction';

/** Token of the service's {@link ServiceDatabase} description. */
export const SERVICE_DATABASE = Symbol('SERVICE_DATABASE');

/**
 * The service's Postgres schema, reached with its runtime role: a DataSource bound to the schema
 * (search path, timeouts) and the TransactionRunner, the one way to open a transaction. Global, so
 * repositories and use cases inject them anywhere. The DataSource closes with the application.
 */
@Module({})
export class ServiceDatabaseModule {
  static forService(database: ServiceDatabase): DynamicModule {
    return {
      module: ServiceDatabaseModule,
      global: true,
      providers: [
        { provide: SERVICE_DATABASE, useValue: database },
        {
          provide: DataSource,
          useFactory: async () => {
            // Outside development a public development password must not reach production.
            assertNoDevelopmentPassword(database);
            const dataSource = createServiceDataSource(database, { url: serviceDatabaseUrl(database) });
            await dataSource.initialize();
            return dataSource;
          },
        },
        { provide: TransactionRunner, useFactory: (ds: DataSource) => new TransactionRunner(ds), inject: [DataSource] },
      ],
      exports: [SERVICE_DATABASE, DataSource, TransactionRunner],
    };
  }
}
