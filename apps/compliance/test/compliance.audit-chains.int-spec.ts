import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { messagingMigrations } from '@postrade/messaging';
import {
  apiChainOf,
  AuditQueries,
  AuditTrail,
  AuditTrailRepository,
  bootstrapServiceDatabase,
  createAuditTrailTables,
  createServiceDataSource,
  serviceDatabaseUrl,
  TransactionRunner,
  type AuditEntry,
  type ServiceDatabase,
} from '@postrade/persistence';
import { complianceDatabase } from '../src/persistence/compliance.database';
import { ComplianceTables1732400000000 } from '../src/persistence/migrations/compliance-tables.migration';
import { complianceMigrations } from '../src/persistence/migrations';

/** An entry of this run only, about one trade. */
const entry = (entityId: string = randomUUID(), actor = 'dev-ops'): AuditEntry => ({
  actor,
  action: 'limit.put',
  entityType: 'trade',
  entityId,
  before: null,
  after: { limit: '1000000.00', nested: { b: 1, a: [true, null] } },
});

/** Connects as the service's runtime role to `db`'s schema, as the service does. */
async function connect(db: ServiceDatabase): Promise<DataSource> {
  const dataSource = createServiceDataSource(db, { url: serviceDatabaseUrl(db), poolSize: 4 });
  return dataSource.initialize();
}

/**
 * A compliance schema of this test's own (its own roles too), so that editing and deleting records
 * there never disturbs the suites that verify the service's trail at the same time.
 */
function scratchSchema(name: string, migrations: ServiceDatabase['migrations']): ServiceDatabase {
  const schema = `${name}_${randomUUID().slice(0, 8)}`;
  return { ...complianceDatabase, service: schema.replace(/_/g, '-'), schema, role: `${schema}_svc`, entities: [], migrations };
}

async function dropScratchSchema(admin: Client, db: ServiceDatabase): Promise<void> {
  await admin.query(`drop schema if exists ${db.schema} cascade`);
  for (const role of [db.role, `${db.schema}_owner`]) {
    const { rows } = await admin.query('select 1 from pg_roles where rolname = $1', [role]);
    if (rows.length === 0) continue;
    await admin.query(`drop owned by ${role}`);
    await admin.query(`drop role ${role}`);
  }
}

