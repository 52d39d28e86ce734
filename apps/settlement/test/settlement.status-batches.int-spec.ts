import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource, type EntityManager } from 'typeorm';
import {
  dlqTopicFor,
  EventTypes,
  toHeaders,
  Topics,
  type ComplianceDecisionResource,
  type MatchResource,
  type SettlementStatusReported,
  type TradeResource,
  sourceFor,
} from '@postrade/contracts';
import { MessageProcessor, Outbox, type ConsumedEvent, type EventHandler, type RawMessage } from '@postrade/messaging';
import { ApplyStatusUpdateHandler } from '../src/application/apply-status-update/apply-status-update.command-handler';
import type { StatusUpdate } from '../src/domain/instruction-status';
import { ComplianceDecisionHandler, MatchResultHandler, StatusReportedHandler, TradeEventHandler } from '../src/messaging/settlement-input.handlers';
import { SettlementModule } from '../src/settlement.module';

const OUR_LEI = '529900T8BM49AURSDO55';
type Row = Record<string, any>;

const SSI = { settlementMarket: 'EU', currency: 'EUR', agentBic: 'DEUTDEFFXXX', safekeepingAccount: 'SK', cashAccount: 'C', placeOfSettlement: 'DAKVDEFFXXX' };

/**
 * The custodian's status consumer applies a partition's run of updates at once
 * (`StatusReportedHandler.handleBatch`): the same effects as one update at a time, its instructions
 * locked in one order whatever the order of the updates, and an update that breaks a rule still
 * dead-lettered alone.
 */
