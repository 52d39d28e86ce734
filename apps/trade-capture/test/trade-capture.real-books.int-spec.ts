import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventTypes, Topics, toHeaders, type TradeAction, sourceFor } from '@postrade/contracts';
import { kafkaConnectionFromEnv, KafkajsEventPublisher, MessagingRuntime, ParkingLot, ParkingSweeper, readTopic, type KafkaConnection, type RawMessage } from '@postrade/messaging';
import { serviceDatabaseUrl } from '@postrade/persistence';
import { configureApp } from '@postrade/platform';
import { tradeCaptureDatabase } from '../src/persistence/trade-capture.database';
import { TradeCaptureModule } from '../src/trade-capture.module';

const GILT = 'GB00BMBL1F74';
const USD_EUROBOND = 'XS0110106365';
const APPLE = 'US0378331005';
const COUNTERPARTY = '5493001KJTIIGC8Y1R12';
const LEGAL_ENTITY = '529900T8BM49AURSDO55';
const OPS = { Authorization: 'Bearer dev-ops' };
const UPSTREAM = { Authorization: 'Bearer dev-upstream' };
const AUDITOR = { Authorization: 'Bearer dev-auditor' };
/** An upstream key bound to OMS1 only (POSTRADE_API_KEYS below). */
const OMS1_KEY = `oms1-${'k'.repeat(40)}`;
const OMS1_ONLY = { Authorization: `Bearer ${OMS1_KEY}` };

const gilt = {
  description: 'UKT 4.125% 2029', currency: 'GBP', assetClass: 'GOVT_BOND', priceType: 'PERCENT_OF_PAR', settlementMarket: 'UK', csdrCategory: 'SOVEREIGN_DEBT',
  couponRate: '4.125', couponFrequency: 2, dayCount: 'ACT_ACT_ICMA', issueDate: '2019-01-22', maturityDate: '2029-07-22', exCouponDays: 7,
};