describe('the audit trail as one hash chain per partition (real Postgres)', () => {
  const scratch = scratchSchema('compliance_chains', complianceMigrations);
  let db: DataSource;
  let admin: Client;
  let transactions: TransactionRunner;
  const repository = new AuditTrailRepository();
  const trail = new AuditTrail(repository);
  const run = 'trade-capture.trades.v1';

  beforeAll(async () => {
    admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await bootstrapServiceDatabase(process.env.DATABASE_URL!, scratch);
    await admin.query(`set search_path = ${scratch.schema}`);
    db = await connect(scratch);
    transactions = new TransactionRunner(db);
  });

  afterAll(async () => {
    await db?.destroy();
    if (admin) await dropScratchSchema(admin, scratch);
    await admin?.end();
  });

  /** Appends in a transaction that stays open, holding its chain's head, until `commit` is called. */
  async function appendAndHold(entries: AuditEntry[], chain?: string): Promise<{ commit: () => Promise<void> }> {
    let release!: () => void;
    let appended!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const appendedYet = new Promise<void>((resolve) => (appended = resolve));
    const done = transactions.run(async (em) => {
      await trail.record(em, entries, chain);
      appended();
      await released;
    });
    await Promise.race([appendedYet, done]);
    return {
      commit: async () => {
        release();
        await done;
      },
    };
  }

  /** Appends, giving up after 500 ms waiting for any lock. */
  const appendWithin500ms = (entries: AuditEntry[], chain?: string) =>
    transactions.run(async (em: EntityManager) => {
      await em.query(`set local lock_timeout = '500ms'`);
      return trail.record(em, entries, chain);
    });

  async function chainOf(chain: string): Promise<{ record_id: string; chain_sequence: string; previous_hash: string; hash: string }[]> {
    const { rows } = await admin.query('select record_id, chain_sequence, previous_hash, hash from audit_records where chain_id = $1 order by chain_sequence', [chain]);
    return rows;
  }

  it('appends to another chain while a transaction holds the head of one, without waiting for it', async () => {
    const held = await appendAndHold([entry(), entry()], `${run}:0`);
    try {
      const records = await appendWithin500ms([entry()], `${run}:1`);
      expect(records[0]).toMatchObject({ chain: `${run}:1`, chainSequence: 1, previousHash: '0'.repeat(64) });
    } finally {
      await held.commit();
    }
    expect((await chainOf(`${run}:0`)).map((r) => r.chain_sequence)).toEqual(['1', '2']);
  });

  it('makes a second append to the same chain wait for the first, and chains concurrent appends one after the other', async () => {
    const chain = `${run}:2`;
    const held = await appendAndHold([entry()], chain);
    try {
      await expect(appendWithin500ms([entry()], chain)).rejects.toThrow(/lock timeout/);
    } finally {
      await held.commit();
    }
    await Promise.all(Array.from({ length: 8 }, () => transactions.run((em) => trail.record(em, [entry(), entry()], chain))));
    const records = await chainOf(chain);
    expect(records.map((r) => Number(r.chain_sequence))).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    records.forEach((record, i) => expect(record.previous_hash).toBe(i === 0 ? '0'.repeat(64) : records[i - 1].hash));
    const { rows } = await admin.query('select last_sequence, last_hash from audit_chains where chain_id = $1', [chain]);
    expect(rows[0]).toEqual({ last_sequence: '17', last_hash: records[16].hash });
  });

  it('appends an action that names no chain to the api chain of its entity, and keeps a transaction on the chain it took first', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const [alone] = await transactions.run((em) => trail.record(em, [entry(first)]));
    expect(alone.chain).toBe(apiChainOf(first));
    expect(alone.chain).toMatch(/^api:[0-7]$/);
    const spread = new Set(Array.from({ length: 64 }, () => apiChainOf(randomUUID())));
    expect(spread.size).toBeGreaterThan(4);

    const both = await transactions.run(async (em) => [...(await trail.record(em, [entry(first)])), ...(await trail.record(em, [entry(second)]))]);
    expect(both.map((r) => r.chain)).toEqual([apiChainOf(first), apiChainOf(first)]);
  });

  it('verify finds a record edited in the second of two chains, and counts the records of every chain', async () => {
    const [first, second] = [`${run}:3`, `${run}:4`];
    for (const chain of [first, second]) await transactions.run((em) => trail.record(em, [entry(), entry(), entry()], chain));
    const queries = new AuditQueries(db, repository);
    const ok = await queries.verify();
    expect(ok).toMatchObject({ ok: true, firstBadRecordId: null });
    expect(ok.recordsChecked).toBeGreaterThanOrEqual(6);

    const [, tampered] = await chainOf(second);
    await admin.query(`update audit_records set actor = 'mallory' where record_id = $1`, [tampered.record_id]);
    try {
      expect(await queries.verify()).toMatchObject({ ok: false, firstBadRecordId: tampered.record_id });
    } finally {
      await admin.query(`update audit_records set actor = 'dev-ops' where record_id = $1`, [tampered.record_id]);
    }
    expect((await queries.verify()).ok).toBe(true);
  });

  it('verify is not ok when a chain lost its last record', async () => {
    const chain = `${run}:5`;
    await transactions.run((em) => trail.record(em, [entry(), entry()], chain));
    const [, last] = await chainOf(chain);
    const queries = new AuditQueries(db, repository);
    await admin.query('create temp table kept_record as select * from audit_records where record_id = $1', [last.record_id]);
    await admin.query('delete from audit_records where record_id = $1', [last.record_id]);
    try {
      expect(await queries.verify()).toMatchObject({ ok: false, firstBadRecordId: null });
    } finally {
      await admin.query('insert into audit_records select * from kept_record');
      await admin.query('drop table kept_record');
    }
    expect((await queries.verify()).ok).toBe(true);
  });
});

describe('the audit chains migration (real Postgres)', () => {
  // The schema as it stood before chains were sharded: the first release's migrations only.
  const legacy = scratchSchema('compliance_legacy', [...messagingMigrations, ComplianceTables1732400000000]);
  const schema = legacy.schema;
  let admin: Client;
  let db: DataSource | undefined;

  beforeAll(async () => {
    admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
  });

  afterAll(async () => {
    await db?.destroy();
    await dropScratchSchema(admin, legacy);
    await admin.end();
  });

  it('keeps the records written with one chain verifiable as chain main, and chains new records beside them', async () => {
    await bootstrapServiceDatabase(process.env.DATABASE_URL!, legacy);
    // Two records and the head exactly as the trail's first release wrote them (hashes from its code).
    await admin.query(
      `insert into ${schema}.audit_records (sequence, record_id, recorded_at, actor, action, entity_type, entity_id, before, after, previous_hash, hash) values
        (1, '3e0c1d2b-7a6f-4e5d-9c8b-1a2b3c4d5e6f', '2026-11-20T10:00:00.000Z', 'dev-supervisor', 'release-request.proposed', 'trade', 'T-1', null,
         '{"requestId":"RR-1","amount":"100.00","status":"PENDING","nested":{"b":1,"a":[true,null]}}', $1, 'c3f0c02ecc1ed143cb1664d720237e1b94bf0432cecbff235ad8559dc1e7c758'),
        (2, '4f1d2e3c-8b7a-4f6e-8d9c-2b3c4d5e6f70', '2026-11-20T10:00:01.000Z', 'system:compliance', 'decision.held', 'trade', 'T-2', '{"outcome":"CLEARED"}',
         '{"outcome":"HELD"}', 'c3f0c02ecc1ed143cb1664d720237e1b94bf0432cecbff235ad8559dc1e7c758', 'c60d3cdf67f52d1bd23b4bb2f3c9acfffa4a9a7885f97b11c7031e06c963dd2d')`,
      ['0'.repeat(64)],
    );
    await admin.query(`update ${schema}.audit_chain_head set last_sequence = 2, last_hash = 'c60d3cdf67f52d1bd23b4bb2f3c9acfffa4a9a7885f97b11c7031e06c963dd2d'`);

    const applied = await bootstrapServiceDatabase(process.env.DATABASE_URL!, { ...legacy, migrations: complianceMigrations });
    expect(applied).toContain('ComplianceAuditChains1796600000000');
    const { rows: heads } = await admin.query(`select chain_id, last_sequence from ${schema}.audit_chains`);
    expect(heads).toEqual([{ chain_id: 'main', last_sequence: '2' }]);

    db = await connect(legacy);
    const repository = new AuditTrailRepository();
    const queries = new AuditQueries(db, repository);
    expect(await queries.verify()).toEqual({ ok: true, recordsChecked: 2, firstBadRecordId: null });

    // As the runtime role: a new chain beside main, its global order after the old records.
    const [added] = await new TransactionRunner(db).run((em) => new AuditTrail(repository).record(em, [entry('T-3')], 'trade-capture.trades.v1:0'));
    expect(added).toMatchObject({ chain: 'trade-capture.trades.v1:0', chainSequence: 1, sequence: 3 });
    expect(await queries.verify()).toEqual({ ok: true, recordsChecked: 3, firstBadRecordId: null });

    await admin.query(`update ${schema}.audit_records set actor = 'mallory' where sequence = 2`);
    expect(await queries.verify()).toEqual({ ok: false, recordsChecked: 3, firstBadRecordId: '4f1d2e3c-8b7a-4f6e-8d9c-2b3c4d5e6f70' });
  });
});

