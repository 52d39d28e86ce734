import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { EventTypes, instructionReference, Topics } from '@postrade/contracts';
import { eventually } from '@postrade/testing';
import { CUSTODIAN, settlementHarness } from './settlement-harness';

/**
 * Issue 17, the ISO 20022 side of the custodian cycle end to end: what goes out (sese.030,
 * sese.020) is valid against the schema of its version, and the custodian's XML answers (sese.031,
 * sese.027, sese.024, sese.025) posted to /api/v1/status-messages do what their JSON forms do.
 */
const FIXTURES = join(__dirname, 'fixtures/iso20022');
const XSD = join(__dirname, '../data/iso20022/xsd');

async function schemaErrors(version: string, xml: string, element: 'Document' | 'AppHdr'): Promise<string[]> {
  const start = xml.indexOf(`<${element}`);
  const part = xml.slice(start, xml.lastIndexOf(`</${element}>`) + `</${element}>`.length);
  const schema = { fileName: `${version}.xsd`, contents: readFileSync(join(XSD, `${version}.xsd`), 'utf8') };
  return (await validateXML({ xml: { fileName: 'message.xml', contents: part }, schema, maxMemoryPages: 4096 })).errors.map((e) => e.message);
}

describe('settlement: ISO 20022 messages of the custodian cycle, against real Postgres and Kafka', () => {
  const harness = settlementHarness();
  const { http, publish, decision, gateOf, instruction, instructedTrade } = harness;
  const outbound = async (instructionId: string, type: string): Promise<Array<Record<string, any>>> =>
    (await harness.db.query(`select event_type, payload from outbox where message_key = $1 and topic = $2 order by position`, [instructionId, Topics.settlementInstructionsOutbound]))
      .filter((r: { event_type: string }) => r.event_type === type)
      .map((r: { payload: unknown }) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload));

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
    await decision(v2, 'CLEARED');
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
