import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { bootstrapServiceDatabase, createServiceDataSource, serviceDatabaseUrl, type ServiceDatabase } from '@postrade/persistence';

/** A service schema of a test's own, as a migration test needs it: migrated up to a point, then on. */
export interface ScratchSchema {
  /** The schema's name: the service's, with a prefix and a random suffix. */
  readonly schema: string;
  /** The service's database under that schema and its own roles, with the migrations it starts from. */
  readonly database: ServiceDatabase;
  /** The admin connection (DATABASE_URL), open from beforeAll to afterAll. */
  readonly admin: Client;
  /** Applies `migrations` (default: the ones it starts from) and returns the names applied. */
  migrate(migrations?: ServiceDatabase['migrations']): Promise<string[]>;
  /** A data source as the schema's runtime role; closed after the suite. */
  connect(): Promise<DataSource>;
}

/**
 * Registers beforeAll/afterAll hooks for a scratch copy of `base`'s schema named `<prefix>_<random>`,
 * starting from `migrations` (e.g. every migration before the one under test); afterwards the
 * schema, its roles and every connection are gone.
 */
export function useScratchSchema(base: ServiceDatabase, prefix: string, migrations: ServiceDatabase['migrations']): ScratchSchema {
  const schema = `${prefix}_${randomUUID().slice(0, 8)}`;
  const database: ServiceDatabase = { ...base, service: schema.replace(/_/g, '-'), schema, role: `${schema}_svc`, migrations };
  const sources: DataSource[] = [];
  let admin: Client | undefined;

  beforeAll(async () => {
    admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
  });

  afterAll(async () => {
    for (const source of sources) await source.destroy();
    if (!admin) return;
    await admin.query(`drop schema if exists ${schema} cascade`);
    for (const role of [database.role, `${schema}_owner`]) {
      const { rows } = await admin.query('select 1 from pg_roles where rolname = $1', [role]);
      if (rows.length === 0) continue;
      await admin.query(`drop owned by ${role}`);
      await admin.query(`drop role ${role}`);
    }
    await admin.end();
  });

  return {
    schema,
    database,
    get admin(): Client {
      if (!admin) throw new Error('the scratch schema is connected in beforeAll');
      return admin;
    },
    migrate: (to = migrations) => bootstrapServiceDatabase(process.env.DATABASE_URL!, { ...database, migrations: to }),
    connect: async () => {
      const source = await createServiceDataSource(database, { url: serviceDatabaseUrl(database), poolSize: 2 }).initialize();
      sources.push(source);
      return source;
    },
  };
}