describe("the shared audit trail's tables (createAuditTrailTables) against compliance's (real Postgres)", () => {
  /** A new service's migration: the shared DDL only. */
  class SharedAuditTrail1800000000000 implements MigrationInterface {
    name = 'SharedAuditTrail1800000000000';
    up = (q: QueryRunner) => createAuditTrailTables(q);
    down = async () => undefined;
  }
  const compliance = scratchSchema('compliance_shape', complianceMigrations);
  const shared = scratchSchema('shared_audit_shape', [SharedAuditTrail1800000000000]);
  let admin: Client;

  beforeAll(async () => {
    admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
  });

  afterAll(async () => {
    for (const db of [compliance, shared]) await dropScratchSchema(admin, db);
    await admin.end();
  });

  /** The trail's tables, constraints, indexes, sequence and the runtime role's grants, with the schema's and roles' names left out. */
  async function shapeOf(db: ServiceDatabase): Promise<Record<string, unknown[]>> {
    const tables = ['audit_records', 'audit_chains'];
    const rows = async (sql: string, params: unknown[]) => (await admin.query(sql, params)).rows;
    return {
      columns: await rows(
        `select table_name, column_name, ordinal_position, data_type, is_nullable, column_default from information_schema.columns
          where table_schema = $1 and table_name = any($2) order by table_name, ordinal_position`,
        [db.schema, tables],
      ),
      constraints: await rows(
        `select t.relname as table_name, c.conname, pg_get_constraintdef(c.oid) as definition from pg_constraint c
          join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
          where n.nspname = $1 and t.relname = any($2) order by t.relname, c.conname`,
        [db.schema, tables],
      ),
      indexes: await rows(
        `select tablename, indexname, replace(indexdef, schemaname || '.', '') as definition from pg_indexes
          where schemaname = $1 and tablename = any($2) order by indexname`,
        [db.schema, tables],
      ),
      sequence: await rows(
        `select s.data_type, s.start_value, s.increment_by, replace(pg_get_serial_sequence($1 || '.audit_records', 'sequence'), $1 || '.', '') as owned_by_records_sequence,
                has_sequence_privilege($2, $1 || '.audit_records_sequence', 'usage') as runtime_usage
          from pg_sequences s where s.schemaname = $1 and s.sequencename = 'audit_records_sequence'`,
        [db.schema, db.role],
      ),
      grants: await rows(
        `select table_name, privilege_type from information_schema.role_table_grants
          where table_schema = $1 and grantee = $2 and table_name = any($3) order by table_name, privilege_type`,
        [db.schema, db.role, tables],
      ),
    };
  }

  it('creates for a new service exactly the trail compliance has after both of its migrations', async () => {
    for (const db of [compliance, shared]) await bootstrapServiceDatabase(process.env.DATABASE_URL!, db);
    const expected = await shapeOf(compliance);
    expect(expected.sequence).toEqual([expect.objectContaining({ owned_by_records_sequence: 'audit_records_sequence', runtime_usage: true })]);
    expect(expected.grants).toEqual([
      { table_name: 'audit_chains', privilege_type: 'DELETE' },
      { table_name: 'audit_chains', privilege_type: 'INSERT' },
      { table_name: 'audit_chains', privilege_type: 'SELECT' },
      { table_name: 'audit_chains', privilege_type: 'UPDATE' },
      { table_name: 'audit_records', privilege_type: 'INSERT' },
      { table_name: 'audit_records', privilege_type: 'SELECT' },
    ]);
    expect(await shapeOf(shared)).toEqual(expected);
  });
});
