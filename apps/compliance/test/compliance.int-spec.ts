import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventTypes, Topics, toHeaders, type TradeResource, sourceFor } from '@postrade/contracts';
import { sampleSettlementEvent } from '@postrade/contracts/testing';
import { kafkaConnectionFromEnv, KafkajsEventPublisher, MessagingRuntime, ParkingLot, ParkingSweeper, type KafkaConnection } from '@postrade/messaging';
import { serviceDatabaseUrl } from '@postrade/persistence';
import { configureApp } from '@postrade/platform';
import { eventually, freshLei } from '@postrade/testing';
import { complianceDatabase } from '../src/persistence/compliance.database';
import { ComplianceModule } from '../src/compliance.module';

const OPS = { Authorization: 'Bearer dev-ops' };
const SUPERVISOR = { Authorization: 'Bearer dev-supervisor' };
const SECOND_SUPERVISOR = { Authorization: 'Bearer test-supervisor-2' };
const AUDITOR = { Authorization: 'Bearer dev-auditor' };
const OUR_ENTITY = { lei: '529900T8BM49AURSDO55', name: 'Our Fund', bic: 'DEUTDEFF' };
const APPLE = 'US0378331005';
const MICROSOFT = 'US5949181045';

/** Letters only, so that the word reads as a name part and no two runs share one. */
// A made-up name part of nine letters from the whole alphabet: lists loaded by earlier runs on the
// same database stay loaded, and parts drawn from a few letters came to resemble theirs.
const word = () => `Q${Array.from(randomBytes(8), (b) => String.fromCharCode(65 + (b % 26))).join('')}`;

