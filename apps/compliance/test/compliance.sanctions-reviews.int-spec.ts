import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventTypes, Topics, toHeaders, type TradeResource, sourceFor } from '@postrade/contracts';
import { kafkaConnectionFromEnv, KafkajsEventPublisher, type KafkaConnection } from '@postrade/messaging';
import { configureApp } from '@postrade/platform';
import { eventually, freshLei } from '@postrade/testing';
import { ComplianceModule } from '../src/compliance.module';

// Issue 18, sanctions: the false-positive ("good guy") list and list loads held for a supervisor,
// against real Postgres and Kafka.

const OPS = { Authorization: 'Bearer dev-ops' };
const SUPERVISOR = { Authorization: 'Bearer dev-supervisor' };
const SECOND_SUPERVISOR = { Authorization: 'Bearer test-supervisor-2' };
const AUDITOR = { Authorization: 'Bearer dev-auditor' };
const OUR_ENTITY = { lei: '529900T8BM49AURSDO55', name: 'Our Fund', bic: 'DEUTDEFF' };

/** A made-up name part of nine letters: lists loaded by earlier runs on the same database stay loaded. */
const word = () => `Q${Array.from(randomBytes(8), (b) => String.fromCharCode(65 + (b % 26))).join('')}`;
const entry = (id: string, name: string) => ({ id, name: name.toUpperCase(), aliases: [], program: 'SDGT', country: 'IR' });

