import { Client } from 'pg';
import { createServiceDataSource } from './data-source';
import { serviceDatabaseUrl, serviceEnvPrefix, serviceRolePassword, type ServiceDatabase } from './service-database';

const IDENT = /^[a-z_][a-z0-9_]*$/;

function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`refusing unsafe SQL identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Creates (idempotently) the service's login role and the schema it owns, with no grants on any
 * other schema: the role can use only what it owns. Runs as a superuser/admin connection.
 */
export async function provisionServiceSchema(adminUrl: string, db: ServiceDatabase, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // Several processes may bootstrap at once (tests, replicas): serialise on one advisory lock.
    await client.query('select pg_advisory_lock(hashtext($1))', ['postrade.provision']);
    const role = ident(db.role);
    const password = literal(serviceRolePassword(db, env));
    const exists = await client.query('select 1 from pg_roles where rolname = $1', [db.role]);
    await client.query(
      exists.rowCount
        ? `alter role ${role} with login nosuperuser nocreatedb nocreaterole password ${password}`
        : `create role ${role} with login nosuperuser nocreatedb nocreaterole password ${password}`,
    );
    await client.query(`create schema if not exists ${ident(db.schema)} authorization ${role}`);
    await client.query(`alter schema ${ident(db.schema)} owner to ${role}`);
    await client.query(`alter role ${role} set search_path = ${ident(db.schema)}`);
    const { rows } = await client.query('select current_database() as db');
    await client.query(`grant connect on database ${ident(rows[0].db)} to ${role}`);
    // PUBLIC may create in schema public before Postgres 15; nobody should.
    await client.query('revoke create on schema public from public');
    await client.query('select pg_advisory_unlock(hashtext($1))', ['postrade.provision']);
  } finally {
    await client.end();
  }
}

/** Runs the service's pending migrations as the service role. Returns the names applied. */
export async function migrateService(db: ServiceDatabase, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const dataSource = createServiceDataSource(db, { url: serviceDatabaseUrl(db, env), poolSize: 2 });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

/** Provision then migrate: the bootstrap step of `npm start` and of the integration tests. */
export async function bootstrapServiceDatabase(adminUrl: string, db: ServiceDatabase, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  // A service given its own server is provisioned by whoever runs that server.
  if (!env[`${serviceEnvPrefix(db.service)}_DATABASE_URL`]) await provisionServiceSchema(adminUrl, db, env);
  return migrateService(db, { ...env, DATABASE_URL: env.DATABASE_URL ?? adminUrl });
}