describe('compliance against real Postgres and Kafka', () => {
  let app: INestApplication;
  let db: DataSource;
  let kafka: KafkaConnection;
  let publisher: KafkajsEventPublisher;
  const book = `BOOK-${randomUUID().slice(0, 8)}`;
  const cleanCounterparty = { lei: freshLei(), name: `${word()} ${word()} Securities`, aliases: [], country: 'US', bic: 'GSCMUS33XXX' };

  beforeAll(async () => {
    process.env.POSTRADE_API_KEYS = 'test-supervisor-2=supervisor';
    const moduleRef = await Test.createTestingModule({ imports: [ComplianceModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app);
    await app.init();
    db = app.get(DataSource);
    kafka = kafkaConnectionFromEnv('compliance-test');
    publisher = new KafkajsEventPublisher(kafka);
    await publish(Topics.tradeCaptureReferenceData, EventTypes.legalEntityUpserted, OUR_ENTITY.lei, OUR_ENTITY);
    await publish(Topics.tradeCaptureReferenceData, EventTypes.counterpartyUpserted, cleanCounterparty.lei, cleanCounterparty);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await app?.close();
  });

  const http = () => request(app.getHttpServer());

  async function publish(topic: string, type: string, key: string, data: object): Promise<string> {
    const id = randomUUID();
    const headers = toHeaders({ id, source: sourceFor(topic), type, time: new Date().toISOString(), subject: key, data });
    await publisher.send([{ topic, key, value: JSON.stringify(data), headers }]);
    return id;
  }

  function trade(overrides: Partial<TradeResource> = {}): TradeResource {
    const at = new Date().toISOString();
    const ssi = { lei: OUR_ENTITY.lei, settlementMarket: 'US' as const, currency: 'USD', agentBic: 'CHASUS33', safekeepingAccount: 'SK', cashAccount: 'C', placeOfSettlement: 'DTCYUS33' };
    return {
      tradeId: randomUUID(),
      sourceSystem: 'OMS1',
      sourceTradeId: `T-${randomUUID()}`,
      version: 1,
      status: 'CAPTURED',
      tradeDate: '2026-11-20',
      executionTime: at,
      side: 'BUY',
      isin: APPLE,
      quantity: '1000',
      price: '100.00',
      currency: 'USD',
      grossAmount: '100000.00',
      accruedInterest: '0.00',
      accruedDays: 0,
      commission: '0',
      fees: '0',
      netAmount: '100000.00',
      settlementDate: '2026-11-23',
      settlementCycle: 'T+1',
      settlementMarket: 'US',
      settlementType: 'DVP',
      book,
      instrument: { description: 'Equity', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
      counterparty: { lei: cleanCounterparty.lei, name: cleanCounterparty.name, bic: cleanCounterparty.bic, country: 'US' },
      legalEntity: OUR_ENTITY,
      ssis: { ours: ssi, theirs: { ...ssi, lei: cleanCounterparty.lei } },
      exceptions: [],
      cancelReason: null,
      createdAt: at,
      updatedAt: at,
      ...overrides,
    };
  }

  /** A list or limit change: proposed by ops (202), applied when a supervisor approves it (four eyes). */
  async function changed(proposal: request.Test): Promise<void> {
    const proposed = await proposal.set(OPS).expect(202);
    await http().post(`/api/v1/control-changes/${proposed.body.changeId}/approve`).set(SUPERVISOR).expect(200);
  }

  const capture = (t: TradeResource) => publish(Topics.tradeCaptureTrades, EventTypes.tradeCaptured, t.tradeId, t);

  async function decisionOf(tradeId: string, outcome?: string): Promise<{ outcome: string; tradeVersion: number; alerts: { alertId: string; rule: string; severity: string; status: string; details: Record<string, unknown> }[] }> {
    const res = await eventually(
      () => http().get(`/api/v1/decisions/by-trade/${tradeId}`).set(OPS),
      (r) => r.status === 200 && (outcome === undefined || r.body.outcome === outcome),
      30_000,
      `decision ${outcome ?? ''} of ${tradeId}`,
    );
    return res.body;
  }

  async function published(tradeId: string): Promise<string[]> {
    const rows: { event_type: string }[] = await db.query(`select event_type from outbox where message_key = $1 and topic = $2 order by position`, [
      tradeId,
      Topics.complianceDecisions,
    ]);
    return rows.map((r) => r.event_type);
  }

  it('clears a clean trade and publishes postrade.compliance.cleared.v1', async () => {
    const t = trade();
    await capture(t);
    const decision = await decisionOf(t.tradeId);
    expect(decision).toEqual({ tradeId: t.tradeId, tradeVersion: 1, outcome: 'CLEARED', alerts: [], screenedAgainst: expect.any(Array) });
    expect(await published(t.tradeId)).toEqual([EventTypes.complianceCleared]);
  });

  it('has no second effect when the same trade version arrives again', async () => {
    const t = trade();
    await capture(t);
    await decisionOf(t.tradeId);
    const again = await capture(t);
    await eventually(
      () => db.query('select count(*)::int as n from inbox where consumer = $1 and event_id = $2', ['compliance.trades', again]),
      (rows) => rows[0].n === 1,
      30_000,
      'second delivery processed',
    );
    expect(await published(t.tradeId)).toEqual([EventTypes.complianceCleared]);
  });

  it('holds a trade in an ISIN restricted on the trade date, and shows the list as of a past date', async () => {
    await changed(http().put(`/api/v1/restricted-list/${MICROSOFT}`).send({ from: '2026-11-01', to: '2026-11-30', reason: 'inside information', kind: 'RESTRICTED' }));
    const t = trade({ isin: MICROSOFT });
    await capture(t);
    const decision = await decisionOf(t.tradeId);
    expect(decision.outcome).toBe('HELD');
    expect(decision.alerts).toEqual([
      expect.objectContaining({ rule: 'RESTRICTED_LIST', severity: 'HIGH', status: 'OPEN', details: expect.objectContaining({ isin: MICROSOFT, reason: 'inside information' }) }),
    ]);
    expect(await published(t.tradeId)).toEqual([EventTypes.complianceHeld]);

    const inNovember = await http().get('/api/v1/restricted-list?asOf=2026-11-15').set(AUDITOR).expect(200);
    expect(inNovember.body.items).toContainEqual({ isin: MICROSOFT, kind: 'RESTRICTED', from: '2026-11-01', to: '2026-11-30', reason: 'inside information' });
    const inOctober = await http().get('/api/v1/restricted-list?asOf=2026-10-15').set(AUDITOR).expect(200);
    expect(inOctober.body.items.map((e: { isin: string }) => e.isin)).not.toContain(MICROSOFT);
  });

  it('answers 400 naming the field for a restricted-list entry that ends before it starts', async () => {
    const res = await http().put(`/api/v1/restricted-list/${MICROSOFT}`).set(OPS).send({ from: '2026-11-30', to: '2026-11-01', reason: 'x', kind: 'WATCH' }).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);
  });

  describe('sanctions', () => {
    const source = `TEST-LIST-${randomUUID().slice(0, 8)}`;
    const sanctionedName = `${word()} ${word()} Trading`;
    const laterName = `${word()} ${word()} Shipping`;
    const sanctioned = { lei: freshLei(), name: `${sanctionedName} LLC`, aliases: [], country: 'IR', bic: 'GSCMUS33XXX' };
    const laterHit = { lei: freshLei(), name: laterName, aliases: [`${laterName} Co`], country: 'CY', bic: 'GSCMUS33XXX' };
    const entry = (id: string, name: string) => ({ id, name: name.toUpperCase(), aliases: [], program: 'SDGT', country: 'IR' });

    beforeAll(async () => {
      await http()
        .post('/api/v1/sanctions-lists')
        .set(OPS)
        .send({ source, version: 'v1', entries: [entry('E-1', sanctionedName)] })
        .expect(201);
      await publish(Topics.tradeCaptureReferenceData, EventTypes.counterpartyUpserted, sanctioned.lei, sanctioned);
      await publish(Topics.tradeCaptureReferenceData, EventTypes.counterpartyUpserted, laterHit.lei, laterHit);
    });

    it('holds a trade with a sanctioned counterparty and names the matched entry and score', async () => {
      const t = trade({ counterparty: { lei: sanctioned.lei, name: sanctioned.name, bic: sanctioned.bic, country: 'IR' } });
      await capture(t);
      const decision = await decisionOf(t.tradeId);
      expect(decision.outcome).toBe('HELD');
      expect(decision.alerts).toEqual([
        expect.objectContaining({
          rule: 'SANCTIONS',
          severity: 'HIGH',
          details: expect.objectContaining({ source, entryId: 'E-1', matchedName: sanctionedName.toUpperCase(), score: 100, threshold: 85 }),
        }),
      ]);
    });

    it('holds the open trades of a counterparty that a new list version hits', async () => {
      const t = trade({ counterparty: { lei: laterHit.lei, name: laterHit.name, bic: laterHit.bic, country: 'CY' } });
      await capture(t);
      expect((await decisionOf(t.tradeId)).outcome).toBe('CLEARED');
      await eventually(() => db.query('select aliases from counterparties where lei = $1', [laterHit.lei]), (rows) => rows[0]?.aliases.length === 1);

      const loaded = await http()
        .post('/api/v1/sanctions-lists')
        .set(OPS)
        .send({ source, version: 'v2', entries: [entry('E-1', sanctionedName), entry('E-2', `${laterName} Company`)] })
        .expect(201);
      expect(loaded.body).toMatchObject({ source, version: 'v2', entryCount: 2, loaded: true, heldTradeIds: [t.tradeId] });
      expect(loaded.body.newHits).toEqual([expect.objectContaining({ counterpartyLei: laterHit.lei, entryId: 'E-2', score: 100 })]);

      const decision = await decisionOf(t.tradeId, 'HELD');
      expect(decision.alerts).toEqual([expect.objectContaining({ rule: 'SANCTIONS', status: 'OPEN', details: expect.objectContaining({ entryId: 'E-2', listVersion: 'v2' }) })]);
      expect(await published(t.tradeId)).toEqual([EventTypes.complianceCleared, EventTypes.complianceHeld]);

      const again = await http().post('/api/v1/sanctions-lists').set(OPS).send({ source, version: 'v2', entries: [] }).expect(201);
      expect(again.body).toMatchObject({ loaded: false, newHits: [], heldTradeIds: [] });
    });
  });

  it('holds a trade that takes the counterparty over its limit, and counts a settled trade no more', async () => {
    const counterparty = { lei: freshLei(), name: `${word()} ${word()} Capital`, aliases: [], country: 'US', bic: 'GSCMUS33XXX' };
    await publish(Topics.tradeCaptureReferenceData, EventTypes.counterpartyUpserted, counterparty.lei, counterparty);
    await changed(http().put(`/api/v1/limits/${counterparty.lei}/USD`).send({ limit: '150000.00' }));
    const withCounterparty = () => trade({ counterparty: { lei: counterparty.lei, name: counterparty.name, bic: counterparty.bic, country: 'US' } });

    const first = withCounterparty();
    await capture(first);
    expect((await decisionOf(first.tradeId)).outcome).toBe('CLEARED');

    const second = withCounterparty();
    await capture(second);
    const held = await decisionOf(second.tradeId);
    expect(held.outcome).toBe('HELD');
    expect(held.alerts).toEqual([
      expect.objectContaining({ rule: 'EXPOSURE_LIMIT', details: { counterpartyLei: counterparty.lei, currency: 'USD', limit: '150000', exposure: '200000', tradeAmount: '100000' } }),
    ]);

    // The held trade is cancelled (its alert closes) and the first one settles: nothing is open any more.
    await publish(Topics.tradeCaptureTrades, EventTypes.tradeCancelled, second.tradeId, { ...second, version: 2, status: 'CANCELLED' });
    await eventually(() => decisionOf(second.tradeId), (d) => d.alerts.every((a) => a.status === 'CLOSED'), 30_000, 'alerts closed on cancel');
    const instruction = sampleSettlementEvent({ instructionId: randomUUID(), tradeIds: [first.tradeId], settlementAmount: '100000.00', change: { settledAmount: '100000.00', settledQuantity: '1000' } });
    await publish(Topics.settlementEvents, EventTypes.settlementSettled, instruction.instructionId, instruction);
    await eventually(() => db.query('select closed_at from screened_trades where trade_id = $1', [first.tradeId]), (rows) => rows[0]?.closed_at !== null, 30_000, 'first trade settled');

    const third = withCounterparty();
    await capture(third);
    expect((await decisionOf(third.tradeId)).outcome).toBe('CLEARED');
  });

  it('parks a settlement of a trade not yet screened, shows it waiting, and applies it when the trade arrives', async () => {
    const t = trade();
    const instruction = sampleSettlementEvent({ instructionId: randomUUID(), tradeIds: [t.tradeId], settlementAmount: '100000.00', change: { settledAmount: '40000.00' } });
    const eventId = await publish(Topics.settlementEvents, EventTypes.settlementPartiallySettled, instruction.instructionId, instruction);
    await eventually(
      () => http().get('/api/v1/parked?kind=SETTLEMENT&limit=500').set(OPS),
      (res) => res.status === 200 && res.body.items.some((p: { eventId: string }) => p.eventId === eventId),
      30_000,
      'settlement parked',
    );
    await capture(t);
    await decisionOf(t.tradeId);
    const rows = await db.query('select unsettled_amount = 60000 as sixty_thousand_left from screened_trades where trade_id = $1', [t.tradeId]);
    expect(rows[0].sixty_thousand_left).toBe(true);
    const parked = await http().get('/api/v1/parked?kind=SETTLEMENT&limit=500').set(OPS).expect(200);
    expect(parked.body.items.map((p: { eventId: string }) => p.eventId)).not.toContain(eventId);
  });

  it('holds a trade with one of our own legal entities as counterparty', async () => {
    const t = trade({ counterparty: { lei: OUR_ENTITY.lei, name: OUR_ENTITY.name, bic: OUR_ENTITY.bic, country: 'DE' } });
    await capture(t);
    const decision = await decisionOf(t.tradeId);
    expect(decision.outcome).toBe('HELD');
    expect(decision.alerts.map((a) => a.rule)).toEqual(['SELF_TRADE']);
  });

  it('alerts on a wash trade but clears it', async () => {
    const buy = trade({ quantity: '700', executionTime: '2026-11-20T10:00:00.000Z' });
    await capture(buy);
    await decisionOf(buy.tradeId);
    const sell = trade({ side: 'SELL', quantity: '700', price: '100.05', executionTime: '2026-11-20T10:04:00.000Z' });
    await capture(sell);
    const decision = await decisionOf(sell.tradeId);
    expect(decision.outcome).toBe('CLEARED');
    expect(decision.alerts).toEqual([expect.objectContaining({ rule: 'WASH_TRADE', severity: 'MEDIUM', details: expect.objectContaining({ oppositeTradeId: buy.tradeId }) })]);
  });

  describe('four-eyes release', () => {
    async function heldTrade(): Promise<string> {
      const t = trade({ isin: MICROSOFT });
      await capture(t);
      await decisionOf(t.tradeId, 'HELD');
      return t.tradeId;
    }

    it('refuses the requester approving their own request (403) and releases on a second supervisor', async () => {
      const tradeId = await heldTrade();
      const proposed = await http().post(`/api/v1/holds/${tradeId}/release-requests`).set(SUPERVISOR).send({ reason: 'restriction lifted early', action: 'RELEASE' }).expect(201);
      expect(proposed.body).toMatchObject({ tradeId, action: 'RELEASE', reason: 'restriction lifted early', requestedBy: 'dev-supervisor', status: 'PENDING' });
      const { requestId } = proposed.body;

      const own = await http().post(`/api/v1/holds/${tradeId}/release-requests/${requestId}/approve`).set(SUPERVISOR).expect(403);
      expect(own.headers['content-type']).toMatch(/application\/problem\+json/);
      await http().post(`/api/v1/holds/${tradeId}/release-requests/${requestId}/approve`).set(OPS).expect(403);
      await http().post(`/api/v1/holds/${tradeId}/release-requests`).set(OPS).send({ reason: 'again', action: 'RELEASE' }).expect(409);

      const approved = await http().post(`/api/v1/holds/${tradeId}/release-requests/${requestId}/approve`).set(SECOND_SUPERVISOR).expect(200);
      expect(approved.body).toMatchObject({ requestId, status: 'APPROVED', decidedBy: expect.stringMatching(/^supervisor-/) });
      const decision = await decisionOf(tradeId);
      expect(decision.outcome).toBe('RELEASED');
      expect(decision.alerts.every((a) => a.status === 'RESOLVED')).toBe(true);
      expect(await published(tradeId)).toEqual([EventTypes.complianceHeld, EventTypes.complianceReleased]);
    });

    it('rejects a hold that ops proposes to reject and a supervisor approves', async () => {
      const tradeId = await heldTrade();
      const proposed = await http().post(`/api/v1/holds/${tradeId}/release-requests`).set(OPS).send({ reason: 'counterparty not approved', action: 'REJECT' }).expect(201);
      await http().post(`/api/v1/holds/${tradeId}/release-requests/${proposed.body.requestId}/approve`).set(SUPERVISOR).expect(200);
      expect((await decisionOf(tradeId)).outcome).toBe('REJECTED');
      expect(await published(tradeId)).toEqual([EventTypes.complianceHeld, EventTypes.complianceRejected]);
    });

    it('answers a repeated Idempotency-Key with the first request, and 422 when the proposal differs', async () => {
      const tradeId = await heldTrade();
      const key = { ...OPS, 'Idempotency-Key': `k-${randomUUID()}` };
      const first = await http().post(`/api/v1/holds/${tradeId}/release-requests`).set(key).send({ reason: 'cleared by Legal', action: 'RELEASE' }).expect(201);
      const replay = await http().post(`/api/v1/holds/${tradeId}/release-requests`).set(key).send({ reason: 'cleared by Legal', action: 'RELEASE' }).expect(201);
      expect(replay.body).toEqual(first.body);
      const other = await http().post(`/api/v1/holds/${tradeId}/release-requests`).set(key).send({ reason: 'something else', action: 'RELEASE' }).expect(422);
      expect(other.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    });

    it('keeps the trade held when the supervisor declines', async () => {
      const tradeId = await heldTrade();
      const proposed = await http().post(`/api/v1/holds/${tradeId}/release-requests`).set(OPS).send({ reason: 'looks fine', action: 'RELEASE' }).expect(201);
      const declined = await http().post(`/api/v1/holds/${tradeId}/release-requests/${proposed.body.requestId}/decline`).set(SUPERVISOR).expect(200);
      expect(declined.body).toMatchObject({ status: 'DECLINED', decidedBy: 'dev-supervisor' });
      expect((await decisionOf(tradeId)).outcome).toBe('HELD');
    });
  });

  it('pages GET /api/v1/parked through settlements parked in one transaction without repeating any', async () => {
    const parking = app.get(ParkingLot);
    const events: string[] = [1, 2, 3].map(() => randomUUID());
    await db.transaction((em) =>
      parking.park(
        em,
        events.map((eventId) => ({ kind: 'SETTLEMENT', inputKey: eventId, waitingFor: [randomUUID()], reason: 'waiting for a trade', payload: { settledAmount: '1' }, expiresInMs: 3_600_000 })),
      ),
    );
    const seen: string[] = [];
    for (let cursor: string | null = '', pages = 0; cursor !== null && pages < 1_000; pages++) {
      const page: request.Response = await http().get('/api/v1/parked').query({ kind: 'SETTLEMENT', limit: 1, cursor }).set(OPS).expect(200);
      seen.push(...page.body.items.map((p: { inputKey: string }) => p.inputKey));
      cursor = page.body.nextCursor;
    }
    await db.query(`delete from parked_inputs where input_key = any($1)`, [events]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => events.includes(id))).toHaveLength(3);
  });

  it('moves a settlement whose trade never came to the dead letters with the reason (no silent delete)', async () => {
    const tradeId = randomUUID();
    const instruction = sampleSettlementEvent({ instructionId: randomUUID(), tradeIds: [tradeId], settlementAmount: '100.00', change: { settledAmount: '100.00' } });
    const eventId = await publish(Topics.settlementEvents, EventTypes.settlementSettled, instruction.instructionId, instruction);
    const [parked] = await eventually(
      async () => (await http().get('/api/v1/parked?kind=SETTLEMENT&limit=500').set(OPS).expect(200)).body.items.filter((p: { eventId: string }) => p.eventId === eventId),
      (items) => items.length === 1,
      30_000,
      'settlement parked',
    );
    expect(parked).toMatchObject({ kind: 'SETTLEMENT', inputKey: eventId, waitingFor: [tradeId], reason: `waiting for trade ${tradeId}` });
    expect(Date.parse(parked.expiresAt) - Date.parse(parked.parkedAt)).toBe(72 * 3_600_000);
    // As the schema's owner: the service's own role may not change a parked row, only add or take it.
    const owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    try {
      await owner.query(`update compliance.parked_inputs set parked_at = parked_at - interval '73 hours', expires_at = expires_at - interval '73 hours' where input_key = $1`, [eventId]);
    } finally {
      await owner.end();
    }
    await app.get(ParkingSweeper).sweep();
    const letters = await db.query(`select consumer, error, payload from dead_letters where headers->>'ce_id' = $1`, [eventId]);
    expect(letters).toEqual([
      { consumer: 'compliance.settlement', error: expect.stringMatching(new RegExp(`^parked SETTLEMENT expired: waiting for trade ${tradeId}; waited 72h .* never arrived$`)), payload: JSON.stringify(instruction) },
    ]);
    expect(await db.query('select 1 from parked_inputs where input_key = $1', [eventId])).toEqual([]);
  });

  it('removes by the shared retention sweep only screened trades closed past the horizon, and Idempotency-Keys older than a week', async () => {
    const [closedLongAgo, closedRecently, openAndOld] = [randomUUID(), randomUUID(), randomUUID()];
    const insert = (tradeId: string, updatedDaysAgo: number, closedDaysAgo: number | null) =>
      db.query(
        `insert into screened_trades (trade_id, version, status, trade_date, executed_at, side, isin, quantity, price, currency, gross_amount, net_amount,
           unsettled_amount, book, counterparty_lei, legal_entity_lei, updated_at, closed_at)
         values ($1, 1, 'CAPTURED', '2025-01-02', '2025-01-02T10:00:00Z', 'BUY', $2, 1, 1, 'USD', 1, 1, 1, $3, $4, $5,
           now() - make_interval(days => $6), now() - make_interval(days => $7))`,
        [tradeId, APPLE, book, cleanCounterparty.lei, OUR_ENTITY.lei, updatedDaysAgo, closedDaysAgo],
      );
    await insert(closedLongAgo, 401, 401);
    await insert(closedRecently, 500, 399);
    await insert(openAndOld, 500, null);
    const principal = `retention-${randomUUID()}`;
    await db.query(
      `insert into idempotency_keys (principal, key, request_hash, status, created_at) values
         ($1, 'old', 'h', 'COMPLETED', now() - interval '8 days'), ($1, 'recent', 'h', 'COMPLETED', now() - interval '6 days')`,
      [principal],
    );

    const removed = await app.get(MessagingRuntime).sweepRetention();
    expect(removed['closed screened trades']).toBeGreaterThanOrEqual(1);
    const left = await db.query('select trade_id from screened_trades where trade_id = any($1::uuid[])', [[closedLongAgo, closedRecently, openAndOld]]);
    expect(left.map((r: { trade_id: string }) => r.trade_id).sort()).toEqual([closedRecently, openAndOld].sort());
    expect(await db.query('select key from idempotency_keys where principal = $1', [principal])).toEqual([{ key: 'recent' }]);
    await db.query('delete from screened_trades where trade_id = any($1::uuid[])', [[closedRecently, openAndOld]]);
  });

  describe('audit trail', () => {
    it('records decisions and human actions with who, before and after, and exports a period', async () => {
      const tradeId = (await http().get('/api/v1/alerts?rule=RESTRICTED_LIST&status=RESOLVED&limit=500').set(AUDITOR).expect(200)).body.items[0].tradeId;
      const trail = await http().get(`/api/v1/audit?entityId=${tradeId}`).set(AUDITOR).expect(200);
      const actions = trail.body.items.map((r: { action: string; actor: string }) => `${r.actor} ${r.action}`);
      expect(actions).toEqual(
        expect.arrayContaining(['system:compliance decision.held', 'dev-supervisor release-request.proposed', expect.stringMatching(/^supervisor-\w+ decision.released$/)]),
      );
      const today = new Date().toISOString().slice(0, 10);
      const exported = await http().get(`/api/v1/audit/export?from=${today}&to=${today}`).set(SUPERVISOR).expect(200);
      expect(exported.body.records.map((r: { entityId: string }) => r.entityId)).toContain(tradeId);
      await http().get('/api/v1/audit').set(OPS).expect(403);
    });

    it('chains concurrent appends one after the other in each chain', async () => {
      await Promise.all(
        Array.from({ length: 12 }, () => http().put(`/api/v1/limits/${freshLei()}/EUR`).set(OPS).send({ limit: '1000000' }).expect(202)),
      );
      const rows: { gaps: number }[] = await db.query(
        `select count(*)::int as gaps from (
           select chain_sequence - lag(chain_sequence) over (partition by chain_id order by chain_sequence) as step from audit_records) s
          where step <> 1`,
      );
      expect(rows[0].gaps).toBe(0);
      expect((await http().post('/api/v1/audit/verify').set(AUDITOR).expect(200)).body.ok).toBe(true);
    });

    it('verify names the first record edited directly in SQL', async () => {
      expect((await http().post('/api/v1/audit/verify').set(AUDITOR).expect(200)).body).toMatchObject({ ok: true, firstBadRecordId: null });
      const owner = new Client({ connectionString: process.env.DATABASE_URL });
      await owner.connect();
      try {
        const [last] = (await owner.query('select record_id, actor from compliance.audit_records order by sequence desc limit 1')).rows;
        await owner.query(`update compliance.audit_records set actor = 'mallory' where record_id = $1`, [last.record_id]);
        try {
          const verified = await http().post('/api/v1/audit/verify').set(AUDITOR).expect(200);
          expect(verified.body).toMatchObject({ ok: false, firstBadRecordId: last.record_id });
        } finally {
          await owner.query('update compliance.audit_records set actor = $2 where record_id = $1', [last.record_id, last.actor]);
        }
      } finally {
        await owner.end();
      }
      expect((await http().post('/api/v1/audit/verify').set(AUDITOR).expect(200)).body.ok).toBe(true);
    });

    it("refuses the service role's UPDATE and DELETE on audit records", async () => {
      const service = new Client({ connectionString: serviceDatabaseUrl(complianceDatabase) });
      await service.connect();
      // Each attempt runs in a transaction rolled back whatever happens, so a failing run leaves the trail intact.
      const attempt = async (sql: string) => {
        await service.query('begin');
        try {
          return await service.query(sql);
        } finally {
          await service.query('rollback');
        }
      };
      try {
        await expect(attempt(`update compliance.audit_records set actor = 'mallory'`)).rejects.toThrow(/permission denied/);
        await expect(attempt('delete from compliance.audit_records')).rejects.toThrow(/permission denied/);
      } finally {
        await service.end();
      }
    });
  });
});