describe('trade-capture for real books, against real Postgres and Kafka', () => {
  let app: INestApplication;
  let db: DataSource;
  let kafka: KafkaConnection;
  let publisher: KafkajsEventPublisher;
  const book = `BOOK-${randomUUID().slice(0, 8)}`;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    process.env.TRADE_CAPTURE_PARKED_EXPIRY = '2s';
    process.env.PARKED_SWEEP_INTERVAL = '200ms';
    process.env.POSTRADE_API_KEYS = `${OMS1_KEY}=upstream:OMS1`;
    const moduleRef = await Test.createTestingModule({ imports: [TradeCaptureModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app);
    await app.init();
    db = app.get(DataSource);
    kafka = kafkaConnectionFromEnv('trade-capture-real-books-test');
    publisher = new KafkajsEventPublisher(kafka);

    await http().put(`/api/v1/instruments/${GILT}`).set(OPS).send(gilt).expect(200);
    await http()
      .put(`/api/v1/instruments/${USD_EUROBOND}`)
      .set(OPS)
      .send({
        description: 'ACME 5% 2031', currency: 'USD', assetClass: 'CORP_BOND', priceType: 'PERCENT_OF_PAR', settlementMarket: 'EU', csdrCategory: 'OTHER_DEBT',
        couponRate: '5', couponFrequency: 2, dayCount: 'THIRTY_360', issueDate: '2021-03-15', maturityDate: '2031-03-15',
        minimumDenomination: '200000', denominationIncrement: '1000',
      })
      .expect(200);
    await http()
      .put(`/api/v1/instruments/${APPLE}`)
      .set(OPS)
      .send({ description: 'Apple Inc.', currency: 'USD', assetClass: 'EQUITY', priceType: 'UNIT', settlementMarket: 'US', csdrCategory: 'LIQUID_SHARE' })
      .expect(200);
    await http().put(`/api/v1/counterparties/${COUNTERPARTY}`).set(OPS).send({ name: 'Broker A', aliases: [], country: 'US', bic: 'GSCMUS33XXX' }).expect(200);
    await http().put(`/api/v1/legal-entities/${LEGAL_ENTITY}`).set(OPS).send({ name: 'Our Fund', bic: 'DEUTDEFF' }).expect(200);
  });

  afterAll(async () => {
    delete process.env.TRADE_CAPTURE_PARKED_EXPIRY;
    delete process.env.PARKED_SWEEP_INTERVAL;
    delete process.env.POSTRADE_API_KEYS;
    await publisher?.disconnect();
    await app?.close();
  });

  function submission(overrides: Record<string, unknown> = {}) {
    return {
      sourceSystem: 'OMS1', sourceTradeId: `T-${randomUUID()}`, tradeDate: '2026-11-20', executionTime: '2026-11-20T14:30:05.123Z', side: 'BUY',
      isin: APPLE, quantity: '1000', price: '189.25', currency: 'USD', counterpartyLei: COUNTERPARTY, legalEntityLei: LEGAL_ENTITY, book,
      ...overrides,
    };
  }

  async function report(action: TradeAction, version: number, body: Record<string, unknown>): Promise<string> {
    const id = randomUUID();
    const data = { action, version, ...body };
    const headers = toHeaders({ id, source: sourceFor(Topics.tradesInbound, 'OMS1'), type: EventTypes.tradeReported, time: new Date().toISOString(), subject: String(body.sourceTradeId), data });
    await publisher.send([{ topic: Topics.tradesInbound, key: String(body.sourceTradeId), value: JSON.stringify(data), headers }]);
    return id;
  }

  /** The acknowledgement of the message with this ce_id, read from trade-capture.acks.v1. */
  async function ackOf(messageId: string): Promise<Record<string, unknown>> {
    const seen = await readTopic(kafka, Topics.tradeCaptureAcks, (all) => all.some((m) => m.headers.ce_causationid === messageId), 60_000);
    const ack = seen.find((m) => m.headers.ce_causationid === messageId)!;
    expect(ack.headers.ce_type).toBe(EventTypes.tradeAcknowledged);
    return { key: ack.key, ...JSON.parse(ack.value) };
  }

  const onTopic = (topic: string, match: (m: RawMessage) => boolean) => readTopic(kafka, topic, (seen) => seen.some(match), 60_000);

  describe('bonds', () => {
    it('serves a bond with its coupon terms and refuses an instrument whose fields disagree, naming them', async () => {
      const got = await http().get(`/api/v1/instruments/${GILT}`).set(AUDITOR).expect(200);
      expect(got.body).toMatchObject({ ...gilt, isin: GILT, firstCouponDate: null, minimumDenomination: null });
      const bad = await http()
        .put(`/api/v1/instruments/${APPLE}`)
        .set(OPS)
        .send({ description: 'Apple', currency: 'USD', assetClass: 'EQUITY', priceType: 'PERCENT_OF_PAR', settlementMarket: 'US', csdrCategory: 'SOVEREIGN_DEBT' })
        .expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['csdrCategory', 'priceType']);
      const bondWithShare = await http().put(`/api/v1/instruments/${GILT}`).set(OPS).send({ ...gilt, csdrCategory: 'LIQUID_SHARE' }).expect(400);
      expect(bondWithShare.body.errors).toEqual([expect.objectContaining({ field: 'csdrCategory' })]);
    });

    it('settles a gilt traded 2026-11-19 T+1 on 2026-11-20 with its accrued interest in the net amount', async () => {
      const res = await http()
        .post('/api/v1/trades')
        .set(UPSTREAM)
        .send(submission({ isin: GILT, currency: 'GBP', quantity: '1000000', price: '98.50', tradeDate: '2026-11-19' }))
        .expect(201);
      expect(res.body).toMatchObject({
        settlementDate: '2026-11-20',
        settlementCycle: 'T+1',
        grossAmount: '985000.00',
        accruedInterest: '13563.18',
        accruedDays: 121,
        netAmount: '998563.18',
        instrument: { assetClass: 'GOVT_BOND', priceType: 'PERCENT_OF_PAR', csdrCategory: 'SOVEREIGN_DEBT', couponRate: '4.125', dayCount: 'ACT_ACT_ICMA' },
      });
    });

    it('skips US Independence Day for a USD bond on the EU market, and refuses a nominal below its minimum denomination', async () => {
      const trade = await http()
        .post('/api/v1/trades')
        .set(UPSTREAM)
        .send(submission({ isin: USD_EUROBOND, quantity: '200000', price: '100', tradeDate: '2025-07-02' }))
        .expect(201);
      expect(trade.body).toMatchObject({ settlementDate: '2025-07-07', settlementCycle: 'T+2' });
      const small = await http().post('/api/v1/trades').set(UPSTREAM).send(submission({ isin: USD_EUROBOND, quantity: '1000', price: '100', tradeDate: '2025-07-02' })).expect(400);
      expect(small.body.errors).toEqual([expect.objectContaining({ field: 'quantity' })]);
    });

    it('answers the calendar settlement date by asset class and currency', async () => {
      const gilts = await http().get('/api/v1/calendars/UK/settlement-date?tradeDate=2026-11-19&assetClass=GOVT_BOND').set(UPSTREAM).expect(200);
      expect(gilts.body).toEqual({ tradeDate: '2026-11-19', settlementMarket: 'UK', cycle: 'T+1', settlementDate: '2026-11-20' });
      const usdInEu = await http().get('/api/v1/calendars/EU/settlement-date?tradeDate=2025-07-02&assetClass=CORP_BOND&currency=USD').set(UPSTREAM).expect(200);
      expect(usdInEu.body).toMatchObject({ cycle: 'T+2', settlementDate: '2025-07-07' });
    });

    it('labels a given later settlement date with its real cycle and refuses a net amount that is not positive', async () => {
      const late = await http().post('/api/v1/trades').set(UPSTREAM).send(submission({ settlementDate: '2026-11-25' })).expect(201);
      expect(late.body.settlementCycle).toBe('T+3');
      const negative = await http().post('/api/v1/trades').set(UPSTREAM).send(submission({ side: 'SELL', quantity: '1', price: '5', commission: '5.00' })).expect(400);
      expect(negative.body.errors).toEqual([expect.objectContaining({ field: 'netAmount' })]);
    });
  });

  describe('versions and replays over REST', () => {
    it('accepts any version above the current one, answers 409 to a lower or equal one with other content, and replays by value', async () => {
      const body = submission({ executionTime: '2026-11-20T14:30:05.123Z' });
      const captured = await http().post('/api/v1/trades').set(UPSTREAM).send(body).expect(201);
      const tradeId: string = captured.body.tradeId;
      const respelled = { ...body, quantity: '1000.00', executionTime: '2026-11-20T15:30:05.123+01:00', commission: '0.00' };
      const replay = await http().post('/api/v1/trades').set(UPSTREAM).send(respelled).expect(200);
      expect(replay.body.tradeId).toBe(tradeId);

      await http().put(`/api/v1/trades/${tradeId}`).set(UPSTREAM).send({ ...body, price: '190', version: 1 }).expect(409);
      const gap = await http().put(`/api/v1/trades/${tradeId}`).set(UPSTREAM).send({ ...body, price: '190', version: 5 }).expect(200);
      expect(gap.body).toMatchObject({ version: 5, status: 'AMENDED', price: '190' });
      await http().put(`/api/v1/trades/${tradeId}`).set(UPSTREAM).send({ ...body, price: '191', version: 3 }).expect(409);
      await http().put(`/api/v1/trades/${tradeId}`).set(UPSTREAM).send({ ...body, price: '190.00', version: 5 }).expect(200);
    });
  });

  describe('acknowledgements on trade-capture.acks.v1', () => {
    it('acknowledges ACCEPTED with the trade id, REPLAYED, stale REJECTED and invalid REJECTED with the field errors', async () => {
      const body = submission();
      const accepted = await report('NEW', 1, body);
      const ackAccepted = await ackOf(accepted);
      expect(ackAccepted).toMatchObject({
        key: `OMS1:${body.sourceTradeId}`, sourceSystem: 'OMS1', sourceTradeId: body.sourceTradeId, version: 1, action: 'NEW',
        outcome: 'ACCEPTED', tradeId: expect.any(String), errors: [],
      });
      const replayed = await report('NEW', 1, { ...body, price: '189.2500' });
      expect(await ackOf(replayed)).toMatchObject({ outcome: 'REPLAYED', tradeId: ackAccepted.tradeId });
      const amended = await report('AMEND', 4, { ...body, price: '200' });
      expect(await ackOf(amended)).toMatchObject({ outcome: 'ACCEPTED', version: 4 });
      const stale = await report('AMEND', 3, { ...body, price: '201' });
      expect(await ackOf(stale)).toMatchObject({ outcome: 'REJECTED', tradeId: null, errors: [expect.objectContaining({ field: 'version' })] });
      const invalid = await report('NEW', 1, { ...submission(), quantity: 1000 });
      expect(await ackOf(invalid)).toMatchObject({ outcome: 'REJECTED', errors: [expect.objectContaining({ field: 'quantity' })] });
      const dead = await readTopic(kafka, Topics.tradeCaptureDlq, (all) => all.some((m) => m.headers.ce_id === stale), 60_000);
      expect(dead.find((m) => m.headers.ce_id === stale)!.headers.dlq_error).toMatch(/version: version 3 is stale/);
    });

    it('stores the cancel reason from the topic and carries it in the cancelled event', async () => {
      const body = submission();
      await ackOf(await report('NEW', 1, body));
      const cancel = await report('CANCEL', 2, { sourceSystem: 'OMS1', sourceTradeId: body.sourceTradeId, reason: 'wrong account' });
      const ack = await ackOf(cancel);
      const seen = await onTopic(Topics.tradeCaptureTrades, (m) => m.key === ack.tradeId && m.headers.ce_type === EventTypes.tradeCancelled);
      const event = seen.find((m) => m.key === ack.tradeId && m.headers.ce_type === EventTypes.tradeCancelled)!;
      expect(JSON.parse(event.value)).toMatchObject({ status: 'CANCELLED', version: 2, cancelReason: 'wrong account' });
    });
  });

  describe('parked actions', () => {
    it('parks an action for an unknown trade, rejects a different one for the same version at once, lists the wait, and applies the parked one when the NEW arrives', async () => {
      const body = submission();
      const amend = await report('AMEND', 2, { ...body, quantity: '1500' });
      expect(await ackOf(amend)).toMatchObject({ outcome: 'PARKED', tradeId: null });
      const cancel = await report('CANCEL', 2, { sourceSystem: 'OMS1', sourceTradeId: body.sourceTradeId, reason: 'oops' });
      expect(await ackOf(cancel)).toMatchObject({ outcome: 'REJECTED', errors: [expect.objectContaining({ message: expect.stringContaining('already parked') })] });

      const listed = await http().get('/api/v1/parked-actions?limit=500').set(AUDITOR).expect(200);
      const waiting = listed.body.items.find((p: { sourceTradeId: string }) => p.sourceTradeId === body.sourceTradeId);
      expect(waiting).toMatchObject({ version: 2, action: 'AMEND', reason: `waiting for the NEW of OMS1/${body.sourceTradeId}`, messageId: amend, ageSeconds: expect.any(Number), expiresAt: expect.any(String) });
      // The API.md route keeps its shape; the shared list shows the same wait.
      expect(Object.keys(waiting).sort()).toEqual(['action', 'ageSeconds', 'expiresAt', 'messageId', 'parkedAt', 'reason', 'sourceSystem', 'sourceTradeId', 'version']);
      const shared = await http().get('/api/v1/parked?kind=AMEND&limit=500').set(AUDITOR).expect(200);
      expect(shared.body.items.find((p: { inputKey: string }) => p.inputKey === `OMS1/${body.sourceTradeId}/2`)).toMatchObject({ waitingFor: [`OMS1/${body.sourceTradeId}`], eventId: amend });

      const created = await report('NEW', 1, body);
      expect(await ackOf(created)).toMatchObject({ outcome: 'ACCEPTED' });
      const acks = await readTopic(kafka, Topics.tradeCaptureAcks, (all) => all.filter((m) => m.headers.ce_causationid === amend).length === 2, 60_000);
      expect(acks.filter((m) => m.headers.ce_causationid === amend).map((m) => JSON.parse(m.value).outcome)).toEqual(['PARKED', 'ACCEPTED']);
    });

    it('expires a parked action after the timeout into trade-capture.dlq.v1, acknowledged REJECTED with the reason', async () => {
      const body = submission();
      const amend = await report('AMEND', 2, { ...body, quantity: '1500' });
      expect(await ackOf(amend)).toMatchObject({ outcome: 'PARKED' });
      const dead = await readTopic(kafka, Topics.tradeCaptureDlq, (all) => all.some((m) => m.key === body.sourceTradeId), 60_000);
      const message = dead.find((m) => m.key === body.sourceTradeId)!;
      expect(message.headers).toMatchObject({ ce_type: EventTypes.tradeReported, ce_id: amend, dlq_original_topic: Topics.tradesInbound });
      expect(message.headers.dlq_error).toMatch(new RegExp(`^parked AMEND expired: waiting for the NEW of OMS1/${body.sourceTradeId}; waited 2s \\(parked at .+\\) and it never arrived$`));
      expect(JSON.parse(message.value)).toMatchObject({ action: 'AMEND', version: 2, quantity: '1500' });
      const [deadLetter] = await db.query(`select error from dead_letters where headers->>'ce_id' = $1`, [amend]);
      expect(deadLetter.error).toMatch(/expired/);
      const acks = await readTopic(kafka, Topics.tradeCaptureAcks, (all) => all.filter((m) => m.headers.ce_causationid === amend).length === 2, 60_000);
      const rejected = acks.map((m) => JSON.parse(m.value)).find((a) => a.messageId === amend && a.outcome === 'REJECTED');
      expect(rejected.errors[0].message).toMatch(/expired/);
      expect(await db.query(`select 1 from parked_inputs where input_key = $1`, [`OMS1/${body.sourceTradeId}/2`])).toEqual([]);
    });
  });

  describe('SSI repair', () => {
    it('captures a trade without SSIs as exceptions, lists it by exception, and enriches it when each SSI is stored', async () => {
      const counterparty = '213800DIH9U9264UW504';
      const ours = '213800F25B5OHORTSI52';
      await http().put(`/api/v1/counterparties/${counterparty}`).set(OPS).send({ name: `Broker ${randomUUID()}`, aliases: [], country: 'GB', bic: 'BARCGB22' }).expect(200);
      await http().put(`/api/v1/legal-entities/${ours}`).set(OPS).send({ name: 'Our UK Fund', bic: 'DEUTDEFF' }).expect(200);
      await db.query('delete from ssis where lei = any($1)', [[counterparty, ours]]);
      const trade = await http()
        .post('/api/v1/trades')
        .set(UPSTREAM)
        .send(submission({ isin: GILT, currency: 'GBP', quantity: '100000', price: '99', counterpartyLei: counterparty, legalEntityLei: ours }))
        .expect(201);
      const tradeId: string = trade.body.tradeId;
      expect(trade.body).toMatchObject({ ssis: { ours: null, theirs: null }, exceptions: ['MISSING_OUR_SSI', 'MISSING_COUNTERPARTY_SSI'] });
      const missing = await http().get(`/api/v1/trades?exception=MISSING_OUR_SSI&book=${book}&limit=500`).set(OPS).expect(200);
      expect(missing.body.items.map((t: { tradeId: string }) => t.tradeId)).toContain(tradeId);

      const ourSsi = { agentBic: 'DEUTGB2L', safekeepingAccount: 'SK-UK-1', cashAccount: 'C-UK-1', placeOfSettlement: 'CRSTGB22' };
      const theirSsi = { agentBic: 'BARCGB22', safekeepingAccount: 'SK-B-1', cashAccount: 'C-B-1', placeOfSettlement: 'CRSTGB22' };
      await http().put(`/api/v1/ssis/${ours}/UK/GBP`).set(OPS).send(ourSsi).expect(200);
      await http().put(`/api/v1/ssis/${counterparty}/UK/GBP`).set(OPS).send(theirSsi).expect(200);

      const seen = await onTopic(
        Topics.tradeCaptureTrades,
        (m) => m.key === tradeId && m.headers.ce_type === EventTypes.tradeEnriched && JSON.parse(m.value).exceptions.length === 0,
      );
      const enriched = seen.filter((m) => m.key === tradeId && m.headers.ce_type === EventTypes.tradeEnriched).map((m) => JSON.parse(m.value));
      expect(enriched.at(-1)).toMatchObject({
        tradeId,
        version: 1,
        exceptions: [],
        ssis: { ours: expect.objectContaining(ourSsi), theirs: expect.objectContaining(theirSsi) },
      });
      const now = await http().get(`/api/v1/trades/${tradeId}`).set(OPS).expect(200);
      expect(now.body.exceptions).toEqual([]);
    });
  });

  describe('access', () => {
    it('lets an upstream key write and read only its own source systems, and look a trade up by its source keys', async () => {
      const other = await http().post('/api/v1/trades').set(UPSTREAM).send(submission({ sourceSystem: 'OMS2' })).expect(201);
      await http().post('/api/v1/trades').set(OMS1_ONLY).send(submission({ sourceSystem: 'OMS2' })).expect(403);
      await http().get(`/api/v1/trades/${other.body.tradeId}`).set(OMS1_ONLY).expect(404);
      await http().post(`/api/v1/trades/${other.body.tradeId}/cancel`).set(OMS1_ONLY).send({ reason: 'not mine' }).expect(404);

      const own = await http().post('/api/v1/trades').set(OMS1_ONLY).send(submission()).expect(201);
      const found = await http().get(`/api/v1/trades?sourceSystem=OMS1&sourceTradeId=${own.body.sourceTradeId}`).set(OMS1_ONLY).expect(200);
      expect(found.body.items.map((t: { tradeId: string }) => t.tradeId)).toEqual([own.body.tradeId]);
      const all = await http().get(`/api/v1/trades?book=${book}&limit=500`).set(OMS1_ONLY).expect(200);
      expect(all.body.items.every((t: { sourceSystem: string }) => t.sourceSystem === 'OMS1')).toBe(true);
    });

    it("lets a counterparty key read only its own LEI's reference data and SSIs", async () => {
      const own = { Authorization: `Bearer dev-cp-${COUNTERPARTY}` };
      await http().get(`/api/v1/counterparties/${COUNTERPARTY}`).set(own).expect(200);
      await http().get('/api/v1/counterparties/213800DIH9U9264UW504').set(own).expect(404);
      await http().get('/api/v1/ssis/213800F25B5OHORTSI52/UK/GBP').set(own).expect(404);
      await http().get(`/api/v1/legal-entities/${LEGAL_ENTITY}`).set(own).expect(404);
      const ssis = await http().get('/api/v1/ssis?limit=500').set(own).expect(200);
      expect(ssis.body.items.every((s: { lei: string }) => s.lei === COUNTERPARTY)).toBe(true);
      const counterparties = await http().get('/api/v1/counterparties?limit=500').set(own).expect(200);
      expect(counterparties.body.items.map((c: { lei: string }) => c.lei)).toEqual([COUNTERPARTY]);
    });

    it('answers 400, never 500, to a bad filter value or a forged cursor', async () => {
      const badDate = await http().get('/api/v1/trades?tradeDate=2025-02-30').set(OPS).expect(400);
      expect(badDate.body.errors).toEqual([expect.objectContaining({ field: 'tradeDate' })]);
      await http().get('/api/v1/trades?settlementDate=tomorrow').set(OPS).expect(400);
      await http().get('/api/v1/trades?exception=LATE').set(OPS).expect(400);
      const forged = Buffer.from(JSON.stringify({ createdAt: 'x', tradeId: "'; drop table trades; --" })).toString('base64url');
      const cursor = await http().get(`/api/v1/trades?cursor=${forged}`).set(OPS).expect(400);
      expect(cursor.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    });
  });

  describe('retention and least privilege', () => {
    it('pages GET /api/v1/parked-actions through actions parked in one transaction without repeating any', async () => {
      const parking = app.get(ParkingLot);
      const ids = [1, 2, 3].map(() => `T-${randomUUID()}`);
      const order = (sourceTradeId: string) => ({
        kind: 'AMEND', inputKey: `OMS1/${sourceTradeId}/2`, waitingFor: [`OMS1/${sourceTradeId}`], reason: 'waiting', expiresInMs: 3_600_000,
        payload: { sourceSystem: 'OMS1', sourceTradeId, version: 2, action: 'AMEND', reported: {}, contentHash: 'h' },
      });
      await db.transaction((em) => parking.park(em, ids.map(order)));
      const seen: string[] = [];
      for (let cursor: string | null = '', pages = 0; cursor !== null && pages < 1_000; pages++) {
        const page: request.Response = await http().get('/api/v1/parked-actions').query({ limit: 1, cursor }).set(AUDITOR).expect(200);
        seen.push(...page.body.items.map((p: { sourceSystem: string; sourceTradeId: string; version: number }) => `${p.sourceSystem}/${p.sourceTradeId}/${p.version}`));
        cursor = page.body.nextCursor;
      }
      await db.transaction((em) => parking.takeFor(em, ids.map((id) => `OMS1/${id}`)));
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((s) => ids.some((id) => s.includes(id)))).toHaveLength(3);
    });

    it('expires only the parked actions whose wait is over, each acknowledged REJECTED with the reason', async () => {
      const parking = app.get(ParkingLot);
      const [due, waiting] = [`T-${randomUUID()}`, `T-${randomUUID()}`];
      const order = (sourceTradeId: string, expiresAt: Date) => ({
        kind: 'CANCEL', inputKey: `OMS9/${sourceTradeId}/2`, waitingFor: [`OMS9/${sourceTradeId}`], reason: `waiting for the NEW of OMS9/${sourceTradeId}`, expiresAt,
        eventId: randomUUID(), payload: { sourceSystem: 'OMS9', sourceTradeId, version: 2, action: 'CANCEL', reported: { reason: 'x' }, contentHash: 'h' },
      });
      await db.transaction((em) => parking.park(em, [order(due, new Date(Date.now() - 1000)), order(waiting, new Date(Date.now() + 3_600_000))]));
      await app.get(ParkingSweeper).sweep();
      const left = await db.query(`select input_key from parked_inputs where input_key = any($1)`, [[`OMS9/${due}/2`, `OMS9/${waiting}/2`]]);
      expect(left).toEqual([{ input_key: `OMS9/${waiting}/2` }]);
      // Parked without its message (as before the messages were kept): a letter of its own, the reported payload as its value.
      const [letter] = await db.query(`select error, payload, partition from dead_letters where headers->>'postrade-parked-key' = $1`, [`OMS9/${due}/2`]);
      expect(letter).toMatchObject({ partition: -1, error: expect.stringMatching(/^parked CANCEL expired: waiting for the NEW of OMS9\/T-/) });
      expect(JSON.parse(letter.payload)).toMatchObject({ sourceTradeId: due, action: 'CANCEL' });
      const acks = await readTopic(kafka, Topics.tradeCaptureAcks, (all) => all.some((m) => JSON.parse(m.value).sourceTradeId === due), 60_000);
      expect(JSON.parse(acks.find((m) => JSON.parse(m.value).sourceTradeId === due)!.value)).toMatchObject({ outcome: 'REJECTED', errors: [{ field: 'version', message: letter.error }] });
      await db.transaction((em) => parking.takeFor(em, [`OMS9/${waiting}`]));
    });

    it('deletes by the shared retention sweep only the idempotency keys claimed before the retention horizon', async () => {
      const principal = `retention-${randomUUID()}`;
      await db.query(
        `insert into idempotency_keys (principal, key, request_hash, status, created_at) values
           ($1, 'old', 'h', 'COMPLETED', now() - interval '8 days'), ($1, 'recent', 'h', 'COMPLETED', now() - interval '6 days')`,
        [principal],
      );
      const removed = await app.get(MessagingRuntime).sweepRetention();
      expect(removed['Idempotency-Keys']).toBeGreaterThanOrEqual(1);
      const left = await db.query('select key from idempotency_keys where principal = $1', [principal]);
      expect(left).toEqual([{ key: 'recent' }]);
    });

    it('refuses the runtime role an UPDATE of the append-only trade version history', async () => {
      const runtime = new DataSource({ type: 'postgres', url: serviceDatabaseUrl(tradeCaptureDatabase) });
      await runtime.initialize();
      try {
        await expect(runtime.query('update trade_capture.trade_versions set action = action where false')).rejects.toThrow(/permission denied/);
      } finally {
        await runtime.destroy();
      }
    });
  });
});
