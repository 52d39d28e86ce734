import { randomUUID } from 'node:crypto';
import { Outbox, ParkingLot } from '@postrade/messaging';
import { useScratchSchema } from '@postrade/testing';
import { complianceDatabase } from '../src/persistence/compliance.database';
import { complianceMigrations } from '../src/persistence/migrations';
import { ComplianceParkedInputs1798200000000 } from '../src/persistence/migrations/compliance-parked-inputs.migration';

describe("compliance's parked settlements moving to the shared parking lot (real Postgres)", () => {
  const before = complianceMigrations.slice(0, complianceMigrations.indexOf(ComplianceParkedInputs1798200000000));
  const scratch = useScratchSchema(complianceDatabase, 'compliance_parking', before);
  const { schema, database: legacy } = scratch;

  it('moves each waiting settlement (waiting for the trades not screened yet), expiring 72h after it parked, and drops parked_settlements', async () => {
    await scratch.migrate();
    const [eventId, screened, unknown] = [randomUUID(), randomUUID(), randomUUID()];
    await scratch.admin.query(
      `insert into ${schema}.screened_trades (trade_id, version, status, trade_date, executed_at, side, isin, quantity, price, currency, gross_amount, net_amount,
         unsettled_amount, book, counterparty_lei, legal_entity_lei, updated_at)
       values ($1, 1, 'CAPTURED', '2026-11-20', '2026-11-20T10:00:00Z', 'BUY', 'US0378331005', 1, 1, 'USD', 1, 1, 1, 'EQ1', '5493001KJTIIGC8Y1R12', '5493001KJTIIGC8Y1R12', now())`,
      [screened],
    );
    await scratch.admin.query(
      `insert into ${schema}.parked_settlements (event_id, trade_ids, settled_amount, settled_in_full, parked_at) values ($1, $2::uuid[], 40000.50, false, '2026-11-20T10:00:00Z')`,
      [eventId, [screened, unknown]],
    );

    const applied = await scratch.migrate(complianceMigrations);
    expect(applied).toContain('ComplianceParkedInputs1798200000000');
    expect((await scratch.admin.query(`select 1 from information_schema.tables where table_schema = $1 and table_name = 'parked_settlements'`, [schema])).rows).toEqual([]);

    const db = await scratch.connect();
    const lot = new ParkingLot({ consumer: 'compliance.settlement', dlqTopic: 'compliance.dlq.v1', outbox: new Outbox(legacy.service, schema) });
    const [moved] = await lot.find(db.manager, 'SETTLEMENT', [eventId]);
    expect(moved).toMatchObject({
      waitingFor: [unknown],
      reason: `waiting for trade ${unknown}`,
      consumer: 'compliance.settlement',
      eventId,
      message: null,
      payload: { tradeIds: [screened, unknown], settledAmount: '40000.50', settledInFull: false },
      parkedAt: '2026-11-20T10:00:00.000Z',
      expiresAt: '2026-11-23T10:00:00.000Z',
    });
    // No longer deleted silently: past its expiry it becomes a dead letter (its payload, ce_id the event) with the reason.
    expect(await lot.expireDue(db, { now: new Date('2026-11-23T10:00:01Z') })).toBeGreaterThanOrEqual(1);
    const { rows: letters } = await scratch.admin.query(`select error, payload, partition from ${schema}.dead_letters where headers->>'ce_id' = $1`, [eventId]);
    expect(letters).toEqual([{ error: expect.stringMatching(new RegExp(`^parked SETTLEMENT expired: waiting for trade ${unknown}; waited 72h`)), payload: JSON.stringify(moved.payload), partition: -1 }]);
  });
});
