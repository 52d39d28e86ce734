import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { validateXML } from 'xmllint-wasm';
import { EventTypes, instructionReference, Topics, toHeaders, sourceFor } from '@postrade/contracts';
import { kafkaConnectionFromEnv, KafkajsEventPublisher, type KafkaConnection } from '@postrade/messaging';
import { configureApp } from '@postrade/platform';
import { eventually } from '@postrade/testing';
import { SETTLEMENT_NON_JSON_ROUTES } from '../src/api/status-messages.controller';
import { SettlementModule } from '../src/settlement.module';

/**
 * Issue 17, the ISO 20022 side of the custodian cycle end to end: what goes out (sese.030,
 * sese.020) is valid against the schema of its version, and the custodian's XML answers (sese.031,
 * sese.027, sese.024, sese.025) posted to /api/v1/status-messages do what their JSON forms do.
 */
const OPS = { Authorization: 'Bearer dev-ops' };
const CUSTODIAN = { Authorization: 'Bearer dev-custodian' };
const OUR_LEI = '529900T8BM49AURSDO55';
const SSI_OURS = { lei: OUR_LEI, settlementMarket: 'EU', currency: 'EUR', agentBic: 'DEUTDEFFXXX', safekeepingAccount: 'SK-OURS', cashAccount: 'C-OURS', placeOfSettlement: 'DAKVDEFFXXX' };
const FIXTURES = join(__dirname, 'fixtures/iso20022');
const XSD = join(__dirname, '../data/iso20022/xsd');

async function schemaErrors(version: string, xml: string, element: 'Document' | 'AppHdr'): Promise<string[]> {
  const start = xml.indexOf(`<${element}`);
  const part = xml.slice(start, xml.lastIndexOf(`</${element}>`) + `</${element}>`.length);
  const schema = { fileName: `${version}.xsd`, contents: readFileSync(join(XSD, `${version}.xsd`), 'utf8') };
  return (await validateXML({ xml: { fileName: 'message.xml', contents: part }, schema, maxMemoryPages: 4096 })).errors.map((e) => e.message);
}

