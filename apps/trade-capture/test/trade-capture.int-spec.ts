import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { DataSource as TypeOrmDataSource } from 'typeorm';
import { EventTypes, Topics, toHeaders, type TradeAction, sourceFor } from '@postrade/contracts';
import { kafkaConnectionFromEnv, KafkajsEventPublisher, readTopic, type KafkaConnection, type RawMessage } from '@postrade/messaging';
import { configureApp } from '@postrade/platform';
import { eventually, freshLei } from '@postrade/testing';
import { ReportTradeHandler } from '../src/application/report-trade/report-trade.command-handler';
import { TradeCaptureModule } from '../src/trade-capture.module';

const ISIN = 'US0378331005';
const COUNTERPARTY = '5493001KJTIIGC8Y1R12';
const LEGAL_ENTITY = '529900T8BM49AURSDO55';
const OPS = { Authorization: 'Bearer dev-ops' };
const UPSTREAM = { Authorization: 'Bearer dev-upstream' };
const AUDITOR = { Authorization: 'Bearer dev-auditor' };

describe('trade-capture against real Postgres and Kafka', () => {
  let app: INestApplication;
  let db: DataSource;
  let kafka: KafkaConnection;
  let publisher: KafkajsEventPublisher;
  const book = `BOOK-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [TradeCaptureModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app);
    await app.init();
    db = app.get(TypeOrmDataSource);
    kafka = kafkaConnectionFromEnv('trade-capture-test');
    publisher = new KafkajsEventPublisher(kafka);

    const http = () => request(app.getHttpServer());
    await http()
      .put(`/api/v1/instruments/${ISIN}`)
      .set(OPS)
      .send({ description: 'Apple Inc.', currency: 'USD', assetClass: 'EQUITY', priceType: 'UNIT', settlementMarket: 'US', csdrCategory: 'LIQUID_SHARE' })
      .expect(200);
    await http().put(`/api/v1/counterparties/${COUNTERPARTY}`).set(OPS).send({ name: 'Broker A', aliases: ['BRK A'], country: 'US', bic: 'GSCMUS33XXX' }).expect(200);
    await http().put(`/api/v1/legal-entities/${LEGAL_ENTITY}`).set(OPS).send({ name: 'Our Fund', bic: 'DEUTDEFF' }).expect(200);
    await http()
      .put(`/api/v1/ssis/${COUNTERPARTY}/US/USD`)
      .set(OPS)
      .send({ agentBic: 'CHASUS33', safekeepingAccount: 'SK-1', cashAccount: 'C-1', placeOfSettlement: 'DTCYUS33' })
      .expect(200);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await app?.close();
  });

  const http = () => request(app.getHttpServer());

  function submission(overrides: Record<string, unknown> = {}) {
    return {
      sourceSystem: 'OMS1',
      sourceTradeId: `T-${randomUUID()}`,
      tradeDate: '2026-11-20',
      executionTime: '2026-11-20T14:30:05.123Z',
      side: 'BUY',
      isin: ISIN,
      quantity: '1000',
      price: '189.25',
      currency: 'USD',
      counterpartyLei: COUNTERPARTY,
      legalEntityLei: LEGAL_ENTITY,
      book,
      commission: '10.00',
      fees: '1.20',
      ...overrides,
    };
  }

  async function report(action: TradeAction, version: number, body: Record<string, unknown>, type: string = EventTypes.tradeReported): Promise<string> {
    const id = randomUUID();
    const data = { action, version, ...body };
    const headers = toHeaders({ id, source: sourceFor(Topics.tradesInbound, 'OMS1'), type, time: new Date().toISOString(), subject: String(body.sourceTradeId), data });
    await publisher.send([{ topic: Topics.tradesInbound, key: String(body.sourceTradeId), value: JSON.stringify(data), headers }]);
    return id;
  }

  async function tradeBySource(sourceTradeId: string): Promise<{ trade_id: string; version: number; status: string } | undefined> {
    const rows = await db.query('select trade_id, version, status from trades where source_system = $1 and source_trade_id = $2', ['OMS1', sourceTradeId]);
    return rows[0];
  }

  async function outboxTypes(tradeId: string): Promise<string[]> {
    const rows: { event_type: string }[] = await db.query('select event_type from outbox where message_key = $1 order by position', [tradeId]);
    return rows.map((r) => r.event_type);
  }

  async function processed(eventIds: string[]): Promise<number> {
    const rows = await db.query(`select count(*)::int as n from inbox where consumer = 'trade-capture' and event_id = any($1::uuid[])`, [eventIds]);
    return rows[0].n;
  }

  const onTopic = (topic: string, match: (m: RawMessage) => boolean) => readTopic(kafka, topic, (seen) => seen.some(match), 60_000);

  describe('access', () => {
    it('answers 401 without a key and 403 to the wrong role', async () => {
      await http().get('/api/v1/instruments').expect(401);
      await http().post('/api/v1/trades').set(AUDITOR).send(submission()).expect(403);
      await http().put(`/api/v1/legal-entities/${LEGAL_ENTITY}`).set(UPSTREAM).send({ name: 'x', bic: 'DEUTDEFF' }).expect(403);
    });
  });

  describe('reference data', () => {
    it('rejects a bad ISIN check digit with a 400 naming isin', async () => {
      const res = await http()
        .put('/api/v1/instruments/US0378331006')
        .set(OPS)
        .send({ description: 'x', currency: 'USD', assetClass: 'EQUITY', priceType: 'UNIT', settlementMarket: 'US', csdrCategory: 'OTHER' })
        .expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'isin' })]);
    });

    it('serves what was put to any role and publishes the change on the reference-data topic', async () => {
      const lei = '7LTWFZYICNSX8D621K86';
      const name = `Broker ${randomUUID()}`;
      await http().put(`/api/v1/counterparties/${lei}`).set(OPS).send({ name, aliases: [], country: 'GB', bic: 'GSCMUS33XXX' }).expect(200);
      const got = await http().get(`/api/v1/counterparties/${lei}`).set(UPSTREAM).expect(200);
      expect(got.body).toEqual({ lei, name, aliases: [], country: 'GB', bic: 'GSCMUS33XXX' });
      const list = await http().get('/api/v1/counterparties?limit=500').set(AUDITOR).expect(200);
      expect(list.body.items).toContainEqual(got.body);
      const seen = await onTopic(Topics.tradeCaptureReferenceData, (m) => m.key === lei && m.value.includes(name));
      const message = seen.find((m) => m.value.includes(name))!;
      expect(message.headers.ce_type).toBe(EventTypes.counterpartyUpserted);
    });
  });

  describe('calendars', () => {
    it('gives the intended settlement date and the business days of a market', async () => {
      const isd = await http().get('/api/v1/calendars/US/settlement-date?tradeDate=2025-10-10').set(UPSTREAM).expect(200);
      expect(isd.body).toEqual({ tradeDate: '2025-10-10', settlementMarket: 'US', cycle: 'T+1', settlementDate: '2025-10-14' });
      const days = await http().get('/api/v1/calendars/EU/business-days?from=2025-04-17&to=2025-04-23').set(AUDITOR).expect(200);
      expect(days.body).toEqual({ days: ['2025-04-17', '2025-04-22', '2025-04-23'] });
      await http().get('/api/v1/calendars/XX/settlement-date?tradeDate=2025-10-10').set(OPS).expect(400);
    });
  });

  describe('trades over REST', () => {
    it('captures a trade while its SSI is being stored with that SSI: the capture waits for the store and reads after it commits', async () => {
      const lei = freshLei();
      await http().put(`/api/v1/counterparties/${lei}`).set(OPS).send({ name: 'Broker Late SSI', aliases: [], country: 'US', bic: 'GSCMUS33XXX' }).expect(200);
      // The store's transaction as upsert-reference-data runs it: the SSI key's exclusive lock, then the row.
      const store = db.createQueryRunner();
      await store.connect();
      await store.startTransaction();
      try {
        await store.query(`select pg_advisory_xact_lock(hashtext('ssi'), hashtext($1))`, [`${lei}/US/USD`]);
        await store.query(
          `insert into ssis (lei, settlement_market, currency, agent_bic, safekeeping_account, cash_account, place_of_settlement)
           values ($1, 'US', 'USD', 'BKTRUS33', 'SK-LATE', 'C-LATE', 'DTCYUS33')`,
          [lei],
        );
        const capture = http().post('/api/v1/trades').set(UPSTREAM).send(submission({ counterpartyLei: lei })).then((res) => res);
        await eventually(
          () => db.query(`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`),
          (rows: { n: number }[]) => rows[0].n > 0,
          10_000,
          'the capture waiting on the SSI lock',
        );
        await store.commitTransaction();
        const res = await capture;
        expect(res.status).toBe(201);
        expect(res.body.ssis.theirs).toMatchObject({ agentBic: 'BKTRUS33', safekeepingAccount: 'SK-LATE' });
      } finally {
        if (store.isTransactionActive) await store.rollbackTransaction();
        await store.release();
      }
    });

    it('captures a trade, stores it and publishes postrade.trade.captured.v1 with CloudEvents headers', async () => {
      const body = submission();
      const res = await http().post('/api/v1/trades').set(UPSTREAM).send(body).expect(201);
      expect(res.body).toMatchObject({
        version: 1,
        status: 'CAPTURED',
        grossAmount: '189250.00',
        netAmount: '189261.20',
        settlementDate: '2026-11-23',
        settlementCycle: 'T+1',
        counterparty: { lei: COUNTERPARTY, name: 'Broker A', bic: 'GSCMUS33XXX', country: 'US' },
        ssis: { ours: null, theirs: expect.objectContaining({ agentBic: 'CHASUS33' }) },
      });
      const tradeId: string = res.body.tradeId;
      expect(await tradeBySource(body.sourceTradeId)).toMatchObject({ trade_id: tradeId, version: 1, status: 'CAPTURED' });

      const seen = await onTopic(Topics.tradeCaptureTrades, (m) => m.key === tradeId);
      const event = seen.find((m) => m.key === tradeId)!;
      expect(event.headers).toMatchObject({ ce_specversion: '1.0', ce_type: EventTypes.tradeCaptured, ce_source: 'trade-capture', ce_subject: tradeId });
      expect(event.headers.ce_id).toEqual(expect.any(String));
      expect(JSON.parse(event.value)).toEqual(res.body);

      await http().get(`/api/v1/trades/${tradeId}`).set(AUDITOR).expect(200, res.body);
      const list = await http().get(`/api/v1/trades?book=${book}&counterpartyLei=${COUNTERPARTY}&limit=500`).set(OPS).expect(200);
      expect(list.body.items.map((t: { tradeId: string }) => t.tradeId)).toContain(tradeId);
    });

    it('answers an identical replay with 200 and the same trade, and a changed one with 409', async () => {
      const body = submission();
      const first = await http().post('/api/v1/trades').set(UPSTREAM).send(body).expect(201);
      const replay = await http().post('/api/v1/trades').set(UPSTREAM).send(body).expect(200);
      expect(replay.body).toEqual(first.body);
      await http().post('/api/v1/trades').set(UPSTREAM).send({ ...body, price: '190' }).expect(409);
      expect(await outboxTypes(first.body.tradeId)).toEqual([EventTypes.tradeCaptured]);
    });

    it('replays the first response for the same Idempotency-Key and body, and answers 422 to another body', async () => {
      const key = randomUUID();
      const body = submission();
      const first = await http().post('/api/v1/trades').set(UPSTREAM).set('Idempotency-Key', key).send(body).expect(201);
      const again = await http().post('/api/v1/trades').set(UPSTREAM).set('Idempotency-Key', key).send(body).expect(201);
      expect(again.body).toEqual(first.body);
      await http().post('/api/v1/trades').set(UPSTREAM).set('Idempotency-Key', key).send(submission()).expect(422);
    });

    it('rejects invalid input with a 400 naming each bad field', async () => {
      const unknownField = await http().post('/api/v1/trades').set(UPSTREAM).send(submission({ trader: 'bob' })).expect(400);
      expect(unknownField.body.errors).toEqual([expect.objectContaining({ field: 'trader' })]);
      const res = await http()
        .post('/api/v1/trades')
        .set(UPSTREAM)
        .send(submission({ quantity: '0', isin: 'DE0007164600', counterpartyLei: '5493001KJTIIGC8Y1R13', settlementDate: '2025-10-13', tradeDate: '2025-10-10' }))
        .expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['counterpartyLei', 'isin', 'quantity']);
      const holiday = await http().post('/api/v1/trades').set(UPSTREAM).send(submission({ settlementDate: '2025-10-13', tradeDate: '2025-10-10' })).expect(400);
      expect(holiday.body.errors).toEqual([expect.objectContaining({ field: 'settlementDate' })]);
    });

    it('amends and cancels a trade, publishing amended (with previous) and cancelled, and keeps every version', async () => {
      const body = submission();
      const captured = await http().post('/api/v1/trades').set(UPSTREAM).send(body).expect(201);
      const tradeId: string = captured.body.tradeId;
      const amended = await http().put(`/api/v1/trades/${tradeId}`).set(OPS).send({ ...body, quantity: '2000', version: 2 }).expect(200);
      expect(amended.body).toMatchObject({ tradeId, version: 2, status: 'AMENDED', grossAmount: '378500.00', createdAt: captured.body.createdAt });
      await http().put(`/api/v1/trades/${tradeId}`).set(OPS).send({ ...body, quantity: '3000', version: 2 }).expect(409);
      const cancelled = await http().post(`/api/v1/trades/${tradeId}/cancel`).set(UPSTREAM).send({ reason: 'booked in error' }).expect(200);
      expect(cancelled.body).toMatchObject({ tradeId, version: 3, status: 'CANCELLED', quantity: '2000', cancelReason: 'booked in error' });
      await http().put(`/api/v1/trades/${tradeId}`).set(OPS).send({ ...body, version: 4 }).expect(409);

      const versions = await http().get(`/api/v1/trades/${tradeId}/versions`).set(AUDITOR).expect(200);
      expect(versions.body.items.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
        [1, 'CAPTURED'],
        [2, 'AMENDED'],
        [3, 'CANCELLED'],
      ]);
      expect(await outboxTypes(tradeId)).toEqual([EventTypes.tradeCaptured, EventTypes.tradeAmended, EventTypes.tradeCancelled]);
      const seen = await onTopic(Topics.tradeCaptureTrades, (m) => m.key === tradeId && m.headers.ce_type === EventTypes.tradeCancelled);
      const amendedEvent = seen.find((m) => m.key === tradeId && m.headers.ce_type === EventTypes.tradeAmended)!;
      expect(JSON.parse(amendedEvent.value)).toMatchObject({ version: 2, quantity: '2000', previous: { version: 1, quantity: '1000' } });
      const cancelledEvent = seen.find((m) => m.key === tradeId && m.headers.ce_type === EventTypes.tradeCancelled)!;
      expect(JSON.parse(cancelledEvent.value)).toMatchObject({ status: 'CANCELLED', cancelReason: 'booked in error' });
    });

    it('answers 404 to an amendment or cancellation of an unknown trade', async () => {
      await http().put(`/api/v1/trades/${randomUUID()}`).set(OPS).send({ ...submission(), version: 2 }).expect(404);
      await http().post(`/api/v1/trades/${randomUUID()}/cancel`).set(OPS).send({ reason: 'x' }).expect(404);
    });
  });

  describe('trades from trades.inbound.v1', () => {
    it('captures a reported trade once however often it is delivered, and matches its REST twin', async () => {
      const body = submission();
      const ids = [await report('NEW', 1, body), await report('NEW', 1, body)];
      await eventually(() => processed(ids), (n) => n === 2, 60_000, 'both deliveries processed');
      const trade = (await tradeBySource(body.sourceTradeId))!;
      expect(trade).toMatchObject({ version: 1, status: 'CAPTURED' });
      expect(await outboxTypes(trade.trade_id)).toEqual([EventTypes.tradeCaptured]);

      const rest = await http().post('/api/v1/trades').set(UPSTREAM).send(body).expect(200);
      expect(rest.body.tradeId).toBe(trade.trade_id);
      const seen = await onTopic(Topics.tradeCaptureTrades, (m) => m.key === trade.trade_id);
      expect(seen.find((m) => m.key === trade.trade_id)!.headers.ce_causationid).toBe(ids[0]);
    });

    it('amends and cancels from the topic', async () => {
      const body = submission();
      await report('NEW', 1, body);
      const trade = await eventually(() => tradeBySource(body.sourceTradeId), (t) => t !== undefined, 60_000, 'NEW applied');
      await report('AMEND', 2, { ...body, price: '200' });
      await report('CANCEL', 3, { sourceSystem: 'OMS1', sourceTradeId: body.sourceTradeId, reason: 'wrong account' });
      await eventually(() => tradeBySource(body.sourceTradeId), (t) => t?.status === 'CANCELLED', 60_000, 'CANCEL applied');
      expect(await outboxTypes(trade!.trade_id)).toEqual([EventTypes.tradeCaptured, EventTypes.tradeAmended, EventTypes.tradeCancelled]);
    });

    it('parks an AMEND that arrives before its NEW and applies it when the NEW arrives', async () => {
      const body = submission();
      const amendId = await report('AMEND', 2, { ...body, quantity: '1500' });
      await eventually(() => processed([amendId]), (n) => n === 1, 60_000, 'AMEND processed');
      expect(await tradeBySource(body.sourceTradeId)).toBeUndefined();
      const parked = await db.query(`select kind, input_key, waiting_for, payload->>'version' as version from parked_inputs where waiting_for = array[$1]`, [`OMS1/${body.sourceTradeId}`]);
      expect(parked).toEqual([{ kind: 'AMEND', input_key: `OMS1/${body.sourceTradeId}/2`, waiting_for: [`OMS1/${body.sourceTradeId}`], version: '2' }]);

      await report('NEW', 1, body);
      const trade = await eventually(() => tradeBySource(body.sourceTradeId), (t) => t?.version === 2, 60_000, 'parked AMEND applied');
      expect(trade).toMatchObject({ status: 'AMENDED' });
      expect(await outboxTypes(trade!.trade_id)).toEqual([EventTypes.tradeCaptured, EventTypes.tradeAmended]);
      expect(await db.query(`select 1 from parked_inputs where waiting_for = array[$1]`, [`OMS1/${body.sourceTradeId}`])).toEqual([]);
    });

    it('sends a value that is not JSON to trade-capture.dlq.v1, and acknowledges a rule-breaking report REJECTED without capturing it', async () => {
      const notJson = `T-${randomUUID()}`;
      const headers = toHeaders({ id: randomUUID(), source: sourceFor(Topics.tradesInbound, 'OMS1'), type: EventTypes.tradeReported, time: new Date().toISOString(), subject: notJson, data: {} });
      await publisher.send([{ topic: Topics.tradesInbound, key: notJson, value: '{not json', headers }]);
      const unknownInstrument = submission({ isin: 'DE0007164600' });
      const id = await report('NEW', 1, unknownInstrument);
      const dead = await readTopic(
        kafka,
        Topics.tradeCaptureDlq,
        (all) => all.some((m) => m.key === notJson) && all.some((m) => m.headers.ce_id === id),
        60_000,
      );
      expect(dead.find((m) => m.headers.ce_id === id)!.headers.dlq_error).toMatch(/isin: instrument DE0007164600 is not known/);
      expect(dead.find((m) => m.key === notJson)!.headers).toMatchObject({ ce_type: EventTypes.tradeReported, dlq_original_topic: Topics.tradesInbound });
      const acks = await readTopic(kafka, Topics.tradeCaptureAcks, (all) => all.some((m) => m.headers.ce_causationid === id), 60_000);
      expect(JSON.parse(acks.find((m) => m.headers.ce_causationid === id)!.value)).toMatchObject({
        outcome: 'REJECTED',
        errors: [expect.objectContaining({ field: 'isin' })],
      });
      expect(await tradeBySource(unknownInstrument.sourceTradeId)).toBeUndefined();
    });
  });
  describe('a batch of reports from the topic', () => {
    /** What the consumer hands the use case: a message as consumed (its raw form only matters when dead-lettered). */
    function consumed(data: Record<string, unknown>) {
      const id = randomUUID();
      const raw = { topic: Topics.tradesInbound, partition: 0, offset: '0', key: null, value: JSON.stringify(data), headers: {} };
      return { id, raw, correlationId: id, data };
    }
    const reportOf = (action: TradeAction, version: number, body: Record<string, unknown>) => ({ action, version, ...body });
    async function acksOf(ids: string[]): Promise<Record<string, string[]>> {
      const rows: { payload: string }[] = await db.query(`select payload from outbox where topic = $1 order by position`, [Topics.tradeCaptureAcks]);
      const acks: Record<string, string[]> = {};
      for (const { payload } of rows) {
        const ack = JSON.parse(payload) as { messageId: string; outcome: string };
        if (ids.includes(ack.messageId)) (acks[ack.messageId] ??= []).push(ack.outcome);
      }
      return acks;
    }

    it('captures fresh NEWs in a number of statements that does not grow with them', async () => {
      const reports = app.get(ReportTradeHandler);
      const statementsFor = (n: number) =>
        db.transaction(async (em) => {
          const query = jest.spyOn(em, 'query');
          await reports.executeAll(
            Array.from({ length: n }, () => consumed(reportOf('NEW', 1, submission()))),
            em,
          );
          return query.mock.calls.length;
        });
      const [five, fifty] = [await statementsFor(5), await statementsFor(50)];
      expect(fifty).toBe(five);
      expect(five).toBeLessThanOrEqual(12);
    });

    it('ends every message as one by one would, the NEWs captured together and every trade\'s own messages in their order', async () => {
      const reports = app.get(ReportTradeHandler);
      const [a, b, c, d, f, g] = [1, 2, 3, 4, 5, 6].map(() => submission());
      const early = consumed(reportOf('AMEND', 2, { ...g, quantity: '7' })); // parked before the batch
      await db.transaction((em) => reports.executeAll([early], em));

      const batch = {
        newA: consumed(reportOf('NEW', 1, a)),
        newB: consumed(reportOf('NEW', 1, b)),
        amendCBeforeItsNew: consumed(reportOf('AMEND', 2, { ...c, quantity: '3' })),
        newC: consumed(reportOf('NEW', 1, c)),
        unknownInstrument: consumed(reportOf('NEW', 1, { ...d, isin: 'US5949181045' })),
        invalid: consumed({ action: 'NEW', version: 1, sourceSystem: 'OMS1' }),
        newAAgain: consumed(reportOf('NEW', 1, a)),
        amendB: consumed(reportOf('AMEND', 2, { ...b, quantity: '2000' })),
        newFAtVersion2: consumed(reportOf('NEW', 2, f)),
        newG: consumed(reportOf('NEW', 1, g)),
      };
      await db.transaction((em) => reports.executeAll(Object.values(batch), em));

      const acks = await acksOf([early.id, ...Object.values(batch).map((m) => m.id)]);
      const outcome = (name: keyof typeof batch) => acks[batch[name].id];
      expect({
        newA: outcome('newA'),
        newB: outcome('newB'),
        amendCBeforeItsNew: outcome('amendCBeforeItsNew'),
        newC: outcome('newC'),
        unknownInstrument: outcome('unknownInstrument'),
        invalid: outcome('invalid'),
        newAAgain: outcome('newAAgain'),
        amendB: outcome('amendB'),
        newFAtVersion2: outcome('newFAtVersion2'),
        newG: outcome('newG'),
        early: acks[early.id],
      }).toEqual({
        newA: ['ACCEPTED'],
        newB: ['ACCEPTED'],
        amendCBeforeItsNew: ['PARKED', 'ACCEPTED'],
        newC: ['ACCEPTED'],
        unknownInstrument: ['REJECTED'],
        invalid: ['REJECTED'],
        newAAgain: ['REPLAYED'],
        amendB: ['ACCEPTED'],
        newFAtVersion2: ['REJECTED'],
        newG: ['ACCEPTED'],
        early: ['PARKED', 'ACCEPTED'],
      });
      const state = async (body: Record<string, unknown>) => {
        const rows: { version: number; status: string; quantity: string }[] = await db.query(
          'select version, status, quantity::numeric::text as quantity from trades where source_system = $1 and source_trade_id = $2',
          [body.sourceSystem, body.sourceTradeId],
        );
        return rows[0];
      };
      expect(await state(a)).toEqual({ version: 1, status: 'CAPTURED', quantity: '1000' });
      expect(await state(b)).toEqual({ version: 2, status: 'AMENDED', quantity: '2000' });
      expect(await state(c)).toEqual({ version: 2, status: 'AMENDED', quantity: '3' });
      expect(await state(g)).toEqual({ version: 2, status: 'AMENDED', quantity: '7' });
      expect(await state(d)).toBeUndefined();
      expect(await state(f)).toBeUndefined();
      // A rejected message is dead-lettered with its reason; each captured version is in the history once.
      const dead: { n: number }[] = await db.query(`select count(*)::int as n from outbox where topic = $1 and payload like $2`, [Topics.tradeCaptureDlq, `%${d.sourceTradeId}%`]);
      expect(dead[0].n).toBe(1);
      const versions: { source_trade_id: string; n: number }[] = await db.query(
        `select t.source_trade_id, count(*)::int as n from trade_versions v join trades t using (trade_id) where t.source_trade_id = any($1) group by 1`,
        [[a, b, c, g].map((x) => x.sourceTradeId)],
      );
      expect(Object.fromEntries(versions.map((v) => [v.source_trade_id, v.n]))).toEqual({ [a.sourceTradeId]: 1, [b.sourceTradeId]: 2, [c.sourceTradeId]: 2, [g.sourceTradeId]: 2 });
    });
  });
});