describe('compliance sanctions reviews against real Postgres and Kafka', () => {
  let app: INestApplication;
  let db: DataSource;
  let kafka: KafkaConnection;
  let publisher: KafkajsEventPublisher;
  const book = `BOOK-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    process.env.POSTRADE_API_KEYS = 'test-supervisor-2=supervisor';
    const moduleRef = await Test.createTestingModule({ imports: [ComplianceModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app);
    await app.init();
    db = app.get(DataSource);
    kafka = kafkaConnectionFromEnv('compliance-sanctions-reviews-test');
    publisher = new KafkajsEventPublisher(kafka);
    await publish(Topics.tradeCaptureReferenceData, EventTypes.legalEntityUpserted, OUR_ENTITY.lei, OUR_ENTITY);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await app?.close();
  });

  const http = () => request(app.getHttpServer());

  async function publish(topic: string, type: string, key: string, data: object): Promise<void> {
    const headers = toHeaders({ id: randomUUID(), source: sourceFor(topic), type, time: new Date().toISOString(), subject: key, data });
    await publisher.send([{ topic, key, value: JSON.stringify(data), headers }]);
  }

  async function upsertCounterparty(counterparty: { lei: string; name: string; aliases: string[] }): Promise<void> {
    await publish(Topics.tradeCaptureReferenceData, EventTypes.counterpartyUpserted, counterparty.lei, { ...counterparty, country: 'CY', bic: 'GSCMUS33XXX' });
    await eventually(
      () => db.query('select name, aliases from counterparties where lei = $1', [counterparty.lei]),
      (rows) => rows[0]?.name === counterparty.name && rows[0]?.aliases.length === counterparty.aliases.length,
      30_000,
      `counterparty ${counterparty.lei} stored`,
    );
  }

  function trade(counterparty: { lei: string; name: string }): TradeResource {
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
      isin: 'US0378331005',
      quantity: '10',
      price: '100.00',
      currency: 'USD',
      grossAmount: '1000.00',
      accruedInterest: '0.00',
      accruedDays: 0,
      commission: '0',
      fees: '0',
      netAmount: '1000.00',
      settlementDate: '2026-11-23',
      settlementCycle: 'T+1',
      settlementMarket: 'US',
      settlementType: 'DVP',
      book,
      instrument: { description: 'Equity', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
      counterparty: { lei: counterparty.lei, name: counterparty.name, bic: 'GSCMUS33XXX', country: 'CY' },
      legalEntity: OUR_ENTITY,
      ssis: { ours: ssi, theirs: { ...ssi, lei: counterparty.lei } },
      exceptions: [],
      cancelReason: null,
      createdAt: at,
      updatedAt: at,
    };
  }

  type Decision = { outcome: string; alerts: { rule: string; severity: string; status: string; details: Record<string, unknown> }[] };

  async function screened(t: TradeResource, outcome?: string): Promise<Decision> {
    await publish(Topics.tradeCaptureTrades, EventTypes.tradeCaptured, t.tradeId, t);
    return decisionOf(t.tradeId, outcome);
  }

  async function decisionOf(tradeId: string, outcome?: string): Promise<Decision> {
    const res = await eventually(
      () => http().get(`/api/v1/decisions/by-trade/${tradeId}`).set(OPS),
      (r) => r.status === 200 && (outcome === undefined || r.body.outcome === outcome),
      30_000,
      `decision ${outcome ?? ''} of ${tradeId}`,
    );
    return res.body;
  }

  describe('false-positive ("good guy") decisions', () => {
    const source = `TEST-GOODGUY-${randomUUID().slice(0, 8)}`;
    const listedName = `${word()} ${word()} Trading`;
    const counterparty = { lei: freshLei(), name: `${listedName} LLC`, aliases: [] as string[] };

    beforeAll(async () => {
      await http()
        .post('/api/v1/sanctions-lists')
        .set(OPS)
        .send({ source, version: 'v1', entries: [entry('E-1', listedName)] })
        .expect(201);
      await upsertCounterparty(counterparty);
    });

    it('answers problem+json naming the field for a bad proposal, and 404 for an unknown entry', async () => {
      const bad = await http().post('/api/v1/sanctions/false-positives').set(OPS).send({ counterpartyLei: 'nope', source, entryId: 'E-1', listVersion: 'v1', reason: 'x' }).expect(400);
      expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'counterpartyLei' })]);
      const stale = await http()
        .post('/api/v1/sanctions/false-positives')
        .set(OPS)
        .send({ counterpartyLei: counterparty.lei, source, entryId: 'E-1', listVersion: 'v0', reason: 'not them' })
        .expect(422);
      expect(stale.body.errors).toEqual([expect.objectContaining({ field: 'listVersion' })]);
      await http().post('/api/v1/sanctions/false-positives').set(OPS).send({ counterpartyLei: counterparty.lei, source, entryId: 'E-404', listVersion: 'v1', reason: 'not them' }).expect(404);
    });

    it('once approved by a second person, a new trade with the counterparty is not held; a change of its names holds again', async () => {
      const held = trade(counterparty);
      expect((await screened(held)).outcome).toBe('HELD');

      const proposed = await http()
        .post('/api/v1/sanctions/false-positives')
        .set(SUPERVISOR)
        .send({ counterpartyLei: counterparty.lei, source, entryId: 'E-1', listVersion: 'v1', reason: 'another company: other country and registration' })
        .expect(201);
      expect(proposed.body).toMatchObject({ counterpartyLei: counterparty.lei, source, entryId: 'E-1', listVersion: 'v1', status: 'PENDING', proposedBy: 'dev-supervisor' });
      const id = proposed.body.falsePositiveId;

      // Pending: still holds.
      expect((await screened(trade(counterparty))).outcome).toBe('HELD');
      await http().post(`/api/v1/sanctions/false-positives/${id}/approve`).set(OPS).expect(403);
      const own = await http().post(`/api/v1/sanctions/false-positives/${id}/approve`).set(SUPERVISOR).expect(403);
      expect(own.headers['content-type']).toMatch(/application\/problem\+json/);
      const approved = await http().post(`/api/v1/sanctions/false-positives/${id}/approve`).set(SECOND_SUPERVISOR).expect(200);
      expect(approved.body).toMatchObject({ status: 'APPROVED', decidedBy: expect.any(String) });
      await http().post(`/api/v1/sanctions/false-positives/${id}/approve`).set(SECOND_SUPERVISOR).expect(409);

      const clearedTrade = trade(counterparty);
      const cleared = await screened(clearedTrade);
      expect(cleared.outcome).toBe('CLEARED');
      // The suppressed hit stays in the decision's evidence, holding nothing.
      expect(cleared.alerts).toEqual([
        expect.objectContaining({ rule: 'SANCTIONS', severity: 'MEDIUM', details: expect.objectContaining({ source, entryId: 'E-1', listVersion: 'v1', suppressedByFalsePositive: id }) }),
      ]);

      // The decision's audit record names the list versions it was screened against.
      const decided = await http().get(`/api/v1/audit?entityId=${clearedTrade.tradeId}`).set(AUDITOR).expect(200);
      expect(decided.body.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ action: 'decision.cleared', after: expect.objectContaining({ screenedAgainst: expect.arrayContaining([{ source, version: 'v1' }]) }) })]),
      );

      const listed = await http().get('/api/v1/sanctions/false-positives?status=APPROVED&limit=500').set(AUDITOR).expect(200);
      expect(listed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ falsePositiveId: id, status: 'APPROVED' })]));
      const trail = await http().get(`/api/v1/audit?entityId=${counterparty.lei}`).set(AUDITOR).expect(200);
      expect(trail.body.items.map((r: { action: string }) => r.action)).toEqual(expect.arrayContaining(['sanctions-false-positive.proposed', 'sanctions-false-positive.approved']));

      // The counterparty's names change: the decision no longer covers it, the open cleared trade is held.
      await upsertCounterparty({ ...counterparty, aliases: [`${listedName} Holdings`] });
      const reheld = await decisionOf(clearedTrade.tradeId, 'HELD');
      expect(reheld.alerts).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'SANCTIONS', severity: 'HIGH', status: 'OPEN', details: expect.objectContaining({ entryId: 'E-1' }) })]));
      expect((await screened(trade({ ...counterparty }))).outcome).toBe('HELD');
    });
  });

  describe('list loads that remove many entries', () => {
    const source = `TEST-GUARD-${randomUUID().slice(0, 8)}`;
    const entries = Array.from({ length: 20 }, (_, i) => entry(`E-${i}`, `${word()} ${word()}`));
    const currentVersion = async () => (await db.query('select version from sanctions_lists where source = $1', [source]))[0]?.version;

    beforeAll(async () => {
      await http().post('/api/v1/sanctions-lists').set(OPS).send({ source, version: 'v1', entries }).expect(201);
    });

    it('loads a version that removes no more than the share (10 %) at once', async () => {
      const loaded = await http()
        .post('/api/v1/sanctions-lists')
        .set(OPS)
        .send({ source, version: 'v2', entries: entries.slice(2) })
        .expect(201);
      expect(loaded.body).toMatchObject({ version: 'v2', loaded: true });
      expect(await currentVersion()).toBe('v2');
    });

    it('holds a load that removes most entries until a second supervisor approves it', async () => {
      const held = await http()
        .post('/api/v1/sanctions-lists')
        .set(SUPERVISOR)
        .send({ source, version: 'v3', entries: entries.slice(2, 4) })
        .expect(202);
      expect(held.body.pending).toMatchObject({ source, version: 'v3', currentVersion: 'v2', currentCount: 18, removedCount: 16, entryCount: 2, status: 'PENDING', proposedBy: 'dev-supervisor' });
      const loadId = held.body.pending.loadId;
      expect(await currentVersion()).toBe('v2');
      const pending = await http().get('/api/v1/sanctions-lists/loads?status=PENDING&limit=500').set(AUDITOR).expect(200);
      expect(pending.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ loadId, status: 'PENDING' })]));

      await http().post(`/api/v1/sanctions-lists/loads/${loadId}/approve`).set(SUPERVISOR).expect(403);
      expect(await currentVersion()).toBe('v2');
      const approved = await http().post(`/api/v1/sanctions-lists/loads/${loadId}/approve`).set(SECOND_SUPERVISOR).expect(200);
      expect(approved.body).toMatchObject({ source, version: 'v3', entryCount: 2, loaded: true, load: expect.objectContaining({ status: 'APPROVED' }) });
      expect(await currentVersion()).toBe('v3');
      const trail = await http().get(`/api/v1/audit?entityId=${source}`).set(AUDITOR).expect(200);
      expect(trail.body.items.map((r: { action: string }) => r.action)).toEqual(expect.arrayContaining(['sanctions-list.load-pending', 'sanctions-list.load-approved', 'sanctions-list.loaded']));
    });

    it('holds an empty list too, and a declined load leaves the current version', async () => {
      const held = await http().post('/api/v1/sanctions-lists').set(OPS).send({ source, version: 'v4', entries: [] }).expect(202);
      expect(held.body.pending).toMatchObject({ version: 'v4', removedCount: 2, entryCount: 0 });
      await http().post(`/api/v1/sanctions-lists/loads/${held.body.pending.loadId}/decline`).set(SUPERVISOR).expect(200);
      await http().post(`/api/v1/sanctions-lists/loads/${held.body.pending.loadId}/approve`).set(SECOND_SUPERVISOR).expect(409);
      expect(await currentVersion()).toBe('v3');
    });
  });
});