describe('settlement: ISO 20022 messages of the custodian cycle, against real Postgres and Kafka', () => {
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
    kafka = kafkaConnectionFromEnv('settlement-iso20022-test');
    publisher = new KafkajsEventPublisher(kafka);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await app?.close();
  });

  const http = () => request(app.getHttpServer());

  function trade() {
    const cp = `TEST${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}00`;
    return {
      tradeId: randomUUID(), sourceSystem: 'OMS1', sourceTradeId: `T-${randomUUID()}`, version: 1, status: 'CAPTURED',
      tradeDate: '2026-11-24', executionTime: '2026-11-24T10:00:00.000Z', side: 'BUY', isin: 'DE0007164600', quantity: '1000', price: '100.00', currency: 'EUR',
      grossAmount: '100000.00', accruedInterest: '0.00', accruedDays: 0, commission: '0', fees: '0', netAmount: '100000.00',
      settlementDate: '2026-11-26', settlementCycle: 'T+2', settlementMarket: 'EU', settlementType: 'DVP', book: 'EQ1',
      instrument: { description: 'SAP SE', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
      counterparty: { lei: cp, name: 'Broker A', bic: 'CHASDEFXXXX', country: 'DE' },
      legalEntity: { lei: OUR_LEI, name: 'Our Fund', bic: 'DEUTDEFFXXX' },
      ssis: { ours: SSI_OURS, theirs: { ...SSI_OURS, lei: cp, agentBic: 'CHASDEFXXXX', safekeepingAccount: 'SK-THEIRS', cashAccount: 'C-THEIRS' } },
      exceptions: [], cancelReason: null, createdAt: '2026-11-24T10:00:01.000Z', updatedAt: '2026-11-24T10:00:01.000Z',
    };
  }
  type Trade = ReturnType<typeof trade>;

  async function publish(topic: string, type: string, key: string, data: object): Promise<void> {
    const headers = toHeaders({ id: randomUUID(), source: sourceFor(topic), type, time: new Date().toISOString(), subject: key, data });
    await publisher.send([{ topic, key, value: JSON.stringify(data), headers }]);
  }
  const decision = (t: Trade, outcome: 'CLEARED' | 'HELD' | 'RELEASED', version = t.version) =>
    publish(Topics.complianceDecisions, `postrade.compliance.${outcome.toLowerCase()}.v1`, t.tradeId, { tradeId: t.tradeId, tradeVersion: version, outcome, alerts: [] });
  const gateOf = async (tradeId: string): Promise<{ instructionId: string | null } | null> => {
    const res = await http().get(`/api/v1/trades/${tradeId}`).set(OPS);
    return res.status === 200 ? res.body : null;
  };
  const instruction = async (id: string) => (await http().get(`/api/v1/instructions/${id}`).set(OPS).expect(200)).body;
  const outbound = async (instructionId: string, type: string): Promise<Array<Record<string, any>>> =>
    (await db.query(`select event_type, payload from outbox where message_key = $1 and topic = $2 order by position`, [instructionId, Topics.settlementInstructionsOutbound]))
      .filter((r: { event_type: string }) => r.event_type === type)
      .map((r: { payload: unknown }) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload));

  async function instructedTrade(): Promise<{ trade: Trade; instructionId: string }> {
    const t = trade();
    await publish(Topics.tradeCaptureTrades, EventTypes.tradeCaptured, t.tradeId, t);
    for (const status of ['MATCHED', 'AFFIRMED'] as const) {
      await publish(Topics.matchingResults, status === 'AFFIRMED' ? EventTypes.matchAffirmed : EventTypes.matchMatched, t.tradeId, {
        tradeId: t.tradeId, confirmationId: 'CP-1', senderLei: t.counterparty.lei, status, breaks: [], profile: 'default', updatedAt: new Date().toISOString(),
      });
    }
    await decision(t, 'CLEARED');
    const gate = await eventually(() => gateOf(t.tradeId), (g) => g?.instructionId != null, 30_000, `instruction for ${t.tradeId}`);
    return { trade: t, instructionId: gate!.instructionId! };
  }

  /** A fixture as the custodian would send it about this instruction: its reference, a message id of its own. */
  const custodianXml = (file: string, instructionId: string, replacements: Record<string, string> = {}) => {
    let xml = readFileSync(join(FIXTURES, file), 'utf8').replace(/PTR-7Q2M4K9X(?!-)/g, instructionReference(instructionId)).replace(/<BizMsgIdr>[^<]*</, `<BizMsgIdr>${randomUUID()}<`);
    for (const [from, to] of Object.entries(replacements)) xml = xml.split(from).join(to);
    return xml;
  };
  const postXml = (xml: string) => http().post('/api/v1/status-messages').set(CUSTODIAN).set('Content-Type', 'application/xml').send(xml);

  it('a hold goes out as a schema-valid sese.030, and the custodian’s sese.031 (completed) confirms it', async () => {
    const { trade: t, instructionId } = await instructedTrade();
    await postXml(custodianXml('sese.024.001.10_statuses_postrade.xml', instructionId)).expect(200);
    await decision(t, 'HELD');
    await eventually(() => instruction(instructionId), (i) => i.custodian?.hold === 'REQUESTED', 30_000, 'hold requested');
    const [hold] = await outbound(instructionId, EventTypes.settlementHoldRequest);
    expect(await schemaErrors('sese.030.001.08', hold.sese030, 'Document')).toEqual([]);
    expect(await schemaErrors('head.001.001.02', hold.sese030, 'AppHdr')).toEqual([]);
    expect(hold.sese030).toContain(`<BizMsgIdr>${hold.request.requestId}</BizMsgIdr>`);

    const res = await postXml(custodianXml('sese.031.001.08_hold_completed_postrade.xml', instructionId, { 'HOLD-7Q2M4K9X-1': hold.request.requestId })).expect(200);
    expect(res.body).toMatchObject({ messageType: 'sese.031', instruction: { custodian: expect.objectContaining({ hold: 'CONFIRMED' }) } });
  });

  it('a cancellation goes out as a schema-valid sese.020, and the custodian’s sese.027 (cancelled) lets the replacement go', async () => {
    const { trade: t, instructionId: old } = await instructedTrade();
    const accepted = await postXml(custodianXml('sese.024.001.10_statuses_postrade.xml', old)).expect(200);
    // Accepted, unmatched and pending, each with its reason recorded.
    expect(accepted.body.instruction).toMatchObject({ matchingStatus: 'UNMATCHED', custodian: expect.objectContaining({ acknowledged: true, statusReason: 'FUTU' }) });
    const v2 = { ...t, version: 2, status: 'AMENDED', quantity: '800', grossAmount: '80000.00', netAmount: '80000.00' };
    await publish(Topics.tradeCaptureTrades, EventTypes.tradeAmended, t.tradeId, v2);
    await decision(t, 'CLEARED', 2);
    await eventually(() => instruction(old), (i) => i.custodian?.cancellation === 'REQUESTED', 30_000, 'cancellation requested');
    const [cancel] = await outbound(old, EventTypes.settlementCancellationRequest);
    expect(await schemaErrors('sese.020.001.06', cancel.sese020, 'Document')).toEqual([]);
    expect(await schemaErrors('head.001.001.02', cancel.sese020, 'AppHdr')).toEqual([]);

    const res = await postXml(custodianXml('sese.027.001.06_cancelled_postrade.xml', old, { 'CANC-7Q2M4K9X-1': cancel.request.requestId })).expect(200);
    expect(res.body).toMatchObject({ messageType: 'sese.027', instruction: { custodian: expect.objectContaining({ cancellation: 'CONFIRMED' }) } });
    const gate = await eventually(() => gateOf(t.tradeId), (g) => g?.instructionId != null && g.instructionId !== old, 30_000, 'replacement');
    await eventually(() => instruction(gate!.instructionId!), (i) => i.processingStatus === 'INSTRUCTED', 30_000, 'replacement instructed');
  });

  it('a sese.025 partial (AddtlParams/PrtlSttlm PAIN) settles part of the instruction', async () => {
    const { instructionId } = await instructedTrade();
    const xml = custodianXml('sese.025.001.09_partial_postrade.xml', instructionId, { '75704.48': '40000.00' });
    const res = await postXml(xml).expect(200);
    expect(res.body.instruction).toMatchObject({ settlementStatus: 'PARTIALLY_SETTLED', settledQuantity: '400', settledAmount: '40000.00' });
  });
});
