import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventTypes, Topics, toHeaders, sourceFor } from '@postrade/contracts';
import { validateIsin } from '@postrade/kernel';
import { kafkaConnectionFromEnv, KafkajsEventPublisher, type KafkaConnection } from '@postrade/messaging';
import { configureApp } from '@postrade/platform';
import { eventually } from '@postrade/testing';
import { SETTLEMENT_NON_JSON_ROUTES } from '../src/api/status-messages.controller';
import { SettlementModule } from '../src/settlement.module';

// The settlement service under test with the real Postgres and Kafka, and the trades, upstream
// events and reads its integration specs share (one copy instead of one per spec).

export const OPS = { Authorization: 'Bearer dev-ops' };
export const CUSTODIAN = { Authorization: 'Bearer dev-custodian' };
export const OUR_LEI = '529900T8BM49AURSDO55';
export const SSI_OURS = { lei: OUR_LEI, settlementMarket: 'EU', currency: 'EUR', agentBic: 'DEUTDEFFXXX', safekeepingAccount: 'SK-OURS', cashAccount: 'C-OURS', placeOfSettlement: 'DAKVDEFFXXX' };

/** An ISIN of this run's own (valid check digit), for data that outlives a run, such as reference prices. */
export function freshIsin(): string {
  const body = `XS${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
  return [...'0123456789'].map((d) => body + d).find((isin) => validateIsin(isin) === null)!;
}

/** A counterparty of its own per test, so that lists and netting keys never mix tests. */
export function counterpartyLei(): string {
  return `TEST${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}00`;
}

export function trade(overrides: Record<string, unknown> = {}) {
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
export type Trade = ReturnType<typeof trade>;

/** Starts the settlement module for the enclosing describe (beforeAll/afterAll) and returns its app, database, Kafka connection and the shared steps. */
export function settlementHarness() {
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

  return {
    get app() {
      return app;
    },
    get db() {
      return db;
    },
    get kafka() {
      return kafka;
    },
    http,
    publish,
    captured,
    match,
    decision,
    gateOf,
    instructionOf,
    instruction,
    outboxTypes,
    instructedTrade,
  };
}
