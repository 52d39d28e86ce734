import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { bootstrapServiceDatabase, createServiceDataSource, ownerRoleOf, serviceDatabaseUrl, TransactionRunner, type ServiceDatabase } from '@postrade/persistence';
import { createParkedInputsTable, dropParkedInputsTable, expiryReason, formatWait, messagingMigrations, Outbox, ParkingLot, type ParkedInput, type RawMessage } from '../src';

/** A new service's own migration: nothing but the shared parking lot. */
class ParkingOnly1800000000000 implements MigrationInterface {
  name = 'ParkingOnly1800000000000';
  up(q: QueryRunner): Promise<void> {
    return createParkedInputsTable(q);
  }
  down(q: QueryRunner): Promise<void> {
    return dropParkedInputsTable(q);
  }
}

const message = (value: object, key = 'k'): RawMessage => ({
  topic: 'parktest.settlements.v1',
  partition: 0,
  offset: String(Math.floor(Math.random() * 1e9)),
  key,
  headers: { ce_id: randomUUID(), ce_type: 'postrade.test.settled.v1' },
  value: JSON.stringify(value),
});

describe('the shared parking lot on a fresh schema made by createParkedInputsTable (real Postgres)', () => {
  const schema = `parking_${randomUUID().slice(0, 8)}`;
  const database: ServiceDatabase = { service: schema.replace(/_/g, '-'), schema, role: `${schema}_svc`, entities: [], migrations: [...messagingMigrations, ParkingOnly1800000000000] };
  const dlqTopic = `${schema}.dlq.v1`;
  const lot = new ParkingLot({ consumer: 'parktest', dlqTopic, outbox: new Outbox('parktest', schema) });
  let admin: Client;
  let db: DataSource;
  let tx: TransactionRunner;

  beforeAll(async () => {
    admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await bootstrapServiceDatabase(process.env.DATABASE_URL!, database);
    // As the service connects: its runtime role (insert and delete on parked_inputs, no update).
    db = await createServiceDataSource(database, { url: serviceDatabaseUrl(database), poolSize: 4 }).initialize();
    tx = new TransactionRunner(db);
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

  const parkedRows = async (inputKeys: string[]) =>
    (await admin.query(`select input_key from ${schema}.parked_inputs where input_key = any($1) order by input_key`, [inputKeys])).rows.map((r) => r.input_key);
  const lettersOf = async (eventIds: string[]) =>
    (await admin.query(`select headers->>'ce_id' as event_id, error, topic, partition from ${schema}.dead_letters where headers->>'ce_id' = any($1) order by error`, [eventIds])).rows;

  it('parks an input once (a re-delivery stays one row), finds it, and takes it out for a key it waits for', async () => {
    const [tradeA, tradeB] = [randomUUID(), randomUUID()];
    const order = { kind: 'SETTLEMENT', inputKey: randomUUID(), waitingFor: [tradeA, tradeB], reason: `waiting for trades ${tradeA}, ${tradeB}`, payload: { amount: '10.50' }, message: message({ a: 1 }), expiresInMs: 60_000 };
    expect([...(await tx.run((em) => lot.park(em, [order, order])))]).toEqual([`SETTLEMENT\u0000${order.inputKey}`]);
    expect((await tx.run((em) => lot.park(em, [order]))).size).toBe(0);
    const [found] = await lot.find(db.manager, 'SETTLEMENT', [order.inputKey]);
    expect(found).toMatchObject({ kind: 'SETTLEMENT', waitingFor: [tradeA, tradeB], payload: { amount: '10.50' }, consumer: 'parktest', topic: 'parktest.settlements.v1' });
    expect(Date.parse(found.expiresAt) - Date.parse(found.parkedAt)).toBe(60_000);
    // A take for another kind leaves it; a take for the second key it waits for takes it, once.
    expect(await tx.run((em) => lot.takeFor(em, [tradeB], ['OTHER']))).toEqual([]);
    const taken = await tx.run((em) => lot.takeFor(em, [tradeB]));
    expect(taken.map((p) => p.inputKey)).toEqual([order.inputKey]);
    expect(taken[0].message).toEqual(order.message);
    expect(await tx.run((em) => lot.takeFor(em, [tradeA]))).toEqual([]);
  });

  it('gives back inputs parked together in the order they were given, whatever their keys', async () => {
    const instruction = randomUUID();
    const keys = ['U-3', 'U-1', 'U-2'].map((u) => `${instruction} ${u}`);
    await tx.run((em) => lot.park(em, keys.map((inputKey) => ({ kind: 'STATUS', inputKey, waitingFor: [instruction], reason: 'waiting', payload: {}, expiresInMs: 60_000 }))));
    await tx.run((em) => lot.park(em, [{ kind: 'STATUS', inputKey: `${instruction} U-0`, waitingFor: [instruction], reason: 'waiting', payload: {}, expiresInMs: 60_000 }]));
    const taken = await tx.run((em) => lot.takeFor(em, [instruction]));
    expect(taken.map((p) => p.inputKey)).toEqual([...keys, `${instruction} U-0`]);
  });

  it('re-applies exactly once with two concurrent takers: the second waits, then finds nothing, or takes it after a rollback', async () => {
    const trade = randomUUID();
    const inputKey = randomUUID();
    await tx.run((em) => lot.park(em, [{ kind: 'STATUS', inputKey, waitingFor: [trade], reason: `waiting for ${trade}`, payload: {}, expiresInMs: 60_000 }]));

    const race = async (firstCommits: boolean): Promise<{ first: ParkedInput[]; second: ParkedInput[] }> => {
      const runner = db.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        const first = await lot.takeFor(runner.manager, [trade]);
        const second = tx.run((em) => lot.takeFor(em, [trade]));
        // The second taker is blocked on the first's delete (a real lock wait, not a guess of time).
        for (let i = 0; ; i++) {
          const { rows } = await admin.query(`select 1 from pg_stat_activity where usename = $1 and wait_event_type = 'Lock' and query like '%delete from parked_inputs where waiting_for%'`, [database.role]);
          if (rows.length > 0) break;
          if (i > 500) throw new Error('the second taker never waited on the first');
          await new Promise((r) => setImmediate(r));
        }
        if (firstCommits) await runner.commitTransaction();
        else await runner.rollbackTransaction();
        return { first, second: await second };
      } finally {
        await runner.release();
      }
    };

    const rolledBack = await race(false);
    expect(rolledBack.first.map((p) => p.inputKey)).toEqual([inputKey]);
    expect(rolledBack.second.map((p) => p.inputKey)).toEqual([inputKey]);
    // The second taker committed: the input is gone. Park it again and race with a committing first.
    await tx.run((em) => lot.park(em, [{ kind: 'STATUS', inputKey, waitingFor: [trade], reason: `waiting for ${trade}`, payload: {}, expiresInMs: 60_000 }]));
    const committed = await race(true);
    expect(committed.first.map((p) => p.inputKey)).toEqual([inputKey]);
    expect(committed.second).toEqual([]);
    expect(await parkedRows([inputKey])).toEqual([]);
  });

  it('lists page by page, by kind, without repeating inputs parked in one transaction', async () => {
    const kind = `PAGED_${randomUUID().slice(0, 6)}`;
    const keys = Array.from({ length: 7 }, () => randomUUID());
    await tx.run((em) => lot.park(em, keys.map((inputKey) => ({ kind, inputKey, waitingFor: [inputKey], reason: 'waiting', payload: null, expiresInMs: 60_000 }))));
    const seen: string[] = [];
    for (let after: { parkedAt: string; id: string } | undefined, pages = 0; pages < 100; pages++) {
      const page = await lot.list(db.manager, { kind, after, limit: 3 });
      seen.push(...page.map((p) => p.inputKey));
      if (page.length < 3) break;
      after = { parkedAt: page[2].parkedAt, id: page[2].id };
    }
    expect(seen.sort()).toEqual([...keys].sort());
    const stats = (await lot.stats(db.manager)).find((s) => s.kind === kind);
    expect(stats).toMatchObject({ count: 7 });
    await tx.run((em) => lot.takeFor(em, keys));
  });

  it('moves expired inputs to the dead letters with the reason, chunk by chunk, runs the kind hook, and leaves the waiting ones', async () => {
    const kind = `EXPIRING_${randomUUID().slice(0, 6)}`;
    const withMessage = message({ settled: '1' });
    const legacyEventId = randomUUID();
    const orders = [
      { kind, inputKey: 'a-with-message', waitingFor: ['T-1'], reason: 'waiting for trade T-1', payload: { x: 1 }, message: withMessage, eventId: withMessage.headers.ce_id, parkedAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-04T00:00:00.000Z' },
      { kind, inputKey: 'b-no-message', waitingFor: ['T-2'], reason: 'waiting for trade T-2', payload: { y: '2.50' }, eventId: legacyEventId, eventType: 'postrade.test.settled.v1', topic: 'parktest.settlements.v1', parkedAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-01T00:10:00.000Z' },
      { kind, inputKey: 'c-still-waiting', waitingFor: ['T-3'], reason: 'waiting for trade T-3', payload: {}, expiresInMs: 3_600_000 },
    ];
    await tx.run((em) => lot.park(em, orders));
    const hooked: string[] = [];
    lot.onExpiry(kind, async (em, parked, reason) => {
      // In the same transaction: the dead letter is already there.
      const [{ n }] = await em.query(`select count(*)::int as n from dead_letters where error = $1`, [reason]);
      hooked.push(`${parked.inputKey}:${n}`);
    });

    expect(await lot.expireDue(db, { chunk: 1 })).toBeGreaterThanOrEqual(2);
    expect(hooked.sort()).toEqual(['a-with-message:1', 'b-no-message:1']);
    expect(await parkedRows(['a-with-message', 'b-no-message', 'c-still-waiting'])).toEqual(['c-still-waiting']);
    const letters = await lettersOf([withMessage.headers.ce_id, legacyEventId]);
    expect(letters).toEqual([
      { event_id: withMessage.headers.ce_id, topic: 'parktest.settlements.v1', partition: 0, error: expect.stringMatching(/^parked EXPIRING_\w+ expired: waiting for trade T-1; waited 72h \(parked at 2026-01-01T00:00:00.000Z\) and it never arrived$/) },
      { event_id: legacyEventId, topic: 'parktest.settlements.v1', partition: -1, error: expect.stringMatching(/waiting for trade T-2; waited 10m .* never arrived$/) },
    ]);
    // Each letter has its copy for the DLQ topic in the outbox, the original value kept.
    const copies = (await admin.query(`select payload, headers->>'dlq_error' as error from ${schema}.outbox where topic = $1 and headers->>'ce_id' = any($2)`, [dlqTopic, [withMessage.headers.ce_id, legacyEventId]])).rows;
    expect(copies.map((c) => c.payload).sort()).toEqual([withMessage.value, JSON.stringify({ y: '2.50' })].sort());
    await tx.run((em) => lot.takeFor(em, ['T-3'], [kind]));
  });

  it('never deletes an expired input without its dead letter: a failing chunk leaves it parked and unlettered', async () => {
    const kind = `FAILING_${randomUUID().slice(0, 6)}`;
    const m = message({ z: 1 });
    await tx.run((em) => lot.park(em, [{ kind, inputKey: 'x', waitingFor: ['T-9'], reason: 'waiting for trade T-9', payload: {}, message: m, expiresAt: new Date(Date.now() - 1000) }]));
    lot.onExpiry(kind, async () => {
      throw new Error('hook failed');
    });
    await expect(lot.expireDue(db)).rejects.toThrow('hook failed');
    expect(await lot.find(db.manager, kind, ['x'])).toHaveLength(1);
    expect(await lettersOf([m.headers.ce_id])).toEqual([]);
    lot.onExpiry(kind, async () => undefined);
    await lot.expireDue(db);
    expect(await lot.find(db.manager, kind, ['x'])).toEqual([]);
    expect(await lettersOf([m.headers.ce_id])).toHaveLength(1);
  });

  it('words the wait with its unit', () => {
    expect(formatWait(72 * 3_600_000)).toBe('72h');
    expect(formatWait(90 * 60_000)).toBe('1h 30m');
    expect(formatWait(250)).toBe('250ms');
    expect(expiryReason({ kind: 'AMEND', reason: 'waiting for the NEW of OMS1/T-1', parkedAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-01T00:10:00.000Z' })).toBe(
      'parked AMEND expired: waiting for the NEW of OMS1/T-1; waited 10m (parked at 2026-01-01T00:00:00.000Z) and it never arrived',
    );
  });
});