describe('settlement status updates: a batch at once', () => {
  let app: INestApplication;
  let db: DataSource;
  let statusUpdates: ApplyStatusUpdateHandler;
  let reportedHandler: StatusReportedHandler;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [SettlementModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
    db = app.get(DataSource);
    statusUpdates = app.get(ApplyStatusUpdateHandler);
    reportedHandler = app.get(StatusReportedHandler);
  });

  afterAll(async () => {
    await app?.close();
  });

  const counterpartyLei = () => `STAT${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}00`;

  function trade(tradeId: string, cp: string): TradeResource {
    return {
      tradeId, sourceSystem: 'OMS1', sourceTradeId: tradeId, version: 1, status: 'CAPTURED', tradeDate: '2026-11-24', executionTime: null,
      side: 'BUY', isin: 'DE0007164600', quantity: '1000', price: '100', currency: 'EUR', grossAmount: '100000.00', accruedInterest: '0.00', accruedDays: 0,
      commission: '0', fees: '0', netAmount: '100000.00', settlementDate: '2026-12-02', settlementCycle: 'T+2', settlementMarket: 'EU', settlementType: 'DVP',
      book: 'EQ1', instrument: { description: 'SAP SE', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
      counterparty: { lei: cp, name: 'Status Broker', bic: 'CHASDEFXXXX', country: 'DE' }, legalEntity: { lei: OUR_LEI, name: 'Our Fund', bic: 'DEUTDEFFXXX' },
      ssis: { ours: { ...SSI, lei: OUR_LEI }, theirs: { ...SSI, lei: cp } }, exceptions: [], cancelReason: null,
      createdAt: '2026-11-24T10:00:00.000Z', updatedAt: '2026-11-24T10:00:00.000Z',
    } as unknown as TradeResource;
  }

  let offset = 0;
  function consumed<T>(topic: string, type: string, key: string, data: T): ConsumedEvent<T> {
    const id = randomUUID();
    return {
      envelope: { id, source: 'status-batches-test', type, time: new Date().toISOString(), subject: key, correlationId: id, data },
      message: { topic, partition: 0, offset: String(offset++), key, headers: {}, value: JSON.stringify(data) },
    };
  }
  const reported = (instructionId: string, update: StatusUpdate) =>
    consumed<SettlementStatusReported>(Topics.settlementStatusInbound, EventTypes.settlementStatusReported, instructionId, { instructionId, ...update } as SettlementStatusReported);

  /** As the consumer applies a run of one partition's events: the whole run at once when the handler can. */
  async function applyRun<T>(handler: EventHandler<T>, events: ConsumedEvent<T>[], em: EntityManager): Promise<void> {
    if (handler.handleBatch && events.length > 1) await handler.handleBatch(events, em);
    else for (const event of events) await handler.handle(event, em);
  }

  /** `count` trades of one counterparty through the gate (captured, affirmed, cleared): their instructions, in trade order. */
  async function instructed(count: number): Promise<{ tradeIds: string[]; instructionIds: string[] }> {
    const cp = counterpartyLei();
    const tradeIds = Array.from({ length: count }, () => randomUUID());
    await db.transaction(async (em) => {
      await applyRun(app.get(TradeEventHandler), tradeIds.map((id) => consumed(Topics.tradeCaptureTrades, EventTypes.tradeCaptured, id, trade(id, cp))), em);
      await applyRun(
        app.get(MatchResultHandler),
        tradeIds.map((tradeId) =>
          consumed<MatchResource>(Topics.matchingResults, EventTypes.matchAffirmed, tradeId, {
            tradeId, confirmationId: `C-${tradeId}`, senderLei: null, status: 'AFFIRMED', breaks: [], profile: 'default', updatedAt: new Date().toISOString(),
          } as unknown as MatchResource),
        ),
        em,
      );
      await applyRun(app.get(ComplianceDecisionHandler), tradeIds.map((tradeId) => decided(tradeId, 'CLEARED')), em);
    });
    const rows: { trade_id: string; instruction_id: string; processing_status: string }[] = await db.query(
      `select t.trade_id, t.instruction_id, i.processing_status from settlement_trades t join instructions i on i.instruction_id = t.instruction_id
        where t.trade_id = any($1::uuid[])`,
      [tradeIds],
    );
    const byTrade = new Map(rows.map((r) => [r.trade_id, r]));
    expect(tradeIds.filter((id) => byTrade.get(id)?.processing_status !== 'INSTRUCTED')).toEqual([]);
    return { tradeIds, instructionIds: tradeIds.map((id) => byTrade.get(id)!.instruction_id) };
  }

  const decided = (tradeId: string, outcome: 'CLEARED' | 'HELD') =>
    consumed<ComplianceDecisionResource>(Topics.complianceDecisions, `postrade.compliance.${outcome.toLowerCase()}.v1`, tradeId, {
      tradeId, tradeVersion: 1, outcome, alerts: [],
    } as unknown as ComplianceDecisionResource);

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

  /** Every statement `em` runs while `work` does, counted. */
  async function counted(em: EntityManager, work: () => Promise<void>): Promise<number> {
    const query = em.query.bind(em);
    let statements = 0;
    em.query = ((sql: string, parameters?: unknown[]) => {
      statements++;
      return query(sql, parameters);
    }) as EntityManager['query'];
    try {
      await work();
    } finally {
      em.query = query;
    }
    return statements;
  }

  /** A custodian's day for instruction number k: matched, partials, fails, replays (by id and by value), a rejection. */
  function script(k: number): StatusUpdate[] {
    const on = '2026-12-02';
    switch (k % 5) {
      case 0:
        return [
          { updateId: 'U1', status: 'MATCHED' },
          { updateId: 'U2', status: 'PARTIALLY_SETTLED', settledQuantity: '400', settledAmount: '40000.00', effectiveDate: on },
          { updateId: 'U3', status: 'PARTIALLY_SETTLED', settledQuantity: '100', settledAmount: '10000.00', effectiveDate: on },
          { updateId: 'U4', status: 'SETTLED', effectiveDate: '2026-12-03' },
        ];
      case 1:
        return [
          { updateId: 'U1', status: 'MATCHED' },
          { updateId: 'U2', status: 'FAILED', failingParty: 'COUNTERPARTY', reasonCode: 'CLAC' },
          { updateId: 'U3', status: 'PARTIALLY_SETTLED', settledQuantity: '250', settledAmount: '25000.00', effectiveDate: on },
          { updateId: 'U1', status: 'MATCHED' },
        ];
      case 2:
        return [
          { updateId: 'U1', status: 'PARTIALLY_SETTLED', settledQuantity: '1', settledAmount: '100.00', effectiveDate: on },
          { updateId: 'U1', status: 'PARTIALLY_SETTLED', settledQuantity: '1.0', settledAmount: '100', effectiveDate: on },
          { updateId: 'U2', status: 'FAILED', failingParty: 'US', reasonCode: 'MONY' },
          { updateId: 'U3', status: 'SETTLED', effectiveDate: '2026-12-04' },
        ];
      case 3:
        return [{ updateId: 'U1', status: 'REJECTED' }];
      default:
        return [
          { updateId: 'U1', status: 'FAILED', failingParty: 'COUNTERPARTY', reasonCode: 'CLAC' },
          { updateId: 'U2', status: 'FAILED', failingParty: 'US', reasonCode: 'LACK' },
        ];
    }
  }

  /** The scripts of these instructions, and two updates for an instruction not known yet, interleaved round-robin. */
  function day(instructionIds: string[], unknown: string): ConsumedEvent<SettlementStatusReported>[] {
    const scripts = instructionIds.map((id, k) => ({ id, updates: script(k) }));
    scripts.splice(3, 0, {
      id: unknown,
      updates: [
        { updateId: 'P1', status: 'MATCHED' },
        { updateId: 'P2', status: 'PARTIALLY_SETTLED', settledQuantity: '5', settledAmount: '500.00', effectiveDate: '2026-12-02' },
      ],
    });
    const events: ConsumedEvent<SettlementStatusReported>[] = [];
    for (let round = 0; scripts.some((s) => s.updates.length > round); round++) {
      for (const s of scripts) if (s.updates[round]) events.push(reported(s.id, s.updates[round]));
    }
    return events;
  }

  /** What an instruction's record says, without what differs between two instructions of equal terms (ids, times). */
  async function state(instructionIds: string[], unknown: string) {
    const position = (id: string) => instructionIds.indexOf(id);
    const statuses = await db.query(
      `select instruction_id, processing_status, matching_status, settlement_status, failing, party_hold, settled_quantity::text, settled_amount::text,
              failing_party, fail_reason_code
         from instructions where instruction_id = any($1::uuid[]) order by instruction_id`,
      [instructionIds],
    );
    const history = await db.query(
      `select instruction_id, event, details from instruction_history
        where instruction_id = any($1::uuid[]) and event like 'custodian reported %' order by id`,
      [instructionIds],
    );
    const applied = await db.query(
      'select instruction_id, update_id, content_hash, status from status_updates where instruction_id = any($1::uuid[]) order by instruction_id, update_id',
      [instructionIds],
    );
    const events: { message_key: string; event_type: string; payload: string; causation_id: string | null }[] = await db.query(
      `select message_key, event_type, payload, causation_id from outbox
        where topic = $2 and event_type <> $3 and message_key = any($1::text[]) order by position`,
      [instructionIds, Topics.settlementEvents, EventTypes.settlementInstructed],
    );
    const parked = await db.query(
      `select u->>'updateId' as update_id, u->>'status' as status, u->>'settledQuantity' as settled_quantity, u->>'settledAmount' as settled_amount,
              u->>'effectiveDate' as effective_date, event_id
         from parked_inputs, lateral (select payload->'update' as u) x
        where kind = 'STATUS_UPDATE' and waiting_for = array[$1::text] order by update_id`,
      [unknown],
    );
    const byPosition = (rows: Row[]): Row[] => rows.map(({ instruction_id, ...rest }) => ({ k: position(instruction_id), ...rest })).sort((a, b) => a.k - b.k);
    return {
      statuses: byPosition(statuses),
      // Each instruction's history in its order (the instructions' entries interleave as the updates did).
      history: (history as Row[]).map(({ instruction_id, ...rest }) => ({ k: position(instruction_id), ...rest })),
      applied: byPosition(applied),
      events: events.map((e) => {
        const { instructionId: _id, reference: _ref, tradeIds: _trades, counterpartyLei: _cp, createdAt: _created, updatedAt: _updated, history: entries, ...view } =
          JSON.parse(e.payload);
        return {
          k: position(e.message_key),
          type: e.event_type,
          view,
          history: (entries as { at: string; event: string; details: object }[]).map((h) => (h.event.startsWith('custodian reported') ? { event: h.event, details: h.details } : h.event)),
          causationId: e.causation_id,
        };
      }),
      parked: (parked as Row[]).map(({ event_id, ...rest }) => ({ ...rest, hasEventId: event_id !== null })),
    };
  }

  it('applies a batch of updates for many instructions at once with the same effects and events as one at a time', async () => {
    const one = await instructed(10);
    const many = await instructed(10);
    const [oneUnknown, manyUnknown] = [randomUUID(), randomUUID()];
    const oneDay = day(one.instructionIds, oneUnknown);
    const manyDay = day(many.instructionIds, manyUnknown);

    // One at a time, each in a transaction of its own: the single-update path (REST, and Kafka before batches).
    for (const event of oneDay) {
      const { instructionId, ...update } = event.envelope.data;
      await db.transaction((em) =>
        statusUpdates.apply(em, instructionId, update as StatusUpdate, {
          origin: 'kafka',
          eventId: event.envelope.id,
          correlationId: event.envelope.correlationId,
          // As the Kafka consumer records the sender of a batched update.
          sender: { id: `kafka:${event.envelope.source}` },
        }),
      );
    }
    // The same day as one run of the consumer.
    await db.transaction((em) => reportedHandler.handleBatch(manyDay, em));

    const before = await state(one.instructionIds, oneUnknown);
    const after = await state(many.instructionIds, manyUnknown);
    expect(after.statuses).toEqual(before.statuses);
    expect(after.history).toEqual(before.history);
    expect(after.applied).toEqual(before.applied);
    expect(after.parked).toEqual(before.parked);
    // The same events in the same order, each with the instruction as its update left it (history included).
    expect(after.events.map(({ causationId: _c, ...e }) => e)).toEqual(before.events.map(({ causationId: _c, ...e }) => e));

    // What the day comes to (the scripts' arithmetic), so that "equal" is not "equally wrong".
    expect(after.statuses.map((s) => [s.settlement_status, s.settled_quantity, s.settled_amount])).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) =>
        [
          ['SETTLED', '1000', '100000.00'],
          ['FAILING', '250', '25000.00'],
          ['SETTLED', '1000', '100000.00'],
          ['PENDING', '0', '0'],
          ['FAILING', '0', '0'],
        ][k % 5],
      ),
    );
    expect(after.statuses.filter((s) => s.processing_status === 'REJECTED').map((s) => s.k)).toEqual([3, 8]);
    const eventsOf = (k: number) => after.events.filter((e) => e.k === k).map((e) => e.type);
    expect(eventsOf(0)).toEqual([EventTypes.settlementPartiallySettled, EventTypes.settlementPartiallySettled, EventTypes.settlementSettled]);
    expect(eventsOf(1)).toEqual([EventTypes.settlementFailed, EventTypes.settlementPartiallySettled]);
    expect(eventsOf(2)).toEqual([EventTypes.settlementPartiallySettled, EventTypes.settlementFailed, EventTypes.settlementSettled]);
    expect(eventsOf(3)).toEqual([]);
    expect(eventsOf(4)).toEqual([EventTypes.settlementFailed, EventTypes.settlementFailed]);
    expect(after.events.find((e) => e.k === 0 && e.type === EventTypes.settlementSettled)!.view).toMatchObject({
      settledQuantity: '1000',
      settledAmount: '100000.00',
      change: { updateId: 'U4', settledQuantity: '500', settledAmount: '50000.00', effectiveDate: '2026-12-03' },
    });
    // The first partial's event shows the instruction as that partial left it, not as the batch did.
    expect(after.events.find((e) => e.k === 0)!.view).toMatchObject({ settlementStatus: 'PARTIALLY_SETTLED', settledQuantity: '400' });
    // Each event names as its cause the event that brought its update (the first, where a replay followed).
    const causes = new Map<string, string>();
    for (const e of manyDay) {
      const key = `${e.envelope.data.instructionId} ${e.envelope.data.updateId}`;
      if (!causes.has(key)) causes.set(key, e.envelope.id);
    }
    const raised = await db.query(
      `select message_key, payload::jsonb -> 'change' ->> 'updateId' as update_id, causation_id from outbox
        where topic = $2 and event_type <> $3 and message_key = any($1::text[])`,
      [many.instructionIds, Topics.settlementEvents, EventTypes.settlementInstructed],
    );
    expect(raised.filter((r: { message_key: string; update_id: string; causation_id: string }) => causes.get(`${r.message_key} ${r.update_id}`) !== r.causation_id)).toEqual([]);
    expect(after.parked).toEqual([
      { update_id: 'P1', status: 'MATCHED', settled_quantity: null, settled_amount: null, effective_date: null, hasEventId: true },
      { update_id: 'P2', status: 'PARTIALLY_SETTLED', settled_quantity: '5', settled_amount: '500.00', effective_date: '2026-12-02', hasEventId: true },
    ]);
  });

  it('applies two batches over the same instructions in opposite orders, both at once, without deadlock', async () => {
    const { instructionIds } = await instructed(30);
    await concurrently([
      (em) => reportedHandler.handleBatch(instructionIds.map((id) => reported(id, { updateId: 'M', status: 'MATCHED' })), em),
      (em) => reportedHandler.handleBatch([...instructionIds].reverse().map((id) => reported(id, { updateId: 'F', status: 'FAILED', failingParty: 'US', reasonCode: 'LACK' })), em),
    ]);
    const rows = await db.query(
      `select i.instruction_id, i.matching_status, i.settlement_status,
              (select count(*)::int from status_updates s where s.instruction_id = i.instruction_id) as updates,
              (select count(*)::int from outbox o where o.message_key = i.instruction_id::text and o.event_type = $2) as failed_events
         from instructions i where i.instruction_id = any($1::uuid[])`,
      [instructionIds, EventTypes.settlementFailed],
    );
    expect(rows).toHaveLength(instructionIds.length);
    expect(rows.filter((r: { matching_status: string; settlement_status: string; updates: number; failed_events: number }) =>
      r.matching_status !== 'MATCHED' || r.settlement_status !== 'FAILING' || r.updates !== 2 || r.failed_events !== 1)).toEqual([]);
  });

  it('applies a status batch and a gate batch over the same instructions in opposite orders, both at once, without deadlock', async () => {
    const { tradeIds, instructionIds } = await instructed(30);
    await concurrently([
      (em) => applyRun(app.get(ComplianceDecisionHandler), tradeIds.map((id) => decided(id, 'HELD')), em),
      (em) => reportedHandler.handleBatch([...instructionIds].reverse().map((id) => reported(id, { updateId: 'M', status: 'MATCHED' })), em),
    ]);
    const rows = await db.query('select matching_status, party_hold from instructions where instruction_id = any($1::uuid[])', [instructionIds]);
    expect(rows).toHaveLength(instructionIds.length);
    expect(rows.filter((r: { matching_status: string; party_hold: boolean }) => r.matching_status !== 'MATCHED' || !r.party_hold)).toEqual([]);
  });

  it('dead-letters only the invalid update of a batch, applying the others once', async () => {
    const { instructionIds } = await instructed(5);
    const consumer = `settlement.status.test-${randomUUID()}`;
    const processor = new MessageProcessor(consumer, db, [reportedHandler], app.get(Outbox));
    const updates: [string, StatusUpdate][] = [
      [instructionIds[0], { updateId: 'K1', status: 'PARTIALLY_SETTLED', settledQuantity: '400', settledAmount: '40000.00', effectiveDate: '2026-12-02' }],
      [instructionIds[1], { updateId: 'K1', status: 'MATCHED' }],
      [instructionIds[2], { updateId: 'K1', status: 'PARTIALLY_SETTLED', settledQuantity: '1000.5', settledAmount: '1.00', effectiveDate: '2026-12-02' }],
      [instructionIds[0], { updateId: 'K2', status: 'SETTLED', effectiveDate: '2026-12-02' }],
      [instructionIds[3], { updateId: 'K1', status: 'FAILED', failingParty: 'COUNTERPARTY', reasonCode: 'CLAC' }],
      [instructionIds[2], { updateId: 'K2', status: 'MATCHED' }],
    ];
    const messages: RawMessage[] = updates.map(([instructionId, update], i) => {
      const data = { instructionId, ...update };
      const headers = toHeaders({ id: randomUUID(), source: sourceFor(Topics.settlementStatusInbound), type: EventTypes.settlementStatusReported, time: new Date().toISOString(), subject: instructionId, data });
      return { topic: Topics.settlementStatusInbound, partition: 0, offset: String(i), key: instructionId, headers, value: JSON.stringify(data) };
    });
    const batch = jest.spyOn(reportedHandler, 'handleBatch');
    try {
      const { outcomes } = await processor.processBatch(messages, { dlqTopic: dlqTopicFor('settlement') });
      expect(outcomes).toEqual(['applied', 'applied', 'dead-lettered', 'applied', 'applied', 'applied']);
      // The run was tried at once first (without a savepoint, then again under one once the batch
      // was rolled back), and the rule broken in it was not swallowed; then event by event.
      expect(batch).toHaveBeenCalledTimes(2);
      for (const attempt of batch.mock.results) await expect(attempt.value).rejects.toThrow('would settle 1000.5 but only 1000 of 1000 remains unsettled');
    } finally {
      batch.mockRestore();
    }

    const letters = await db.query('select message_key, "offset"::text, error from dead_letters where consumer = $1', [consumer]);
    expect(letters).toEqual([{ message_key: instructionIds[2], offset: '2', error: expect.stringContaining('would settle 1000.5 but only 1000 of 1000 remains unsettled') }]);
    const rows = await db.query(
      `select i.instruction_id, i.matching_status, i.settlement_status, i.settled_quantity::text,
              (select array_agg(o.event_type order by o.position) from outbox o where o.message_key = i.instruction_id::text and o.topic = $2 and o.event_type <> $3) as events
         from instructions i where i.instruction_id = any($1::uuid[]) order by i.instruction_id`,
      [instructionIds, Topics.settlementEvents, EventTypes.settlementInstructed],
    );
    const byId = new Map(rows.map((r: { instruction_id: string }) => [r.instruction_id, r]));
    expect(instructionIds.map((id) => byId.get(id))).toEqual([
      { instruction_id: instructionIds[0], matching_status: 'MATCHED', settlement_status: 'SETTLED', settled_quantity: '1000', events: [EventTypes.settlementPartiallySettled, EventTypes.settlementSettled] },
      { instruction_id: instructionIds[1], matching_status: 'MATCHED', settlement_status: 'PENDING', settled_quantity: '0', events: null },
      { instruction_id: instructionIds[2], matching_status: 'MATCHED', settlement_status: 'PENDING', settled_quantity: '0', events: null },
      { instruction_id: instructionIds[3], matching_status: 'UNMATCHED', settlement_status: 'FAILING', settled_quantity: '0', events: [EventTypes.settlementFailed] },
      { instruction_id: instructionIds[4], matching_status: 'UNMATCHED', settlement_status: 'PENDING', settled_quantity: '0', events: null },
    ]);
  });

  it('takes a few statements a batch whatever its size, where one update at a time took five or six each', async () => {
    const sizes = [1, 10, 50];
    const { instructionIds } = await instructed(2 + sizes.reduce((a, b) => a + b, 0));
    // As the platform benchmark's custodian answers: MATCHED, then SETTLED.
    const answers = (): StatusUpdate[] => [{ updateId: 'B1', status: 'MATCHED' }, { updateId: 'B2', status: 'SETTLED', effectiveDate: '2026-12-02' }];

    const [single] = instructionIds;
    const perUpdate: number[] = [];
    for (const update of answers()) {
      await db.transaction(async (em) => perUpdate.push(await counted(em, async () => void (await statusUpdates.apply(em, single, update, { origin: 'kafka' })))));
    }
    expect(perUpdate).toEqual([5, 6]);

    // A batch of one update, as the consumer's per-event fallback runs it.
    const [alone] = instructionIds.slice(1);
    const oneEvent = await db.transaction((em) => counted(em, () => reportedHandler.handle(reported(alone, answers()[1]), em)));
    expect(oneEvent).toBe(5);

    let next = 2;
    for (const size of sizes) {
      const ids = instructionIds.slice(next, (next += size));
      const events = ids.flatMap((id) => answers().map((update) => reported(id, update)));
      const statements = await db.transaction((em) => counted(em, () => reportedHandler.handleBatch(events, em)));
      // Lock and read with history, record the update ids, statuses, history, the events: one statement each.
      expect({ size, statements }).toEqual({ size, statements: 5 });
    }
    const settled = await db.query('select count(*)::int as n from instructions where instruction_id = any($1::uuid[]) and settlement_status = $2', [instructionIds, 'SETTLED']);
    expect(settled[0].n).toBe(instructionIds.length);
  });
});
