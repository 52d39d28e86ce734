import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventTypes, instructionReference, Topics, toHeaders, sourceFor } from '@postrade/contracts';
import { kafkaConnectionFromEnv, KafkajsEventPublisher, type KafkaConnection } from '@postrade/messaging';
import { configureApp } from '@postrade/platform';
import { eventually } from '@postrade/testing';
import { SETTLEMENT_NON_JSON_ROUTES } from '../src/api/status-messages.controller';
import { SettlementModule } from '../src/settlement.module';

const OPS = { Authorization: 'Bearer dev-ops' };
const CUSTODIAN = { Authorization: 'Bearer dev-custodian' };
const OUR_LEI = '529900T8BM49AURSDO55';
const OUR_BIC = 'DEUTDEFFXXX';
const SSI_OURS = { lei: OUR_LEI, settlementMarket: 'EU', currency: 'EUR', agentBic: OUR_BIC, safekeepingAccount: 'SK-OURS', cashAccount: 'C-OURS', placeOfSettlement: 'DAKVDEFFXXX' };
const FIXTURES = join(__dirname, 'fixtures/iso20022');

/** Issue 17: settlement agrees with the depository (custodian messages, status and amounts). */
describe('settlement agrees with the depository', () => {
  let app: INestApplication;
  let kafka: KafkaConnection;
  let publisher: KafkajsEventPublisher;
  let db: DataSource;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [SettlementModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app, { nonJsonBodyRoutes: SETTLEMENT_NON_JSON_ROUTES });
    await app.init();
    db = app.get(DataSource);
    kafka = kafkaConnectionFromEnv('settlement-depository-test');
    publisher = new KafkajsEventPublisher(kafka);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await app?.close();
  });

  const http = () => request(app.getHttpServer());
  const counterpartyLei = () => `TEST${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}00`;

  function trade(overrides: Record<string, unknown> = {}) {
    const cp = counterpartyLei();
    const { ours, ...rest } = overrides as Record<string, unknown> & { ours?: typeof SSI_OURS };
    return {
      tradeId: randomUUID(),
      sourceSystem: 'OMS1',
      sourceTradeId: `T-${randomUUID()}`,
      version: 1,
      status: 'CAPTURED',
      tradeDate: '2026-11-24',
      executionTime: '2026-11-24T10:00:00.000Z',
      side: 'BUY',
      isin: 'DE0007164600',
      quantity: '1000',
      price: '100.00',
      currency: 'EUR',
      grossAmount: '100000.00',
      accruedInterest: '0.00',
      accruedDays: 0,
      commission: '0',
      fees: '0',
      netAmount: '100000.00',
      settlementDate: '2026-11-26',
      settlementCycle: 'T+2',
      settlementMarket: 'EU',
      settlementType: 'DVP',
      book: 'EQ1',
      instrument: { description: 'SAP SE', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
      counterparty: { lei: cp, name: 'Broker A', bic: 'CHASDEFXXXX', country: 'DE' },
      legalEntity: { lei: OUR_LEI, name: 'Our Fund', bic: OUR_BIC },
      ssis: { ours: ours ?? SSI_OURS, theirs: { ...SSI_OURS, lei: cp, agentBic: 'CHASDEFXXXX', safekeepingAccount: 'SK-THEIRS', cashAccount: 'C-THEIRS' } },
      exceptions: [],
      cancelReason: null,
      createdAt: '2026-11-24T10:00:01.000Z',
      updatedAt: '2026-11-24T10:00:01.000Z',
      ...rest,
    };
  }
  type Trade = ReturnType<typeof trade>;

  async function publish(topic: string, type: string, key: string, data: object): Promise<void> {
    const headers = toHeaders({ id: randomUUID(), source: sourceFor(topic), type, time: new Date().toISOString(), subject: key, data });
    await publisher.send([{ topic, key, value: JSON.stringify(data), headers }]);
  }
  const matched = (t: Trade, status: 'MATCHED' | 'AFFIRMED') =>
    publish(Topics.matchingResults, status === 'AFFIRMED' ? EventTypes.matchAffirmed : EventTypes.matchMatched, t.tradeId, {
      tradeId: t.tradeId, confirmationId: 'CP-1', senderLei: t.counterparty.lei, status, breaks: [], profile: 'default', updatedAt: new Date().toISOString(),
    });

  async function instructedTrade(overrides: Record<string, unknown> = {}): Promise<{ trade: Trade; instructionId: string }> {
    const t = trade(overrides);
    await publish(Topics.tradeCaptureTrades, EventTypes.tradeCaptured, t.tradeId, t);
    await matched(t, 'MATCHED');
    await matched(t, 'AFFIRMED');
    await publish(Topics.complianceDecisions, 'postrade.compliance.cleared.v1', t.tradeId, { tradeId: t.tradeId, tradeVersion: t.version, outcome: 'CLEARED', alerts: [] });
    const gate = await eventually(
      async () => {
        const res = await http().get(`/api/v1/trades/${t.tradeId}`).set(OPS);
        return res.status === 200 ? (res.body as { instructionId: string | null }) : null;
      },
      (g) => g?.instructionId != null,
      // Generous: the first test may wait for the service's consumers to join their groups.
      60_000,
      `instruction for ${t.tradeId}`,
    );
    return { trade: t, instructionId: gate!.instructionId! };
  }
  const instruction = async (id: string) => (await http().get(`/api/v1/instructions/${id}`).set(OPS).expect(200)).body;
  const sese025For = (instructionId: string, quantity: string, amount: string, date = '2024-07-17') =>
    readFileSync(join(FIXTURES, 'sese.025.001.09_T2S_confirmation_prowide.xml'), 'utf8')
      .replace('<AcctOwnrTxId>FOO</AcctOwnrTxId>', `<AcctOwnrTxId>${instructionReference(instructionId)}</AcctOwnrTxId>`)
      .replace('<Unit>0</Unit>', `<Unit>${quantity}</Unit>`)
      .replace('<Amt Ccy="EUR">1</Amt>', `<Amt Ccy="EUR">${amount}</Amt>`)
      .replace('2024-07-17T07:26:04.207459', `${date}T07:26:04.207459`)
      .replace('<BizMsgIdr>1423905641002</BizMsgIdr>', `<BizMsgIdr>${randomUUID()}</BizMsgIdr>`);
  const sentBy = async (instructionId: string): Promise<{ update_id: string; sent_by: string | null }[]> =>
    db.query('select update_id, sent_by from status_updates where instruction_id = $1 order by update_id', [instructionId]);

  describe('a status update is effective neither in the future nor before the trade date', () => {
    it('refuses over REST a SETTLED dated 2099-01-01, and one dated before the trade date, naming effectiveDate; a date in range settles', async () => {
      const { instructionId } = await instructedTrade();
      const future = await http()
        .post(`/api/v1/instructions/${instructionId}/status-updates`)
        .set(CUSTODIAN)
        .send({ updateId: 'EFF-1', status: 'SETTLED', effectiveDate: '2099-01-01' })
        .expect(422);
      expect(future.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(future.body.errors).toEqual([expect.objectContaining({ field: 'effectiveDate' })]);
      expect(future.body.detail).toContain('in the future');

      const early = await http()
        .post(`/api/v1/instructions/${instructionId}/status-updates`)
        .set(CUSTODIAN)
        .send({ updateId: 'EFF-2', status: 'SETTLED', effectiveDate: '2026-11-23' })
        .expect(422);
      expect(early.body.errors).toEqual([expect.objectContaining({ field: 'effectiveDate' })]);
      expect(early.body.detail).toContain('before the trade date 2026-11-24');
      expect(await instruction(instructionId)).toMatchObject({ settlementStatus: 'PENDING', settledQuantity: '0' });

      // The refused ids stay free: the corrected update applies.
      const settled = await http()
        .post(`/api/v1/instructions/${instructionId}/status-updates`)
        .set(CUSTODIAN)
        .send({ updateId: 'EFF-1', status: 'SETTLED', effectiveDate: '2026-11-26' })
        .expect(200);
      expect(settled.body).toMatchObject({ settlementStatus: 'SETTLED', settledQuantity: '1000' });
    });

    it('dead-letters a Kafka update dated in the future with the reason, and leaves the instruction unsettled', async () => {
      const { instructionId } = await instructedTrade();
      await publish(Topics.settlementStatusInbound, EventTypes.settlementStatusReported, instructionId, {
        instructionId, updateId: 'K-EFF-FUTURE', status: 'SETTLED', effectiveDate: '2099-01-01',
      });
      const letter = await eventually(
        async () => {
          const letters: { key: string; error: string }[] = [];
          for (let cursor: string | null = null, first = true; first || cursor; first = false) {
            const page: { items: { key: string; error: string }[]; nextCursor: string | null } = (
              await http().get(`/api/v1/dead-letters?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).set(OPS).expect(200)
            ).body;
            letters.push(...page.items);
            cursor = page.nextCursor;
          }
          return letters.find((l) => l.key === instructionId);
        },
        (found) => found !== undefined,
        30_000,
        'dead letter',
      );
      expect(letter!.error).toContain('2099-01-01 is in the future');
      expect(await instruction(instructionId)).toMatchObject({ settlementStatus: 'PENDING', settledQuantity: '0' });
    });

    it('refuses an ISO 20022 sese.025 whose effective settlement date is in the future', async () => {
      const { instructionId } = await instructedTrade({ isin: 'NL0000009165', quantity: '250', netAmount: '1234.56', tradeDate: '2024-07-15' });
      const message = (date: string) => sese025For(instructionId, '250', '1234.56', date);
      const res = await http().post('/api/v1/status-messages').set(CUSTODIAN).set('Content-Type', 'application/xml').send(message('2099-01-01')).expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'effectiveDate' })]);
      expect(await instruction(instructionId)).toMatchObject({ settlementStatus: 'PENDING', settledQuantity: '0' });
      const ok = await http().post('/api/v1/status-messages').set(CUSTODIAN).set('Content-Type', 'application/xml').send(message('2024-07-17')).expect(200);
      expect(ok.body.instruction).toMatchObject({ settlementStatus: 'SETTLED', settledQuantity: '250' });
    });
  });

  describe('custodian keys bound to the agent they speak for', () => {
    const BOUND = { Authorization: `Bearer dev-custodian-${OUR_BIC}` };
    const OTHER_AGENT = 'COBADEFFXXX';

    it('reaches only instructions whose own-side SSI names its agent (others are 404), and records which key sent each update', async () => {
      const ours = await instructedTrade();
      const other = await instructedTrade({ ours: { ...SSI_OURS, agentBic: OTHER_AGENT } });

      // Reading: its own agent's instruction, not the other one, which it cannot tell from an unknown id.
      expect((await http().get(`/api/v1/instructions/${ours.instructionId}`).set(BOUND).expect(200)).body.instructionId).toBe(ours.instructionId);
      const hidden = await http().get(`/api/v1/instructions/${other.instructionId}`).set(BOUND).expect(404);
      const unknown = await http().get(`/api/v1/instructions/${randomUUID()}`).set(BOUND).expect(404);
      expect(hidden.body.title).toBe(unknown.body.title);
      // Listing: only its agent's.
      const listed = async (key: Record<string, string>, lei: string) =>
        ((await http().get(`/api/v1/instructions?counterpartyLei=${lei}`).set(key).expect(200)).body.items as { instructionId: string }[]).map((i) => i.instructionId);
      expect(await listed(BOUND, ours.trade.counterparty.lei)).toEqual([ours.instructionId]);
      expect(await listed(BOUND, other.trade.counterparty.lei)).toEqual([]);
      expect(await listed(CUSTODIAN, other.trade.counterparty.lei)).toEqual([other.instructionId]);

      // Updating: JSON and ISO 20022 for the other agent's instruction are 404 and change nothing.
      await http().post(`/api/v1/instructions/${other.instructionId}/status-updates`).set(BOUND).send({ updateId: 'B-1', status: 'MATCHED' }).expect(404);
      const otherXml = await instructedTrade({ ours: { ...SSI_OURS, agentBic: OTHER_AGENT }, isin: 'NL0000009165', quantity: '250', netAmount: '1234.56', tradeDate: '2024-07-15' });
      await http().post('/api/v1/status-messages').set(BOUND).set('Content-Type', 'application/xml').send(sese025For(otherXml.instructionId, '250', '1234.56')).expect(404);
      expect(await instruction(other.instructionId)).toMatchObject({ matchingStatus: 'UNMATCHED' });
      expect(await instruction(otherXml.instructionId)).toMatchObject({ settlementStatus: 'PENDING' });
      expect(await sentBy(other.instructionId)).toEqual([]);

      // Its own agent's instruction: applied, and the key recorded with the update and in the history.
      await http().post(`/api/v1/instructions/${ours.instructionId}/status-updates`).set(BOUND).send({ updateId: 'B-1', status: 'MATCHED' }).expect(200);
      // The unbound dev-custodian still reaches every agent.
      await http().post(`/api/v1/instructions/${other.instructionId}/status-updates`).set(CUSTODIAN).send({ updateId: 'U-1', status: 'MATCHED' }).expect(200);
      await publish(Topics.settlementStatusInbound, EventTypes.settlementStatusReported, ours.instructionId, {
        instructionId: ours.instructionId, updateId: 'K-1', status: 'SETTLED', effectiveDate: '2026-11-26',
      });
      await eventually(() => instruction(ours.instructionId), (i) => i.settlementStatus === 'SETTLED', 30_000, 'settled from Kafka');

      expect(await sentBy(ours.instructionId)).toEqual([
        { update_id: 'B-1', sent_by: `dev-custodian-${OUR_BIC}` },
        { update_id: 'K-1', sent_by: 'kafka:custodian-gateway' },
      ]);
      expect(await sentBy(other.instructionId)).toEqual([{ update_id: 'U-1', sent_by: 'dev-custodian' }]);
      const history = (await instruction(ours.instructionId)).history as { event: string; details: Record<string, unknown> }[];
      expect(history.filter((h) => h.event.startsWith('custodian reported')).map((h) => [h.details.updateId, h.details.sentBy])).toEqual([
        ['B-1', `dev-custodian-${OUR_BIC}`],
        ['K-1', 'kafka:custodian-gateway'],
      ]);
    });
  });

  describe('the failing party and the MT548 reason code agree', () => {
    it('refuses our failing with the counterparty CLAC (422 naming reasonCode), and a settled instruction no longer shows the fail as current', async () => {
      const { instructionId } = await instructedTrade();
      const post = (body: object) => http().post(`/api/v1/instructions/${instructionId}/status-updates`).set(CUSTODIAN).send(body);
      const contradiction = await post({ updateId: 'F-1', status: 'FAILED', failingParty: 'US', reasonCode: 'CLAC' }).expect(422);
      expect(contradiction.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(contradiction.body.errors).toEqual([expect.objectContaining({ field: 'reasonCode' })]);
      expect(await instruction(instructionId)).toMatchObject({ settlementStatus: 'PENDING', failingParty: null, failReasonCode: null });

      await post({ updateId: 'F-1', status: 'FAILED', failingParty: 'US', reasonCode: 'LACK' }).expect(200);
      expect(await instruction(instructionId)).toMatchObject({ settlementStatus: 'FAILING', failingParty: 'US', failReasonCode: 'LACK' });
      const settled = (await post({ updateId: 'S-1', status: 'SETTLED', effectiveDate: '2026-11-27' }).expect(200)).body;
      expect(settled).toMatchObject({ settlementStatus: 'SETTLED', failingParty: null, failReasonCode: null });
      // The history keeps who failed and why.
      expect((settled.history as { event: string; details: Record<string, unknown> }[]).find((h) => h.event === 'custodian reported FAILED')?.details).toMatchObject({
        failingParty: 'US',
        reasonCode: 'LACK',
      });
    });
  });

  describe("a SETTLED at the depository's amount", () => {
    it('is accepted within the matching tolerance at their amount with the difference shown, and refused beyond it', async () => {
      const { instructionId } = await instructedTrade();
      const post = (body: object) => http().post(`/api/v1/instructions/${instructionId}/status-updates`).set(CUSTODIAN).send(body);
      const beyond = await post({ updateId: 'S-1', status: 'SETTLED', settledAmount: '100002.01', effectiveDate: '2026-11-26' }).expect(422);
      expect(beyond.body.errors).toEqual([expect.objectContaining({ field: 'settledAmount' })]);

      const settled = (await post({ updateId: 'S-1', status: 'SETTLED', settledAmount: '100001.50', effectiveDate: '2026-11-26' }).expect(200)).body;
      expect(settled).toMatchObject({ settlementStatus: 'SETTLED', settlementAmount: '100000.00', settledAmount: '100001.50', settledQuantity: '1000' });
      expect((settled.history as { event: string; details: Record<string, unknown> }[]).find((h) => h.event === 'custodian reported SETTLED')?.details).toMatchObject({
        settledAmount: '100001.50',
        ourAmount: '100000.00',
        amountDifference: '1.50',
      });
      const [event] = await db.query('select payload from outbox where message_key = $1 and event_type = $2', [instructionId, EventTypes.settlementSettled]);
      expect(JSON.parse(event.payload).change).toMatchObject({ settledAmount: '100001.50', reason: expect.stringContaining('1.50 against ours 100000.00') });
    });
  });

  describe('a PENDING instruction picks up amended terms', () => {
    it('takes the amended settlement date, side and amounts before it is instructed, and renders and lists only the new terms', async () => {
      const t = trade({ ssis: { ours: SSI_OURS, theirs: null } });
      await publish(Topics.tradeCaptureTrades, EventTypes.tradeCaptured, t.tradeId, t);
      await matched(t, 'AFFIRMED');
      await publish(Topics.complianceDecisions, 'postrade.compliance.cleared.v1', t.tradeId, { tradeId: t.tradeId, tradeVersion: 1, outcome: 'CLEARED', alerts: [] });
      const gateOf = async () => {
        const res = await http().get(`/api/v1/trades/${t.tradeId}`).set(OPS);
        return res.status === 200 ? (res.body as { instructionId: string | null }) : null;
      };
      const instructionId = (await eventually(gateOf, (g) => g?.instructionId != null, 60_000, 'pending instruction'))!.instructionId!;
      expect(await instruction(instructionId)).toMatchObject({ processingStatus: 'PENDING', pendingReason: 'SSI_MISSING', direction: 'RECEIVE', intendedSettlementDate: '2026-11-26' });

      const amended = { ...t, version: 2, status: 'AMENDED', side: 'SELL', quantity: '800', netAmount: '79900.00', grossAmount: '80000.00', settlementDate: '2026-11-27' };
      await publish(Topics.tradeCaptureTrades, EventTypes.tradeAmended, t.tradeId, { ...amended, previous: t });
      await matched(amended, 'AFFIRMED');
      await publish(Topics.complianceDecisions, 'postrade.compliance.cleared.v1', t.tradeId, { tradeId: t.tradeId, tradeVersion: 2, outcome: 'CLEARED', alerts: [] });
      const newTerms = { direction: 'DELIVER', quantity: '800', settlementAmount: '79900.00', intendedSettlementDate: '2026-11-27' };
      const updated = await eventually(() => instruction(instructionId), (i) => i.quantity === '800', 60_000, 'terms updated');
      expect(updated).toMatchObject({ ...newTerms, processingStatus: 'PENDING' });
      expect((await gateOf())!.instructionId).toBe(instructionId);

      // The SSI arrives: instructed with the amended terms, as listed and as rendered.
      const theirs = { ...SSI_OURS, lei: t.counterparty.lei, agentBic: 'CHASDEFXXXX', safekeepingAccount: 'SK-THEIRS', cashAccount: 'C-THEIRS' };
      await publish(Topics.tradeCaptureTrades, EventTypes.tradeEnriched, t.tradeId, { ...amended, ssis: { ours: SSI_OURS, theirs } });
      const done = await eventually(() => instruction(instructionId), (i) => i.processingStatus === 'INSTRUCTED', 60_000, 'instructed');
      expect(done).toMatchObject(newTerms);
      const listed = (await http().get(`/api/v1/instructions?counterpartyLei=${t.counterparty.lei}`).set(OPS).expect(200)).body.items;
      expect(listed).toEqual([expect.objectContaining({ instructionId, ...newTerms })]);
      expect((await http().get(`/api/v1/instructions?counterpartyLei=${t.counterparty.lei}&isd=2026-11-26`).set(OPS).expect(200)).body.items).toEqual([]);
      const xml = (await http().get(`/api/v1/instructions/${instructionId}/sese023`).set(OPS).expect(200)).text;
      expect(xml).toContain('2026-11-27');
      expect(xml).not.toContain('2026-11-26');
      expect(xml).toContain('<SctiesMvmntTp>DELI</SctiesMvmntTp>');
      expect(xml).toContain('79900');
    });
  });
});
