import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import {
  AUDIT_GENESIS_HASH,
  AuditQueries,
  AuditTrail,
  AuditTrailRepository,
  bootstrapServiceDatabase,
  createAuditTrailTables,
  createServiceDataSource,
  ownerRoleOf,
  serviceDatabaseUrl,
  TransactionRunner,
  type AuditEntry,
  type ServiceDatabase,
} from '../src';

/** A new service's first migration: nothing but the shared audit trail. */
class AuditTrailOnly1800000000000 implements MigrationInterface {
  name = 'AuditTrailOnly1800000000000';

  up(q: QueryRunner): Promise<void> {
    return createAuditTrailTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table audit_chains');
    await q.query('drop table audit_records');
  }
}

const entry = (entityId: string, actor = 'dev-ops'): AuditEntry => ({
  actor,
  action: 'break.resolved',
  entityType: 'break',
  entityId,
  before: { status: 'OPEN' },
  after: { status: 'RESOLVED', amount: '100.00', nested: { b: 1, a: [true, null] } },
});

describe('the shared audit trail on a fresh schema made by createAuditTrailTables (real Postgres)', () => {
  // A schema and roles of this suite's own, as a new service would have: provisioned, then migrated by the runner.
  const schema = `audit_trail_${randomUUID().slice(0, 8)}`;
  const database: ServiceDatabase = {
    service: schema.replace(/_/g, '-'),
    schema,
    role: `${schema}_svc`,
    entities: [],
    migrations: [AuditTrailOnly1800000000000],
  };
  const records = new AuditTrailRepository();
  let admin: Client;
  let db: DataSource;
  let queries: AuditQueries;

  beforeAll(async () => {
    admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    expect(await bootstrapServiceDatabase(process.env.DATABASE_URL!, database)).toEqual(['AuditTrailOnly1800000000000']);
    // As the service connects: its runtime role, its schema on the search_path.
    db = await createServiceDataSource(database, { url: serviceDatabaseUrl(database), poolSize: 4 }).initialize();
    queries = new AuditQueries(db, records);
  });

  afterAll(async () => {
    await db?.destroy();
    if (admin) {
      await admin.query(`drop schema if exists ${schema} cascade`);
      for (const role of [database.role, ownerRoleOf(database)]) {
        if ((await admin.query('select 1 from pg_roles where rolname = $1', [role])).rowCount === 0) continue;
        await admin.query(`drop owned by ${role}`);
        await admin.query(`drop role ${role}`);
      }
      await admin.end();
    }
  });

  it('appends on two chains as the runtime role, verifies them, and names a record the owner edited', async () => {
    const transactions = new TransactionRunner(db);
    const trail = new AuditTrail(records, () => new Date('2026-11-20T10:00:00.000Z'));
    const first = await transactions.run((em) => trail.record(em, [entry('B-1'), entry('B-2')], 'reconciliation.breaks:0'));
    const second = await transactions.run((em) => trail.record(em, [entry('B-3'), entry('B-4'), entry('B-5')], 'reconciliation.breaks:1'));
    await transactions.run((em) => trail.record(em, [entry('B-1', 'dev-supervisor')], 'reconciliation.breaks:0'));

    expect(first[0]).toMatchObject({ chain: 'reconciliation.breaks:0', chainSequence: 1, sequence: 1, previousHash: AUDIT_GENESIS_HASH });
    expect(second.map((r) => [r.chainSequence, r.sequence])).toEqual([[1, 3], [2, 4], [3, 5]]);
    expect(await queries.verify()).toEqual({ ok: true, recordsChecked: 6, firstBadRecordId: null });

    const listed = await queries.list({ entityId: 'B-1', from: '2026-11-20', to: '2026-11-20', limit: 10 });
    expect(listed.map((r) => [r.actor, r.chain])).toEqual([['dev-ops', 'reconciliation.breaks:0'], ['dev-supervisor', 'reconciliation.breaks:0']]);
    expect((await queries.export({ from: '2026-11-20' })).records.map((r) => r.sequence)).toEqual([1, 2, 3, 4, 5, 6]);

    // The schema's owner can still change a row; verification is what tells.
    const tampered = second[1];
    await admin.query('begin');
    try {
      await admin.query(`set local role ${ownerRoleOf(database)}`);
      await admin.query(`update ${schema}.audit_records set after = '{"status":"OPEN"}' where record_id = $1`, [tampered.recordId]);
      await admin.query('commit');
    } catch (err) {
      await admin.query('rollback');
      throw err;
    }
    // Chain 0 whole (3), chain 1 up to the edited record (2).
    expect(await queries.verify()).toEqual({ ok: false, recordsChecked: 5, firstBadRecordId: tampered.recordId });
  });

  it("refuses the runtime role's UPDATE and DELETE on audit_records, and lets it move a chain's head", async () => {
    const runtime = new Client({ connectionString: serviceDatabaseUrl(database) });
    await runtime.connect();
    // Each attempt runs in a transaction rolled back whatever happens.
    const attempt = async (sql: string) => {
      await runtime.query('begin');
      try {
        return await runtime.query(sql);
      } finally {
        await runtime.query('rollback');
      }
    };
    try {
      await expect(attempt(`update audit_records set actor = 'mallory'`)).rejects.toThrow(/permission denied/);
      await expect(attempt('delete from audit_records')).rejects.toThrow(/permission denied/);
      await expect(attempt('truncate audit_records')).rejects.toThrow(/permission denied/);
      await expect(attempt('update audit_chains set last_hash = last_hash')).resolves.toMatchObject({ command: 'UPDATE' });
    } finally {
      await runtime.end();
    }
  });
});
