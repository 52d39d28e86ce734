import { randomUUID } from 'node:crypto';
import { Outbox, ParkingLot } from '@postrade/messaging';
import { TransactionRunner } from '@postrade/persistence';
import { useScratchSchema } from '@postrade/testing';
import { settlementDatabase } from '../src/persistence/settlement.database';
import { settlementMigrations } from '../src/persistence/migrations';
import { SettlementParkedInputs1798200000000 } from '../src/persistence/migrations/settlement-parked-inputs.migration';

describe("settlement's parked status updates moving to the shared parking lot (real Postgres)", () => {
  const before = settlementMigrations.slice(0, settlementMigrations.indexOf(SettlementParkedInputs1798200000000));
  const scratch = useScratchSchema(settlementDatabase, 'settlement_parking', before);
  const { schema, database: legacy } = scratch;

  it('moves each waiting update as the handler re-applies it, dead-letters at the first sweep one already flagged expired, and drops parked_status_updates', async () => {
    await scratch.migrate();
    const [instruction, expiredOne, eventId] = [randomUUID(), randomUUID(), randomUUID()];
    await scratch.admin.query(
      `insert into ${schema}.parked_status_updates (instruction_id, update_id, status, settled_quantity, settled_amount, effective_date, failing_party, reason_code,
         event_id, parked_at, expires_at, expired) values
         ($1, 'U-2', 'PARTIALLY_SETTLED', 5, 500.00, '2026-12-02', null, null, $3, '2026-11-20T10:00:00Z', '2126-11-27T10:00:00Z', false),
         ($1, 'U-1', 'MATCHED', null, null, null, null, null, null, '2026-11-20T09:00:00Z', '2126-11-27T09:00:00Z', false),
         ($2, 'U-9', 'FAILED', null, null, null, 'COUNTERPARTY', 'CLAC', null, '2026-10-01T09:00:00Z', '2026-10-08T09:00:00Z', true)`,
      [instruction.toUpperCase(), expiredOne, eventId],
    );

    const applied = await scratch.migrate(settlementMigrations);
    expect(applied).toContain('SettlementParkedInputs1798200000000');
    expect((await scratch.admin.query(`select 1 from information_schema.tables where table_schema = $1 and table_name = 'parked_status_updates'`, [schema])).rows).toEqual([]);

    const db = await scratch.connect();
    const lot = new ParkingLot({ consumer: 'settlement.status', dlqTopic: 'settlement.dlq.v1', outbox: new Outbox(legacy.service, schema) });
    // The one flagged expired goes to the dead letters (it was deleted silently 30 days later before).
    expect(await lot.expireDue(db)).toBe(1);
    const { rows: letters } = await scratch.admin.query(`select message_key, error from ${schema}.dead_letters where message_key = $1`, [expiredOne]);
    expect(letters).toEqual([{ message_key: expiredOne, error: expect.stringMatching(new RegExp(`^parked STATUS_UPDATE expired: waiting for instruction ${expiredOne}; waited 168h`)) }]);
    // The instruction's updates come out, oldest first, as ApplyStatusUpdateHandler.releaseParked reads them.
    const taken = await new TransactionRunner(db).run((em) => lot.takeFor(em, [instruction], ['STATUS_UPDATE']));
    expect(taken.map((p) => ({ key: p.inputKey, eventId: p.eventId, payload: p.payload }))).toEqual([
      { key: `${instruction} U-1`, eventId: null, payload: { instructionId: instruction, update: { updateId: 'U-1', status: 'MATCHED' } } },
      {
        key: `${instruction} U-2`,
        eventId,
        payload: { instructionId: instruction, update: { updateId: 'U-2', status: 'PARTIALLY_SETTLED', settledQuantity: '5', settledAmount: '500.00', effectiveDate: '2026-12-02' } },
      },
    ]);
  });
});
