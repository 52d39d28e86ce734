import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventTypes, Topics, toHeaders, type MatchResource, sourceFor } from '@postrade/contracts';
import { kafkaConnectionFromEnv, KafkajsEventPublisher, MessagingRuntime, readTopic, type KafkaConnection } from '@postrade/messaging';
import { serviceDatabaseUrl } from '@postrade/persistence';
import { configureApp } from '@postrade/platform';
import { eventually } from '@postrade/testing';
import { ConfirmationMatchingModule } from '../src/confirmation-matching.module';
import { confirmationMatchingDatabase } from '../src/persistence/confirmation-matching.database';
import { putProfile } from './profile-changes';

const ISIN = 'US0378331005';
const COUNTERPARTY = '5493001KJTIIGC8Y1R12';
const OTHER_COUNTERPARTY = '7LTWFZYICNSX8D621K86';
const OUR_LEI = '529900T8BM49AURSDO55';
const OPS = { Authorization: 'Bearer dev-ops' };
const AUDITOR = { Authorization: 'Bearer dev-auditor' };
const asCounterparty = (lei: string) => ({ Authorization: `Bearer dev-cp-${lei}` });

describe('confirmation-matching against real Postgres and Kafka', () => {
  let app: INestApplication;
  let db: DataSource;
  let kafka: KafkaConnection;
  let publisher: KafkajsEventPublisher;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ConfirmationMatchingModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app);
    await app.init();
    db = app.get(DataSource);
    kafka = kafkaConnectionFromEnv('confirmation-matching-test');
    publisher = new KafkajsEventPublisher(kafka);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await app?.close();
  });

  const http = () => request(app.getHttpServer());

  /** Each test trades its own quantity, so that its pairing key is its own. */
  const uniqueQuantity = () => String(100_000 + Math.floor(Math.random() * 800_000));

  function tradeResource(overrides: Record<string, unknown> = {}) {
    const quantity = (overrides.quantity as string) ?? '1000';
    return {
      tradeId: randomUUID(),
      sourceSystem: 'OMS1',
      sourceTradeId: `T-${randomUUID().slice(0, 8)}`,
      version: 1,
      status: 'CAPTURED',
      tradeDate: '2026-11-23',
      executionTime: '2026-11-23T14:30:05.123Z',
      side: 'BUY',
      isin: ISIN,
      quantity,
      price: '189.25',
      currency: 'USD',
      grossAmount: '189250.00',
      accruedInterest: '0.00',
      accruedDays: 0,
      commission: '10.00',
      fees: '1.20',
      netAmount: '189261.20',
      settlementDate: '2026-11-24',
      settlementCycle: 'T+1',
      settlementMarket: 'US',
      settlementType: 'DVP',
      book: 'EQ1',
      instrument: { description: 'Apple Inc.', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
      counterparty: { lei: COUNTERPARTY, name: 'Broker A', bic: 'GSCMUS33XXX', country: 'US' },
      legalEntity: { lei: OUR_LEI, name: 'Our Fund', bic: 'DEUTDEFF' },
      ssis: { ours: null, theirs: null },
      exceptions: [],
      cancelReason: null,
      createdAt: '2026-11-23T14:30:06.000Z',
      updatedAt: '2026-11-23T14:30:06.000Z',
      ...overrides,
    };
  }

  function confirmationBody(trade: { quantity: string; sourceTradeId?: string }, overrides: Record<string, unknown> = {}) {
    return {
      confirmationId: `CP-${randomUUID().slice(0, 8)}`,
      senderLei: COUNTERPARTY,
      receiverLei: OUR_LEI,
      tradeDate: '2026-11-23',
      settlementDate: '2026-11-24',
      side: 'SELL',
      isin: ISIN,
      quantity: trade.quantity,
      price: '189.25',
      currency: 'USD',
      netAmount: '189261.20',
      ...overrides,
    };
  }

  /** Publishes as trade-capture would: CloudEvents headers, keyed by trade id. */
  async function publishTrade(type: string, trade: ReturnType<typeof tradeResource>, id: string = randomUUID()): Promise<string> {
    const headers = toHeaders({ id, source: 'trade-capture', type, time: new Date().toISOString(), subject: trade.tradeId, data: trade });
    await publisher.send([{ topic: Topics.tradeCaptureTrades, key: trade.tradeId, value: JSON.stringify(trade), headers }]);
    return id;
  }

  /** Publishes as a counterparty gateway would, keyed by sender LEI. */
  async function publishConfirmation(body: Record<string, unknown>, id: string = randomUUID()): Promise<string> {
    const headers = toHeaders({ id, source: sourceFor(Topics.confirmationsInbound), type: EventTypes.confirmationReceived, time: new Date().toISOString(), subject: String(body.senderLei), data: body });
    await publisher.send([{ topic: Topics.confirmationsInbound, key: String(body.senderLei), value: JSON.stringify(body), headers }]);
    return id;
  }

  async function resultEvents(key: string): Promise<{ type: string; data: MatchResource }[]> {
    const rows: { event_type: string; payload: string }[] = await db.query(`select event_type, payload from outbox where message_key = $1 and topic = $2 order by position`, [
      key,
      Topics.matchingResults,
    ]);
    return rows.map((r) => ({ type: r.event_type, data: JSON.parse(r.payload) }));
  }

  const statusOf = async (tradeId: string) => {
    const res = await http().get(`/api/v1/matches/by-trade/${tradeId}`).set(OPS);
    return res.status === 200 ? (res.body as MatchResource) : null;
  };
  const untilStatus = async (tradeId: string, status: string): Promise<MatchResource> =>
    (await eventually(() => statusOf(tradeId), (m) => m?.status === status, 30_000, `trade ${tradeId} ${status}`))!;

  async function confirmationRow(senderLei: string, confirmationId: string) {
    const rows = await db.query('select id, version, match_status from confirmations where sender_lei = $1 and confirmation_id = $2', [senderLei, confirmationId]);
    return rows[0] as { id: string; version: number; match_status: string } | undefined;
  }

  it('matches a trade then its confirmation and publishes MATCHED, then AFFIRMED by the default profile', async () => {
    const trade = tradeResource({ quantity: uniqueQuantity() });
    await publishTrade(EventTypes.tradeCaptured, trade);
    await untilStatus(trade.tradeId, 'UNMATCHED');
    const body = confirmationBody(trade);
    await publishConfirmation(body);

    const match = await untilStatus(trade.tradeId, 'AFFIRMED');
    expect(match).toMatchObject({ tradeId: trade.tradeId, confirmationId: body.confirmationId, senderLei: COUNTERPARTY, breaks: [], profile: 'DEFAULT' });
    expect((await resultEvents(trade.tradeId)).map((e) => e.type)).toEqual([EventTypes.matchUnmatched, EventTypes.matchMatched, EventTypes.matchAffirmed]);
    const seen = await readTopic(kafka, Topics.matchingResults, (messages) => messages.some((m) => m.key === trade.tradeId && m.headers.ce_type === EventTypes.matchMatched), 60_000);
    const matched = seen.find((m) => m.key === trade.tradeId && m.headers.ce_type === EventTypes.matchMatched)!;
    expect(matched.headers).toMatchObject({ ce_source: 'confirmation-matching', ce_subject: trade.tradeId });
    expect(JSON.parse(matched.value)).toMatchObject({ tradeId: trade.tradeId, confirmationId: body.confirmationId, status: 'MATCHED' });
  });

  it('alleges a confirmation that arrives before its trade and pairs it when the trade arrives', async () => {
    const trade = tradeResource({ quantity: uniqueQuantity() });
    const body = confirmationBody(trade, { ourReference: trade.sourceTradeId });
    await publishConfirmation(body);
    const alleged = await eventually(() => confirmationRow(COUNTERPARTY, body.confirmationId), (c) => c?.match_status === 'ALLEGED', 30_000, 'alleged');
    expect((await resultEvents(alleged!.id)).map((e) => e.type)).toEqual([EventTypes.matchAlleged]);
    const list = await http().get('/api/v1/matches?status=ALLEGED&limit=500').set(OPS).expect(200);
    expect(list.body.items).toContainEqual(expect.objectContaining({ tradeId: null, confirmationId: body.confirmationId, status: 'ALLEGED' }));

    await publishTrade(EventTypes.tradeCaptured, trade);
    await untilStatus(trade.tradeId, 'AFFIRMED');
    expect((await resultEvents(trade.tradeId)).map((e) => e.type)).toEqual([EventTypes.matchMatched, EventTypes.matchAffirmed]);
    const confirmation = await http().get(`/api/v1/confirmations/${alleged!.id}`).set(OPS).expect(200);
    expect(confirmation.body).toMatchObject({ matchStatus: 'AFFIRMED', tradeId: trade.tradeId, version: 1 });
  });

  it('marks a price outside tolerance MISMATCHED with a price break, and MATCHED once an amendment fixes it', async () => {
    const trade = tradeResource({ quantity: uniqueQuantity(), price: '189.30' });
    await publishTrade(EventTypes.tradeCaptured, trade);
    await untilStatus(trade.tradeId, 'UNMATCHED'); // trades and confirmations are separate consumers: keep this order
    const body = confirmationBody(trade);
    await publishConfirmation(body);
    const mismatched = await untilStatus(trade.tradeId, 'MISMATCHED');
    expect(mismatched.breaks).toEqual([{ field: 'price', ours: '189.30', theirs: '189.25', rule: 'PERCENT', tolerance: '0%', reasonCode: 7 }]);

    await publishTrade(EventTypes.tradeAmended, { ...trade, version: 2, status: 'AMENDED', price: '189.25' });
    const fixed = await untilStatus(trade.tradeId, 'AFFIRMED');
    expect(fixed.breaks).toEqual([]);
    expect((await resultEvents(trade.tradeId)).map((e) => e.type)).toEqual([
      EventTypes.matchUnmatched,
      EventTypes.matchMismatched,
      EventTypes.matchMatched,
      EventTypes.matchAffirmed,
    ]);
  });

  it('cancels the match when the trade is cancelled, leaving its confirmation ALLEGED', async () => {
    const trade = tradeResource({ quantity: uniqueQuantity() });
    await publishTrade(EventTypes.tradeCaptured, trade);
    const body = confirmationBody(trade);
    await publishConfirmation(body);
    await untilStatus(trade.tradeId, 'AFFIRMED');
    await publishTrade(EventTypes.tradeCancelled, { ...trade, version: 2, status: 'CANCELLED' });
    const cancelled = await untilStatus(trade.tradeId, 'CANCELLED');
    expect(cancelled.confirmationId).toBeNull();
    expect((await confirmationRow(COUNTERPARTY, body.confirmationId))!.match_status).toBe('ALLEGED');
    expect((await resultEvents(trade.tradeId)).map((e) => e.type).pop()).toBe(EventTypes.matchCancelled);
  });

  it('gives duplicate deliveries one effect: the same event twice, and the same confirmation again under a new event id', async () => {
    const trade = tradeResource({ quantity: uniqueQuantity() });
    const tradeEventId = await publishTrade(EventTypes.tradeCaptured, trade);
    await publishTrade(EventTypes.tradeCaptured, trade, tradeEventId);
    await untilStatus(trade.tradeId, 'UNMATCHED');
    const body = confirmationBody(trade);
    const eventId = await publishConfirmation(body);
    await publishConfirmation(body, eventId);
    await publishConfirmation(body);
    await untilStatus(trade.tradeId, 'AFFIRMED');
    // A later confirmation proves the earlier deliveries were all consumed.
    const marker = confirmationBody({ quantity: uniqueQuantity() });
    await publishConfirmation(marker);
    await eventually(() => confirmationRow(COUNTERPARTY, marker.confirmationId), (c) => c !== undefined, 30_000, 'marker');
    expect((await confirmationRow(COUNTERPARTY, body.confirmationId))!.version).toBe(1);
    expect((await resultEvents(trade.tradeId)).map((e) => e.type)).toEqual([EventTypes.matchUnmatched, EventTypes.matchMatched, EventTypes.matchAffirmed]);
  });

  it('replaces a re-sent confirmation and re-evaluates the pair', async () => {
    const trade = tradeResource({ quantity: uniqueQuantity() });
    await publishTrade(EventTypes.tradeCaptured, trade);
    await untilStatus(trade.tradeId, 'UNMATCHED');
    const body = confirmationBody(trade);
    const first = await http().post('/api/v1/confirmations').set(asCounterparty(COUNTERPARTY)).send(body).expect(202);
    expect(first.body).toMatchObject({ confirmationId: body.confirmationId, matchStatus: 'AFFIRMED', tradeId: trade.tradeId, version: 1 });
    const resent = await http().post('/api/v1/confirmations').set(asCounterparty(COUNTERPARTY)).send({ ...body, netAmount: '189300.00' }).expect(202);
    expect(resent.body).toMatchObject({ id: first.body.id, matchStatus: 'MISMATCHED', version: 2 });
    expect((await statusOf(trade.tradeId))!.breaks).toEqual([
      { field: 'netAmount', ours: '189261.20', theirs: '189300.00', rule: 'ABSOLUTE', tolerance: '25', reasonCode: 16 },
    ]);
  });

  it('ends with the same pairs, statuses and breaks whatever order the trades and confirmations arrive in', async () => {
    /** Two trades and two confirmations on one pairing key; `order` says which arrives when. */
    async function scenario(order: ('A' | 'B' | 'X' | 'Y')[]) {
      const quantity = uniqueQuantity();
      const a = tradeResource({ quantity, price: '189.25' });
      const b = tradeResource({ quantity, price: '189.40' });
      const x = confirmationBody(a, { price: '189.40', ourReference: b.sourceTradeId }); // names B
      const y = confirmationBody(a, { price: '189.30' }); // closest to A
      const send = { A: () => publishTrade(EventTypes.tradeCaptured, a), B: () => publishTrade(EventTypes.tradeCaptured, b), X: () => publishConfirmation(x), Y: () => publishConfirmation(y) };
      for (const arrival of order) {
        await send[arrival]();
        // Let each arrival be applied before the next, so the order is the one given.
        if (arrival === 'A' || arrival === 'B') await eventually(() => statusOf((arrival === 'A' ? a : b).tradeId), (m) => m !== null, 30_000, arrival);
        else await eventually(() => confirmationRow(COUNTERPARTY, (arrival === 'X' ? x : y).confirmationId), (c) => c !== undefined, 30_000, arrival);
      }
      const [matchA, matchB] = [await untilSettled(a.tradeId), await untilSettled(b.tradeId)];
      const byRole = (confirmationId: string | null) => (confirmationId === x.confirmationId ? 'X' : confirmationId === y.confirmationId ? 'Y' : null);
      return {
        A: { status: matchA.status, pairedWith: byRole(matchA.confirmationId), breaks: matchA.breaks },
        B: { status: matchB.status, pairedWith: byRole(matchB.confirmationId), breaks: matchB.breaks },
      };
    }
    const untilSettled = (tradeId: string) => eventually(() => statusOf(tradeId), (m) => m !== null && m.status !== 'UNMATCHED', 30_000, tradeId).then((m) => m!);

    const tradesFirst = await scenario(['A', 'B', 'X', 'Y']);
    expect(tradesFirst).toEqual({
      A: { status: 'MISMATCHED', pairedWith: 'Y', breaks: [expect.objectContaining({ field: 'price', ours: '189.25', theirs: '189.30' })] },
      B: { status: 'AFFIRMED', pairedWith: 'X', breaks: [] },
    });
    expect(await scenario(['Y', 'A', 'X', 'B'])).toEqual(tradesFirst);
    expect(await scenario(['X', 'Y', 'B', 'A'])).toEqual(tradesFirst);
    // A pairs with X first; B, named by X, arrives last and takes X over.
    expect(await scenario(['A', 'X', 'Y', 'B'])).toEqual(tradesFirst);
  });

  it('replays the first response for the same Idempotency-Key and body, and answers 422 to another body', async () => {
    const body = confirmationBody({ quantity: uniqueQuantity() });
    const key = randomUUID();
    const first = await http().post('/api/v1/confirmations').set(OPS).set('Idempotency-Key', key).send(body).expect(202);
    const again = await http().post('/api/v1/confirmations').set(OPS).set('Idempotency-Key', key).send(body).expect(202);
    expect(again.body).toEqual(first.body);
    const other = await http().post('/api/v1/confirmations').set(OPS).set('Idempotency-Key', key).send({ ...body, price: '190' }).expect(422);
    expect(other.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    expect((await confirmationRow(COUNTERPARTY, body.confirmationId))!.version).toBe(1);
  });

  describe('counterparty isolation', () => {
    it("answers 403 to a counterparty key sending for another sender's LEI", async () => {
      const res = await http().post('/api/v1/confirmations').set(asCounterparty(OTHER_COUNTERPARTY)).send(confirmationBody({ quantity: '10' })).expect(403);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    });

    it("answers 404 to a counterparty reading another party's confirmation, and lists only its own", async () => {
      const mine = await http().post('/api/v1/confirmations').set(asCounterparty(COUNTERPARTY)).send(confirmationBody({ quantity: uniqueQuantity() })).expect(202);
      await http().get(`/api/v1/confirmations/${mine.body.id}`).set(asCounterparty(OTHER_COUNTERPARTY)).expect(404);
      await http().get(`/api/v1/confirmations/${mine.body.id}`).set(asCounterparty(COUNTERPARTY)).expect(200);
      const theirs = await http().get('/api/v1/confirmations?limit=500').set(asCounterparty(OTHER_COUNTERPARTY)).expect(200);
      expect(theirs.body.items.every((c: { senderLei: string }) => c.senderLei === OTHER_COUNTERPARTY)).toBe(true);
      await http().get(`/api/v1/matches?status=ALLEGED`).set(asCounterparty(COUNTERPARTY)).expect(403);
    });
  });

  describe('operations', () => {
    it('force-matches a mismatched pair with a reason, unmatches it, and records who did what and when', async () => {
      await putProfile(http, `NO-AUTO-${OTHER_COUNTERPARTY.slice(0, 6)}`, {
        rules: [{ field: 'price', rule: 'EXACT' }, { field: 'settlementDate', rule: 'EXACT' }],
        autoAffirm: false,
        fourEyes: false,
        counterparties: [OTHER_COUNTERPARTY],
      });
      const trade = tradeResource({ quantity: uniqueQuantity(), counterparty: { lei: OTHER_COUNTERPARTY, name: 'Broker B', bic: 'GSCMUS33XXX', country: 'US' } });
      await publishTrade(EventTypes.tradeCaptured, trade);
      await untilStatus(trade.tradeId, 'UNMATCHED');
      const body = confirmationBody(trade, { senderLei: OTHER_COUNTERPARTY, price: '189.26' });
      await http().post('/api/v1/confirmations').set(OPS).send(body).expect(202);
      expect(await statusOf(trade.tradeId)).toMatchObject({ status: 'MISMATCHED', profile: `NO-AUTO-${OTHER_COUNTERPARTY.slice(0, 6)}` });

      await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/force-match`).set(AUDITOR).send({ confirmationId: body.confirmationId, reason: 'x' }).expect(403);
      const forced = await http()
        .post(`/api/v1/matches/by-trade/${trade.tradeId}/force-match`)
        .set(OPS)
        .send({ confirmationId: body.confirmationId, reason: 'price agreed by phone' })
        .expect(200);
      expect(forced.body).toMatchObject({ status: 'MATCHED', breaks: [expect.objectContaining({ field: 'price', rule: 'EXACT', reasonCode: 7 })] });
      const affirmed = await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/affirm`).set(OPS).expect(200);
      expect(affirmed.body.status).toBe('AFFIRMED');
      const unmatched = await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/unmatch`).set(OPS).send({ reason: 'wrong trade' }).expect(200);
      expect(unmatched.body).toMatchObject({ status: 'UNMATCHED', confirmationId: null });
      expect(unmatched.body.actions).toEqual([
        expect.objectContaining({ action: 'FORCE_MATCH', confirmationId: body.confirmationId, reason: 'price agreed by phone', actedBy: expect.any(String), actedAt: expect.any(String) }),
        expect.objectContaining({ action: 'AFFIRM' }),
        expect.objectContaining({ action: 'UNMATCH', reason: 'wrong trade' }),
      ]);
      expect((await resultEvents(trade.tradeId)).map((e) => e.type)).toEqual([
        EventTypes.matchUnmatched,
        EventTypes.matchMismatched,
        EventTypes.matchMatched,
        EventTypes.matchAffirmed,
        EventTypes.matchUnmatched,
      ]);
      await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/unmatch`).set(OPS).send({ reason: 'again' }).expect(409);
    });

    it('keeps the operator action trail append-only for the service role', async () => {
      const service = new DataSource({ type: 'postgres', url: serviceDatabaseUrl(confirmationMatchingDatabase), schema: 'matching' });
      await service.initialize();
      try {
        await expect(service.query(`update matching.match_actions set reason = 'rewritten'`)).rejects.toThrow(/permission denied/);
        await expect(service.query('delete from matching.match_actions')).rejects.toThrow(/permission denied/);
      } finally {
        await service.destroy();
      }
    });
  });

  describe('retention', () => {
    /** Makes the items look `days` old to the sweep: as if they had last changed then. */
    async function age(days: number, tradeIds: string[], confirmationIds: string[]): Promise<void> {
      await db.query(`update trades set updated_at = now() - make_interval(days => $2) where trade_id = any($1::uuid[])`, [tradeIds, days]);
      await db.query(`update confirmations set updated_at = now() - make_interval(days => $3) where sender_lei = $1 and confirmation_id = any($2)`, [COUNTERPARTY, confirmationIds, days]);
    }
    const tradeLeft = async (tradeId: string) => (await db.query('select match_status from trades where trade_id = $1', [tradeId]))[0]?.match_status as string | undefined;
    const confirmationLeft = async (confirmationId: string) => (await confirmationRow(COUNTERPARTY, confirmationId))?.match_status;

    async function pair(price = '189.25'): Promise<{ trade: ReturnType<typeof tradeResource>; body: ReturnType<typeof confirmationBody> }> {
      const trade = tradeResource({ quantity: uniqueQuantity(), price });
      await publishTrade(EventTypes.tradeCaptured, trade);
      await untilStatus(trade.tradeId, 'UNMATCHED');
      const body = confirmationBody(trade);
      await http().post('/api/v1/confirmations').set(asCounterparty(COUNTERPARTY)).send(body).expect(202);
      return { trade, body };
    }

    it('never removes an open item, and removes closed pairs past the horizon with their confirmation, by the shared sweep', async () => {
      const affirmed = await pair();
      await untilStatus(affirmed.trade.tradeId, 'AFFIRMED');
      const cancelled = await pair();
      await untilStatus(cancelled.trade.tradeId, 'AFFIRMED');
      await publishTrade(EventTypes.tradeCancelled, { ...cancelled.trade, version: 2, status: 'CANCELLED' });
      await untilStatus(cancelled.trade.tradeId, 'CANCELLED');
      const recentlyAffirmed = await pair();
      await untilStatus(recentlyAffirmed.trade.tradeId, 'AFFIRMED');
      const mismatched = await pair('189.30');
      await untilStatus(mismatched.trade.tradeId, 'MISMATCHED');
      const unmatched = tradeResource({ quantity: uniqueQuantity() });
      await publishTrade(EventTypes.tradeCaptured, unmatched);
      await untilStatus(unmatched.tradeId, 'UNMATCHED');
      const alleged = confirmationBody({ quantity: uniqueQuantity() });
      await http().post('/api/v1/confirmations').set(asCounterparty(COUNTERPARTY)).send(alleged).expect(202);
      expect(await confirmationLeft(alleged.confirmationId)).toBe('ALLEGED');
      // A MATCHED pair waiting for affirmation (its currency's profile does not auto-affirm).
      await putProfile(http, 'RETENTION-MANUAL-SGD', { rules: [{ field: 'price', rule: 'EXACT' }, { field: 'settlementDate', rule: 'EXACT' }], autoAffirm: false, currencies: ['SGD'] });
      const waiting = tradeResource({ quantity: uniqueQuantity(), currency: 'SGD' });
      await publishTrade(EventTypes.tradeCaptured, waiting);
      await untilStatus(waiting.tradeId, 'UNMATCHED');
      const waitingBody = confirmationBody(waiting, { currency: 'SGD' });
      await http().post('/api/v1/confirmations').set(asCounterparty(COUNTERPARTY)).send(waitingBody).expect(202);
      await untilStatus(waiting.tradeId, 'MATCHED');
      // A confirmation its sender cancelled, paired with no trade: closed, though no trade rule reaches it.
      const withdrawn = confirmationBody({ quantity: uniqueQuantity() });
      const posted = await http().post('/api/v1/confirmations').set(asCounterparty(COUNTERPARTY)).send(withdrawn).expect(202);
      await http().post(`/api/v1/confirmations/${posted.body.id}/cancel`).set(asCounterparty(COUNTERPARTY)).send({ reason: 'sent in error' }).expect(200);
      const recentlyWithdrawn = confirmationBody({ quantity: uniqueQuantity() });
      const postedRecently = await http().post('/api/v1/confirmations').set(asCounterparty(COUNTERPARTY)).send(recentlyWithdrawn).expect(202);
      await http().post(`/api/v1/confirmations/${postedRecently.body.id}/cancel`).set(asCounterparty(COUNTERPARTY)).send({ reason: 'sent in error' }).expect(200);

      await age(
        91,
        [affirmed.trade.tradeId, cancelled.trade.tradeId, mismatched.trade.tradeId, unmatched.tradeId, waiting.tradeId],
        [affirmed.body.confirmationId, cancelled.body.confirmationId, mismatched.body.confirmationId, alleged.confirmationId, waitingBody.confirmationId, withdrawn.confirmationId],
      );
      await age(89, [], [recentlyWithdrawn.confirmationId]);
      await age(89, [recentlyAffirmed.trade.tradeId], [recentlyAffirmed.body.confirmationId]);
      const removed = await app.get(MessagingRuntime).sweepRetention();
      expect(removed['closed matches']).toBeGreaterThanOrEqual(3);

      // Closed and past the horizon: the trade and its confirmation are gone.
      expect(await tradeLeft(affirmed.trade.tradeId)).toBeUndefined();
      expect(await confirmationLeft(affirmed.body.confirmationId)).toBeUndefined();
      expect(await tradeLeft(cancelled.trade.tradeId)).toBeUndefined();
      // The cancelled trade's confirmation is ALLEGED: open, so it stays.
      expect(await confirmationLeft(cancelled.body.confirmationId)).toBe('ALLEGED');
      // Closed within the horizon, and open items whatever their age, stay, breaks included.
      expect(await tradeLeft(recentlyAffirmed.trade.tradeId)).toBe('AFFIRMED');
      expect(await confirmationLeft(recentlyAffirmed.body.confirmationId)).toBe('AFFIRMED');
      expect(await tradeLeft(mismatched.trade.tradeId)).toBe('MISMATCHED');
      expect(await confirmationLeft(mismatched.body.confirmationId)).toBe('MISMATCHED');
      expect((await statusOf(mismatched.trade.tradeId))!.breaks).toEqual([expect.objectContaining({ field: 'price' })]);
      expect(await tradeLeft(unmatched.tradeId)).toBe('UNMATCHED');
      expect(await confirmationLeft(alleged.confirmationId)).toBe('ALLEGED');
      expect(await tradeLeft(waiting.tradeId)).toBe('MATCHED');
      expect(await confirmationLeft(waitingBody.confirmationId)).toBe('MATCHED');
      // Cancelled by its sender: closed, so it goes past the horizon and stays within it.
      expect(removed['cancelled confirmations']).toBeGreaterThanOrEqual(1);
      expect(await confirmationLeft(withdrawn.confirmationId)).toBeUndefined();
      expect(await confirmationLeft(recentlyWithdrawn.confirmationId)).toBe('CANCELLED');
    });
  });

  it('serves and replaces matching profiles, naming the faulty field', async () => {
    const got = await http().get('/api/v1/matching-profiles/DEFAULT').set(AUDITOR).expect(200);
    expect(got.body).toMatchObject({
      name: 'DEFAULT',
      autoAffirm: true,
      rules: expect.arrayContaining([{ field: 'netAmount', rule: 'ABSOLUTE', tolerance: '2', tiers: [{ above: '100000', tolerance: '25' }] }]),
    });
    const bad = await http().put('/api/v1/matching-profiles/BAD').set(OPS).send({ rules: [{ field: 'price', rule: 'PERCENT' }], autoAffirm: true }).expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'rules[0].tolerance' })]);
  });
});
