import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource, type EntityManager } from 'typeorm';
import { EventTypes, Topics, type ComplianceDecisionResource, type MatchResource, type TradeResource } from '@postrade/contracts';
import type { ConsumedEvent, EventHandler } from '@postrade/messaging';
import { ComplianceDecisionHandler, MatchResultHandler, TradeEventHandler } from '../src/messaging/settlement-input.handlers';
import { ReferenceRepository } from '../src/persistence/reference.repository';
import { SettlementModule } from '../src/settlement.module';

const OUR_LEI = '529900T8BM49AURSDO55';
const SSI = { settlementMarket: 'EU', currency: 'EUR', agentBic: 'DEUTDEFFXXX', safekeepingAccount: 'SK', cashAccount: 'C', placeOfSettlement: 'DAKVDEFFXXX' };

/**
 * The settlement consumer reads three topics whose partitions are applied concurrently, each batch
 * in one transaction that holds its locks to commit. Two batches over the same trades in opposite
 * orders must both complete (a batch takes all its locks in one fixed order: no deadlock, no lock
 * timeout), and the trades end instructed exactly once.
 */
describe('settlement gate: concurrent batches over the same trades', () => {
  let app: INestApplication;
  let db: DataSource;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [SettlementModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
    db = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
  });

  const counterpartyLei = () => `GATE${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}00`;

  function trade(tradeId: string, cp: string, overrides: Partial<TradeResource> = {}): TradeResource {
    return {
      tradeId, sourceSystem: 'OMS1', sourceTradeId: tradeId, version: 1, status: 'CAPTURED', tradeDate: '2026-11-24', executionTime: null,
      side: 'BUY', isin: 'DE0007164600', quantity: '10', price: '100', currency: 'EUR', grossAmount: '1000.00', accruedInterest: '0.00', accruedDays: 0,
      commission: '0', fees: '0', netAmount: '1000.00', settlementDate: '2026-12-02', settlementCycle: 'T+2', settlementMarket: 'EU', settlementType: 'DVP',
      book: 'EQ1', instrument: { description: 'SAP SE', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
      counterparty: { lei: cp, name: 'Gate Broker', bic: 'CHASDEFXXXX', country: 'DE' }, legalEntity: { lei: OUR_LEI, name: 'Our Fund', bic: 'DEUTDEFFXXX' },
      ssis: { ours: { ...SSI, lei: OUR_LEI }, theirs: { ...SSI, lei: cp } }, exceptions: [], cancelReason: null,
      createdAt: '2026-11-24T10:00:00.000Z', updatedAt: '2026-11-24T10:00:00.000Z',
      ...overrides,
    } as unknown as TradeResource;
  }

  let offset = 0;
  function consumed<T>(topic: string, type: string, key: string, data: T): ConsumedEvent<T> {
    const id = randomUUID();
    return {
      envelope: { id, source: 'gate-batches-test', type, time: new Date().toISOString(), subject: key, correlationId: id, data },
      message: { topic, partition: 0, offset: String(offset++), key, headers: {}, value: JSON.stringify(data) },
    };
  }
  const captured = (t: TradeResource) => consumed(Topics.tradeCaptureTrades, EventTypes.tradeCaptured, t.tradeId, t);
  const affirmed = (tradeId: string) =>
    consumed<MatchResource>(Topics.matchingResults, EventTypes.matchAffirmed, tradeId, {
      tradeId, confirmationId: `C-${tradeId}`, senderLei: null, status: 'AFFIRMED', breaks: [], profile: 'default', updatedAt: new Date().toISOString(),
    } as unknown as MatchResource);
  /** Cleared by compliance for the trade version it names. */
  const decided = (tradeId: string, tradeVersion: number) =>
    consumed<ComplianceDecisionResource>(Topics.complianceDecisions, EventTypes.complianceCleared, tradeId, {
      tradeId, tradeVersion, outcome: 'CLEARED', alerts: [],
    } as unknown as ComplianceDecisionResource);
  const cleared = (tradeId: string) => decided(tradeId, 1);

  /** As the consumer applies a run of one partition's events: the whole run at once when the handler can. */
  async function applyRun<T>(handler: EventHandler<T>, events: ConsumedEvent<T>[], em: EntityManager): Promise<void> {
    if (handler.handleBatch && events.length > 1) await handler.handleBatch(events, em);
    else for (const event of events) await handler.handle(event, em);
  }

  /**
   * Runs each batch in a transaction of its own (no retry: a deadlock or lock timeout fails the
   * test), all started together: each transaction has begun before any applies its events.
   */
  async function concurrently(batches: ((em: EntityManager) => Promise<void>)[]): Promise<void> {
    let ready = 0;
    let go!: () => void;
    const started = new Promise<void>((resolve) => (go = resolve));
    await Promise.all(
      batches.map((batch) =>
        db.transaction(async (em) => {
          await em.query('select txid_current()');
          if (++ready === batches.length) go();
          await started;
          await batch(em);
        }),
      ),
    );
  }

  const instructionsOf = async (tradeIds: string[]) =>
    (await db.query(
      `select t.trade_id, t.instruction_id, i.processing_status, i.netted,
              (select count(*)::int from instruction_trades it where it.trade_id = t.trade_id) as instructions,
              (select count(*)::int from outbox o where o.message_key = t.instruction_id::text and o.event_type = $2) as instructed_events
         from settlement_trades t left join instructions i on i.instruction_id = t.instruction_id
        where t.trade_id = any($1::uuid[]) order by t.trade_id`,
      [tradeIds, EventTypes.settlementInstructed],
    )) as { trade_id: string; instruction_id: string | null; processing_status: string | null; netted: boolean | null; instructions: number; instructed_events: number }[];

  it('applies a matching batch and a compliance batch over the same trades in opposite orders, both at once, without deadlock', async () => {
    const cp = counterpartyLei();
    const tradeIds = Array.from({ length: 30 }, () => randomUUID());
    await db.transaction((em) => applyRun(app.get(TradeEventHandler), tradeIds.map((id) => captured(trade(id, cp))), em));

    await concurrently([
      (em) => applyRun(app.get(MatchResultHandler), tradeIds.map(affirmed), em),
      (em) => applyRun(app.get(ComplianceDecisionHandler), [...tradeIds].reverse().map(cleared), em),
    ]);

    const rows = await instructionsOf(tradeIds);
    expect(rows).toHaveLength(tradeIds.length);
    expect(rows.filter((r) => r.processing_status !== 'INSTRUCTED' || r.instructions !== 1 || r.instructed_events !== 1)).toEqual([]);
  });

  it('applies two batches over one netting group in opposite orders, both at once, and nets the trades into one instruction', async () => {
    const cp = counterpartyLei();
    await db.transaction((em) => app.get(ReferenceRepository).saveNettingAgreement(em, cp, true));
    const tradeIds = Array.from({ length: 12 }, () => randomUUID());
    await db.transaction((em) =>
      applyRun(app.get(TradeEventHandler), tradeIds.map((id, i) => captured(trade(id, cp, { side: i % 3 === 0 ? 'SELL' : 'BUY' } as Partial<TradeResource>))), em),
    );

    await concurrently([
      (em) => applyRun(app.get(MatchResultHandler), tradeIds.map(affirmed), em),
      (em) => applyRun(app.get(ComplianceDecisionHandler), [...tradeIds].reverse().map(cleared), em),
    ]);

    const rows = await instructionsOf(tradeIds);
    const net = rows[0].instruction_id;
    expect(net).not.toBeNull();
    expect(rows.every((r) => r.instruction_id === net && r.processing_status === 'INSTRUCTED' && r.netted === true && r.instructions === 1)).toBe(true);
    expect(rows[0].instructed_events).toBe(1);
    const [{ trade_ids: netted }] = await db.query('select array_agg(trade_id::text order by trade_id) as trade_ids from instruction_trades where instruction_id = $1', [net]);
    expect(netted).toEqual([...tradeIds].sort());
    // 8 purchases of 10 less 4 sales of 10: the instruction receives 40 and pays 4,000.00 net.
    expect(await db.query('select direction, quantity::text, settlement_amount::text, cash_direction from instructions where instruction_id = $1', [net])).toEqual([
      { direction: 'RECEIVE', quantity: '40', settlement_amount: '4000.00', cash_direction: 'PAY' },
    ]);
  });

  const version = (t: TradeResource, v: number, type: string, overrides: Record<string, unknown>) =>
    consumed(Topics.tradeCaptureTrades, type, t.tradeId, { ...t, version: v, ...overrides } as TradeResource);
  const eventsOf = async (tradeId: string) =>
    (await db.query(
      `select o.message_key as instruction_id, o.event_type from outbox o
        where o.topic = $2 and o.message_key in (select instruction_id::text from instruction_trades where trade_id = $1) order by o.position`,
      [tradeId, Topics.settlementEvents],
    )) as { instruction_id: string; event_type: string }[];

  it('plans a group once per batch: a trade captured and amended in one batch is instructed once, with the amended terms', async () => {
    const t = trade(randomUUID(), counterpartyLei());
    // Affirmed, and cleared for version 2, before the trade's own events arrive.
    await db.transaction((em) => applyRun(app.get(MatchResultHandler), [affirmed(t.tradeId)], em));
    await db.transaction((em) => applyRun(app.get(ComplianceDecisionHandler), [decided(t.tradeId, 2)], em));
    await db.transaction((em) =>
      applyRun(app.get(TradeEventHandler), [captured(t), version(t, 2, EventTypes.tradeAmended, { status: 'AMENDED', quantity: '20', netAmount: '2000.00' })], em),
    );

    const [row] = await instructionsOf([t.tradeId]);
    expect(row).toMatchObject({ processing_status: 'INSTRUCTED', instructions: 1, instructed_events: 1 });
    expect(await db.query('select quantity::text, settlement_amount::text from instructions where instruction_id = $1', [row.instruction_id])).toEqual([
      { quantity: '20', settlement_amount: '2000.00' },
    ]);
    expect((await eventsOf(t.tradeId)).map((e) => e.event_type)).toEqual([EventTypes.settlementInstructed]);
  });

  it('still cancels, and publishes the cancellation of, an instruction of an earlier batch when a batch amends then cancels its trade', async () => {
    const t = trade(randomUUID(), counterpartyLei());
    await db.transaction(async (em) => {
      await applyRun(app.get(TradeEventHandler), [captured(t)], em);
      await applyRun(app.get(MatchResultHandler), [affirmed(t.tradeId)], em);
      await applyRun(app.get(ComplianceDecisionHandler), [decided(t.tradeId, 1)], em);
    });
    const [instructed] = await instructionsOf([t.tradeId]);
    expect(instructed).toMatchObject({ processing_status: 'INSTRUCTED', instructions: 1 });

    await db.transaction((em) =>
      applyRun(
        app.get(TradeEventHandler),
        [
          version(t, 2, EventTypes.tradeAmended, { status: 'AMENDED', quantity: '20', netAmount: '2000.00' }),
          version(t, 3, EventTypes.tradeCancelled, { status: 'CANCELLED', quantity: '20', netAmount: '2000.00', cancelReason: 'booked twice' }),
        ],
        em,
      ),
    );

    const [row] = await instructionsOf([t.tradeId]);
    expect(row.instruction_id).toBeNull();
    expect(row.instructions).toBe(1);
    expect(await eventsOf(t.tradeId)).toEqual([
      { instruction_id: instructed.instruction_id, event_type: EventTypes.settlementInstructed },
      { instruction_id: instructed.instruction_id, event_type: EventTypes.settlementCancelled },
    ]);
    const [cancelled] = await db.query('select processing_status from instructions where instruction_id = $1', [instructed.instruction_id]);
    expect(cancelled.processing_status).toBe('CANCELLED');
  });
});
