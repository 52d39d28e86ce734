import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventTypes, instructionReference, Topics, toHeaders, sourceFor } from '@postrade/contracts';
import { validateIsin, validateLei } from '@postrade/kernel';
import { kafkaConnectionFromEnv, KafkajsEventPublisher, type KafkaConnection } from '@postrade/messaging';
import { configureApp } from '@postrade/platform';
import { eventually } from '@postrade/testing';
import { SETTLEMENT_NON_JSON_ROUTES } from '../src/api/status-messages.controller';
import { SettlementModule } from '../src/settlement.module';

const OPS = { Authorization: 'Bearer dev-ops' };
const CUSTODIAN = { Authorization: 'Bearer dev-custodian' };
const OUR_LEI = '529900T8BM49AURSDO55';
const SSI_OURS = { lei: OUR_LEI, settlementMarket: 'EU', currency: 'EUR', agentBic: 'DEUTDEFFXXX', safekeepingAccount: 'SK-OURS', cashAccount: 'C-OURS', placeOfSettlement: 'DAKVDEFFXXX' };

describe('settlement: the custodian message cycle (issue 17), against real Postgres and Kafka', () => {
  let app: INestApplication;
  let db: DataSource;
  let kafka: KafkaConnection;
  let publisher: KafkajsEventPublisher;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [SettlementModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app, { nonJsonBodyRoutes: SETTLEMENT_NON_JSON_ROUTES });
    await app.init();
    db = app.get(DataSource);
    kafka = kafkaConnectionFromEnv('settlement-test');
    publisher = new KafkajsEventPublisher(kafka);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await app?.close();
  });

  const http = () => request(app.getHttpServer());

  /** An ISIN of this run's own (valid check digit), for data that outlives a run, such as reference prices. */
  function freshIsin(): string {
    const body = `XS${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
    return [...'0123456789'].map((d) => body + d).find((isin) => validateIsin(isin) === null)!;
  }

  /** A counterparty of its own per test, so that lists and netting keys never mix tests. */
  function counterpartyLei(): string {
    return `TEST${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}00`;
  }

  function trade(overrides: Record<string, unknown> = {}) {
    const cp = (overrides.counterpartyLei as string) ?? counterpartyLei();
    const { counterpartyLei: _cp, theirSsi, ...rest } = overrides as Record<string, unknown> & { theirSsi?: unknown };
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
      legalEntity: { lei: OUR_LEI, name: 'Our Fund', bic: 'DEUTDEFFXXX' },
      ssis: {
        ours: SSI_OURS,
        theirs: theirSsi === undefined ? { ...SSI_OURS, lei: cp, agentBic: 'CHASDEFXXXX', safekeepingAccount: 'SK-THEIRS', cashAccount: 'C-THEIRS' } : theirSsi,
      },
      exceptions: [],
      cancelReason: null,
      createdAt: '2026-11-24T10:00:01.000Z',
      updatedAt: '2026-11-24T10:00:01.000Z',
      ...rest,
    };
  }
  type Trade = ReturnType<typeof trade>;

  async function publish(topic: string, type: string, key: string, data: object): Promise<string> {
    const id = randomUUID();
    const headers = toHeaders({ id, source: sourceFor(topic), type, time: new Date().toISOString(), subject: key, data });
    await publisher.send([{ topic, key, value: JSON.stringify(data), headers }]);
    return id;
  }
  const captured = (t: Trade) => publish(Topics.tradeCaptureTrades, EventTypes.tradeCaptured, t.tradeId, t);
  const match = (t: Trade, status: 'MATCHED' | 'AFFIRMED' | 'MISMATCHED', type = status === 'AFFIRMED' ? EventTypes.matchAffirmed : EventTypes.matchMatched) =>
    publish(Topics.matchingResults, type, t.tradeId, { tradeId: t.tradeId, confirmationId: 'CP-1', senderLei: t.counterparty.lei, status, breaks: [], profile: 'default', updatedAt: new Date().toISOString() });
  const decision = (t: Trade, outcome: 'CLEARED' | 'HELD' | 'RELEASED' | 'REJECTED') =>
    publish(Topics.complianceDecisions, `postrade.compliance.${outcome.toLowerCase()}.v1`, t.tradeId, { tradeId: t.tradeId, tradeVersion: t.version, outcome, alerts: [] });

  async function gateOf(tradeId: string): Promise<{ instructionId: string | null; gate: { kind: string; waitingFor?: string[] } } | null> {
    const res = await http().get(`/api/v1/trades/${tradeId}`).set(OPS);
    return res.status === 200 ? res.body : null;
  }
  const instructionOf = async (tradeId: string) =>
    (await eventually(() => gateOf(tradeId), (g) => g?.instructionId != null, 30_000, `instruction for ${tradeId}`))!.instructionId!;
  const instruction = async (id: string) => (await http().get(`/api/v1/instructions/${id}`).set(OPS).expect(200)).body;
  const outboxTypes = async (instructionId: string): Promise<string[]> =>
    (await db.query('select event_type from outbox where message_key = $1 order by position', [instructionId])).map((r: { event_type: string }) => r.event_type);

  /** A trade that is captured, affirmed and cleared, and the instruction that settles it. */
  async function instructedTrade(overrides: Record<string, unknown> = {}): Promise<{ trade: Trade; instructionId: string }> {
    const t = trade(overrides);
    await captured(t);
    await match(t, 'MATCHED');
    await match(t, 'AFFIRMED');
    await decision(t, 'CLEARED');
    return { trade: t, instructionId: await instructionOf(t.tradeId) };
  }

  const outbound = async (instructionId: string): Promise<{ type: string; data: any }[]> =>
    (await db.query(`select event_type, payload from outbox where message_key = $1 and topic = $2 order by position`, [instructionId, Topics.settlementInstructionsOutbound])).map(
      (r: { event_type: string; payload: unknown }) => ({ type: r.event_type, data: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload }),
    );
  const report = (instructionId: string, body: Record<string, unknown>) =>
    http().post(`/api/v1/instructions/${instructionId}/status-updates`).set(CUSTODIAN).send({ updateId: `U-${randomUUID()}`, ...body });

  describe('a party hold reaches the custodian', () => {
    it('sends a sese.030 HOLD, records its confirmation, and records a settlement of the held instruction as a fact with an exception for operations', async () => {
      const { trade: t, instructionId } = await instructedTrade();
      await report(instructionId, { status: 'ACKNOWLEDGED' }).expect(200);
      await decision(t, 'HELD');
      const held = await eventually(() => instruction(instructionId), (i) => i.holds.includes('PARTY_HOLD'), 30_000, 'party hold');
      expect(held.custodian.hold).toBe('REQUESTED');
      const requests = (await outbound(instructionId)).filter((e) => e.type === EventTypes.settlementHoldRequest);
      expect(requests).toHaveLength(1);
      expect(requests[0].data.request).toMatchObject({ action: 'HOLD' });
      expect(requests[0].data.sese030).toContain('sese.030');
      expect(requests[0].data.sese030).toContain(instructionReference(instructionId));

      const confirmed = (await report(instructionId, { status: 'HOLD_CONFIRMED' }).expect(200)).body;
      expect(confirmed.custodian.hold).toBe('CONFIRMED');

      // The depository settles it anyway: the fact wins (not a 422), the ledger gets its event, operations an exception.
      const settled = (await report(instructionId, { status: 'SETTLED', effectiveDate: '2026-11-26' }).expect(200)).body;
      expect(settled.settlementStatus).toBe('SETTLED');
      expect(settled.exceptions).toEqual([expect.objectContaining({ code: 'SETTLED_WHILE_HELD' })]);
      expect(await outboxTypes(instructionId)).toContain(EventTypes.settlementSettled);
    });

    it('sends the release as a sese.030 RELEASE when compliance releases the trade, and records its confirmation', async () => {
      const { trade: t, instructionId } = await instructedTrade();
      await decision(t, 'HELD');
      await eventually(() => instruction(instructionId), (i) => i.holds.includes('PARTY_HOLD'), 30_000, 'party hold');
      await decision(t, 'RELEASED');
      const released = await eventually(() => instruction(instructionId), (i) => i.holds.length === 0, 30_000, 'release');
      expect(released.custodian.hold).toBe('RELEASE_REQUESTED');
      const actions = (await outbound(instructionId)).filter((e) => e.type === EventTypes.settlementHoldRequest).map((e) => e.data.request.action);
      expect(actions).toEqual(['HOLD', 'RELEASE']);
      expect((await report(instructionId, { status: 'RELEASE_CONFIRMED' }).expect(200)).body.custodian.hold).toBeNull();
    });
  });

  describe('cancel and replace', () => {
    const amended = (t: Trade, quantity: string) => {
      const v2 = { ...t, version: 2, quantity, grossAmount: '80000.00', netAmount: '80000.00' };
      return { v2, sent: publish(Topics.tradeCaptureTrades, EventTypes.tradeAmended, t.tradeId, v2) };
    };

    it('sends a sese.020 for an instruction the custodian has and holds the replacement back until the cancellation is confirmed', async () => {
      const { trade: t, instructionId: old } = await instructedTrade();
      await report(old, { status: 'ACKNOWLEDGED' }).expect(200);
      const { v2, sent } = amended(t, '800');
      await sent;
      await publish(Topics.complianceDecisions, EventTypes.complianceCleared, t.tradeId, { tradeId: t.tradeId, tradeVersion: v2.version, outcome: 'CLEARED', alerts: [] });
      const cancelled = await eventually(() => instruction(old), (i) => i.processingStatus === 'CANCELLED', 30_000, 'old cancelled');
      expect(cancelled.custodian.cancellation).toBe('REQUESTED');
      const cancelRequests = (await outbound(old)).filter((e) => e.type === EventTypes.settlementCancellationRequest);
      expect(cancelRequests).toHaveLength(1);
      expect(cancelRequests[0].data.sese020).toContain(instructionReference(old));

      const replacementId = await eventually(() => gateOf(t.tradeId), (g) => g?.instructionId != null && g.instructionId !== old, 30_000, 'replacement');
      const replacement = await instruction(replacementId!.instructionId!);
      expect(replacement).toMatchObject({ processingStatus: 'PENDING', pendingReason: 'CANCELLATION_PENDING', quantity: '800' });
      expect(replacement.custodian.awaitingCancellationOf).toEqual([old]);
      expect(await outbound(replacement.instructionId)).toEqual([]);

      await report(old, { status: 'CANCELLED' }).expect(200);
      const out = await instruction(replacement.instructionId);
      expect(out).toMatchObject({ processingStatus: 'INSTRUCTED', pendingReason: null });
      expect((await outbound(replacement.instructionId)).map((e) => e.type)).toEqual([EventTypes.settlementInstruction]);
      expect((await instruction(old)).custodian.cancellation).toBe('CONFIRMED');
    });

    it('sends the replacement at once when the old instruction never reached the custodian (no answer on it), and still asks to cancel the old one', async () => {
      const { trade: t, instructionId: old } = await instructedTrade();
      const { v2, sent } = amended(t, '800');
      await sent;
      await publish(Topics.complianceDecisions, EventTypes.complianceCleared, t.tradeId, { tradeId: t.tradeId, tradeVersion: v2.version, outcome: 'CLEARED', alerts: [] });
      const g = await eventually(() => gateOf(t.tradeId), (x) => x?.instructionId != null && x.instructionId !== old, 30_000, 'replacement');
      expect(await instruction(g!.instructionId!)).toMatchObject({ processingStatus: 'INSTRUCTED', quantity: '800' });
      // (A party hold may go out in between, while the amendment awaited its screening.)
      const types = (await outbound(old)).map((e) => e.type).filter((type) => type !== EventTypes.settlementHoldRequest);
      expect(types).toEqual([EventTypes.settlementInstruction, EventTypes.settlementCancellationRequest]);
    });

    it('raises an exception and keeps the replacement back when the custodian refuses the cancellation', async () => {
      const { trade: t, instructionId: old } = await instructedTrade();
      await report(old, { status: 'MATCHED' }).expect(200);
      const { v2, sent } = amended(t, '800');
      await sent;
      await publish(Topics.complianceDecisions, EventTypes.complianceCleared, t.tradeId, { tradeId: t.tradeId, tradeVersion: v2.version, outcome: 'CLEARED', alerts: [] });
      await eventually(() => instruction(old), (i) => i.processingStatus === 'CANCELLED', 30_000, 'old cancelled');
      const refused = (await report(old, { status: 'CANCELLATION_REJECTED', statusReason: 'CANS' }).expect(200)).body;
      expect(refused.custodian.cancellation).toBe('REJECTED');
      expect(refused.exceptions).toEqual([expect.objectContaining({ code: 'CANCELLATION_REJECTED' })]);
      const g = await gateOf(t.tradeId);
      expect(await instruction(g!.instructionId!)).toMatchObject({ processingStatus: 'PENDING', pendingReason: 'CANCELLATION_PENDING' });
    });
  });

  describe('reject, repair, re-send', () => {
    it('re-sends a REJECTED instruction when the SSI it went out with is corrected, without waiting for a trade event', async () => {
      const { trade: t, instructionId: rejected } = await instructedTrade();
      await report(rejected, { status: 'REJECTED', statusReason: 'SAFE' }).expect(200);
      const corrected = { lei: t.counterparty.lei, settlementMarket: 'EU', currency: 'EUR', agentBic: 'CHASDEFXXXX', safekeepingAccount: 'SK-THEIRS-2', cashAccount: 'C-THEIRS', placeOfSettlement: 'DAKVDEFFXXX' };
      await publish(Topics.tradeCaptureReferenceData, EventTypes.ssiUpserted, corrected.lei, corrected);
      const g = await eventually(() => gateOf(t.tradeId), (x) => x?.instructionId != null && x.instructionId !== rejected, 30_000, 're-sent instruction');
      const resent = await instruction(g!.instructionId!);
      expect(resent).toMatchObject({ processingStatus: 'INSTRUCTED', ssis: { theirs: { safekeepingAccount: 'SK-THEIRS-2' } } });
      expect((await outbound(resent.instructionId)).map((e) => e.type)).toEqual([EventTypes.settlementInstruction]);
      expect(await instruction(rejected)).toMatchObject({ processingStatus: 'REJECTED', custodian: { statusReason: 'SAFE' } });
    });

    it('leaves a rejected instruction alone when the SSI stored is the one it already carried', async () => {
      const { trade: t, instructionId: rejected } = await instructedTrade();
      await report(rejected, { status: 'REJECTED' }).expect(200);
      const same = { ...t.ssis.theirs } as Record<string, string>;
      await publish(Topics.tradeCaptureReferenceData, EventTypes.ssiUpserted, same.lei, same);
      // A marker after it on the same key: once the marker is applied, the SSI event was too.
      const marker = { ...same, safekeepingAccount: 'SK-MARKER' };
      const other = await instructedTrade({ counterpartyLei: same.lei });
      await report(other.instructionId, { status: 'REJECTED' }).expect(200);
      await publish(Topics.tradeCaptureReferenceData, EventTypes.ssiUpserted, same.lei, marker);
      await eventually(() => gateOf(other.trade.tradeId), (x) => x?.instructionId !== other.instructionId, 30_000, 'marker applied');
      // The marker corrected both (same counterparty): what matters is that the first was not re-sent before it, by an unchanged SSI.
      const first = (await gateOf(t.tradeId))!.instructionId!;
      expect((await instruction(first)).ssis.theirs.safekeepingAccount).toBe('SK-MARKER');
    });
  });

  describe('pair-offs', () => {
    it('settles trades that net to zero securities as a cash-only instruction that is SETTLED only when the custodian confirms the cash', async () => {
      // A counterparty of this run's own with valid check digits (netting is agreed per LEI), and an ISIN of its own.
      const body = `TEST${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}`;
      const cp = [...Array(100).keys()].map((n) => body + String(n).padStart(2, '0')).find((lei) => validateLei(lei) === null)!;
      const isin = freshIsin();
      await http().put(`/api/v1/netting-agreements/${cp}`).set(OPS).send({ enabled: true }).expect(200);
      const buy = trade({ counterpartyLei: cp, isin, side: 'BUY', netAmount: '100000.00' });
      const sell = trade({ counterpartyLei: cp, isin, side: 'SELL', netAmount: '101000.00', grossAmount: '101000.00', price: '101.00' });
      for (const t of [buy, sell]) {
        await captured(t);
        await match(t, 'MATCHED');
        await match(t, 'AFFIRMED');
        await decision(t, 'CLEARED');
      }
      const net = await eventually(
        async () => {
          const [a, b] = [await gateOf(buy.tradeId), await gateOf(sell.tradeId)];
          return a?.instructionId && a.instructionId === b?.instructionId ? instruction(a.instructionId) : null;
        },
        (i) => i !== null && i.tradeIds.length === 2,
        30_000,
        'net instruction',
      );
      expect(net).toMatchObject({ quantity: '0', settlementAmount: '1000.00', cashDirection: 'RECEIVE', processingStatus: 'INSTRUCTED', settlementStatus: 'PENDING' });
      expect(await outboxTypes(net.instructionId)).not.toContain(EventTypes.settlementSettled);
      const settled = (await report(net.instructionId, { status: 'SETTLED', settledAmount: '1000.00', effectiveDate: '2026-11-26' }).expect(200)).body;
      expect(settled).toMatchObject({ settlementStatus: 'SETTLED', settledQuantity: '0', settledAmount: '1000.00' });
      expect(await outboxTypes(net.instructionId)).toContain(EventTypes.settlementSettled);
    });
  });
});
