import { randomUUID } from 'node:crypto';
import { Outbox, ParkingLot, type RawMessage } from '@postrade/messaging';
import { TransactionRunner } from '@postrade/persistence';
import { useScratchSchema } from '@postrade/testing';
import { ledgerDatabase } from '../src/persistence/ledger.database';
import { ledgerMigrations } from '../src/persistence/migrations';
import { LedgerParkedInputs1798200000000 } from '../src/persistence/migrations/ledger-parked-inputs.migration';

describe("the ledger's parked settlements moving to the shared parking lot (real Postgres)", () => {
  // A ledger schema of this test's own, migrated up to the migration under test, with parked settlements in the old table.
  const before = ledgerMigrations.slice(0, ledgerMigrations.indexOf(LedgerParkedInputs1798200000000));
  const scratch = useScratchSchema(ledgerDatabase, 'ledger_parking', before);
  const { schema, database: legacy } = scratch;

  it('moves each waiting settlement with its message, trades, times and expiry, and drops parked_settlements', async () => {
    await scratch.migrate();
    const [waiting, rejected, tradeA, tradeB] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const message = (eventId: string): RawMessage => ({ topic: 'settlement.events.v1', partition: 1, offset: '7', key: 'I-1', headers: { ce_id: eventId, ce_type: 'postrade.settlement.settled.v1' }, value: '{"instructionId":"I-1"}' });
    await scratch.admin.query(
      `insert into ${schema}.parked_settlements (event_id, event_type, instruction_id, waiting_for, message, rejection, parked_at, expires_at) values
         ($1, 'postrade.settlement.settled.v1', 'I-1', $3::uuid[], $4, null, '2026-11-20T10:00:00Z', '2026-11-23T10:00:00Z'),
         ($2, 'postrade.settlement.settled.v1', 'I-2', $5::uuid[], $6, 'settles more than remains', '2026-11-20T11:00:00Z', '2026-11-20T12:00:00Z')`,
      [waiting, rejected, [tradeA.toUpperCase(), tradeB], JSON.stringify(message(waiting)), [tradeB], JSON.stringify(message(rejected))],
    );

    const applied = await scratch.migrate(ledgerMigrations);
    expect(applied).toContain('LedgerParkedInputs1798200000000');
    expect((await scratch.admin.query(`select 1 from information_schema.tables where table_schema = $1 and table_name = 'parked_settlements'`, [schema])).rows).toEqual([]);

    // As the service reads them, through the shared lot (its runtime role): keys lower case, message kept.
    const db = await scratch.connect();
    const lot = new ParkingLot({ consumer: 'ledger', dlqTopic: 'ledger.dlq.v1', outbox: new Outbox(legacy.service, schema) });
    const [moved] = await lot.find(db.manager, 'SETTLEMENT', [waiting]);
    expect(moved).toMatchObject({
      waitingFor: [tradeA, tradeB],
      reason: `waiting for trade ${tradeA}, ${tradeB}`,
      consumer: 'ledger',
      eventId: waiting,
      message: message(waiting),
      payload: { instructionId: 'I-1' },
      parkedAt: '2026-11-20T10:00:00.000Z',
      expiresAt: '2026-11-23T10:00:00.000Z',
    });
    // The one rejected when its trade arrived was already due: the first sweep dead-letters it with its reason.
    expect(await lot.expireDue(db, { now: new Date('2026-11-21T00:00:00Z') })).toBe(1);
    const { rows: letters } = await scratch.admin.query(`select error from ${schema}.dead_letters where headers->>'ce_id' = $1`, [rejected]);
    expect(letters).toEqual([{ error: expect.stringContaining('rejected when its trade arrived: settles more than remains') }]);
    expect((await new TransactionRunner(db).run((em) => lot.takeFor(em, [tradeA]))).map((p) => p.inputKey)).toEqual([waiting]);
  });
});
