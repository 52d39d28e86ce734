import { Client } from 'pg';
import { createServiceDataSource } from './data-source';
import { RUNTIME_ROLE_SETTING } from './runtime-grants';
import { ownerRoleOf, serviceDatabaseUrl, serviceEnvPrefix, serviceRolePassword, type ServiceDatabase } from './service-database';

const IDENT = /^[a-z_][a-z0-9_]*$/;

function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`refusing unsafe SQL identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Creates (idempotently) the service's two roles and its schema, with no grants on any other schema:
 * - `<schema>_owner` (no login) owns the schema and every table in it; migrations run as it;
 * - `<role>` (login, e.g. `ledger_svc`) is what the service connects with: usage on the schema and
 *   only the per-table privileges its migrations grant (so append-only tables are truly append-only).
 * Runs as a superuser/admin connection.
 */
export async function provisionServiceSchema(adminUrl: string, db: ServiceDatabase, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // Several processes may bootstrap at once (tests, replicas): serialise on one advisory lock.
    await client.query('select pg_advisory_lock(hashtext($1))', ['postrade.provision']);
    const runtime = ident(db.role);
    const owner = ident(ownerRoleOf(db));
    const schema = ident(db.schema);
    const password = literal(serviceRolePassword(db, env));
    const roleExists = async (name: string) => ((await client.query('select 1 from pg_roles where rolname = $1', [name])).rowCount ?? 0) > 0;
    // Roles are cluster-wide: another database of the same server may be creating them right now.
    const createOrAlter = async (name: string, attributes: string) => {
      try {
        await client.query(`${(await roleExists(name.slice(1, -1))) ? 'alter' : 'create'} role ${name} with ${attributes}`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42710') throw err; // duplicate_object: created meanwhile
        await client.query(`alter role ${name} with ${attributes}`);
      }
    };
    await createOrAlter(owner, 'nologin nosuperuser nocreatedb nocreaterole');
    await createOrAlter(runtime, `login nosuperuser nocreatedb nocreaterole noinherit password ${password}`);
    await client.query(`create schema if not exists ${schema} authorization ${owner}`);
    await client.query(`alter schema ${schema} owner to ${owner}`);
    // Before the two-role model the runtime role owned the schema's tables: hand them to the owner.
    // (A table's serial sequences follow it; only free-standing sequences are handed over alone.)
    const { rows: owned } = await client.query<{ name: string; kind: string }>(
      `select c.relname as name, c.relkind as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and pg_get_userbyid(c.relowner) = $2 and c.relkind in ('r', 'S', 'v', 'p')
          and not (c.relkind = 'S' and exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i')))
        order by c.relkind desc`,
      [db.schema, db.role],
    );
    for (const rel of owned) {
      await client.query(`alter ${rel.kind === 'S' ? 'sequence' : rel.kind === 'v' ? 'view' : 'table'} ${schema}.${ident(rel.name)} owner to ${owner}`);
    }
    await client.query(`grant usage on schema ${schema} to ${runtime}`);
    await client.query(`revoke create on schema ${schema} from ${runtime}`);
    await client.query(`alter role ${runtime} set search_path = ${schema}`);
    const { rows } = await client.query('select current_database() as db');
    await client.query(`grant connect on database ${ident(rows[0].db)} to ${runtime}`);
    // PUBLIC may create in schema public before Postgres 15; nobody should.
    await client.query('revoke create on schema public from public');
    await client.query('select pg_advisory_unlock(hashtext($1))', ['postrade.provision']);
  } finally {
    await client.end();
  }
}

/**
 * Runs the service's pending migrations as the schema's owner role (an admin connection that sets
 * its role), then lets the runtime role use the schema's sequences. Returns the names applied.
 */
export async function migrateService(db: ServiceDatabase, adminUrl: string, options: { actAsOwner?: boolean } = {}): Promise<string[]> {
  const dataSource = createServiceDataSource(db, {
    url: adminUrl,
    poolSize: 2,
    sessionSettings: { ...(options.actAsOwner === false ? {} : { role: ownerRoleOf(db) }), [RUNTIME_ROLE_SETTING]: db.role },
  });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.query(`grant usage, select on all sequences in schema ${ident(db.schema)} to ${ident(db.role)}`);
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Provision then migrate: the bootstrap step of `npm start` and of the integration tests. A service
 * given its own server (`<SERVICE>_DATABASE_URL`) is provisioned by whoever runs that server; its
 * migrations then run with `<SERVICE>_MIGRATION_DATABASE_URL`, a login as the schema's owner.
 */
export async function bootstrapServiceDatabase(adminUrl: string, db: ServiceDatabase, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const prefix = serviceEnvPrefix(db.service);
  if (!env[`${prefix}_DATABASE_URL`]) {
    await provisionServiceSchema(adminUrl, db, env);
    return migrateService(db, adminUrl);
  }
  // That connection logs in as the schema's owner itself.
  return migrateService(db, env[`${prefix}_MIGRATION_DATABASE_URL`] ?? serviceDatabaseUrl(db, env), { actAsOwner: false });
}
