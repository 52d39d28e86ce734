import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Client } from 'pg';
import { decodeTrade, EventTypes, instructionReference, Topics } from '@postrade/contracts';
import { Decimal } from '@postrade/kernel';
import { MessagingRuntime, ParkingSweeper, readTopic } from '@postrade/messaging';
import { serviceDatabaseUrl, TransactionRunner } from '@postrade/persistence';
import { eventually } from '@postrade/testing';
import { ApplyStatusUpdateHandler } from '../src/application/apply-status-update/apply-status-update.command-handler';
import { settlementTermsOf } from '../src/application/gate-trades/trade-settlement-terms';
import { penaltyAmount } from '../src/domain/penalty';
import { instructionTermsFor } from '../src/domain/settlement-instruction';
import { InstructionRepository } from '../src/persistence/instruction.repository';
import { settlementDatabase } from '../src/persistence/settlement.database';
import { freshIsin, counterpartyLei, trade, OPS, CUSTODIAN, OUR_LEI, SSI_OURS, type Trade, settlementHarness } from './settlement-harness';

const FIXTURES = join(__dirname, 'fixtures/iso20022');

describe('settlement against real Postgres and Kafka', () => {
  const h = settlementHarness();
  const { http, publish, captured, match, decision, gateOf, instructionOf, instruction, outboxTypes, instructedTrade } = h;

  describe('gating', () => {
    it('instructs an affirmed and cleared trade, publishing instructed and the outbound instruction with its sese.023', async () => {
      const t = trade();
      await decision(t, 'CLEARED');
      await match(t, 'AFFIRMED');
      await captured(t);
      const instructionId = await instructionOf(t.tradeId);
      const body = await instruction(instructionId);
      expect(body).toMatchObject({
        tradeIds: [t.tradeId],
        type: 'DVP',
        direction: 'RECEIVE',
        isin: 'DE0007164600',
        quantity: '1000',
        settlementAmount: '100000.00',
        currency: 'EUR',
        intendedSettlementDate: '2026-11-26',
        processingStatus: 'INSTRUCTED',
        matchingStatus: 'UNMATCHED',
        settlementStatus: 'PENDING',
        holds: [],
      });
      expect(body.ssis.theirs).toMatchObject({ safekeepingAccount: 'SK-THEIRS' });
      const listed = (await http().get(`/api/v1/instructions?counterpartyLei=${t.counterparty.lei}&status=PENDING&isd=2026-11-26`).set(OPS).expect(200)).body;
      expect(listed).toEqual({ items: [expect.objectContaining({ instructionId })], nextCursor: null });
      await http().get('/api/v1/instructions?status=SOMETHING').set(OPS).expect(400);
      const seen = await readTopic(h.kafka, Topics.settlementEvents, (m) => m.some((x) => x.key === instructionId && x.headers.ce_type === EventTypes.settlementInstructed), 60_000);
      const instructed = seen.find((m) => m.key === instructionId)!;
      expect(JSON.parse(instructed.value)).toMatchObject({ instructionId, tradeIds: [t.tradeId], change: {} });
      expect(await outboxTypes(instructionId)).toEqual([EventTypes.settlementInstructed, EventTypes.settlementInstruction]);
      const outbound = await h.db.query('select payload from outbox where message_key = $1 and topic = $2', [instructionId, Topics.settlementInstructionsOutbound]);
      expect(JSON.parse(outbound[0].payload).sese023).toContain(`<TxId>${instructionReference(instructionId)}</TxId>`);
    });

    it('gives a held trade no instruction until compliance releases it', async () => {
      const t = trade();
      await captured(t);
      await match(t, 'AFFIRMED');
      await decision(t, 'HELD');
      await eventually(() => gateOf(t.tradeId), (g) => g?.gate.kind === 'wait' && g.gate.waitingFor?.includes('COMPLIANCE_HOLD') === true, 30_000, 'held');
      expect((await gateOf(t.tradeId))!.instructionId).toBeNull();
      await decision(t, 'RELEASED');
      const instructionId = await instructionOf(t.tradeId);
      expect((await instruction(instructionId)).processingStatus).toBe('INSTRUCTED');
    });

    it('puts an instruction on party hold while compliance holds the trade, and cancels it when the trade is cancelled', async () => {
      const { trade: t, instructionId } = await instructedTrade();
      await decision({ ...t, version: 1 }, 'HELD');
      await eventually(() => instruction(instructionId), (i) => i.holds.includes('PARTY_HOLD'), 30_000, 'party hold');
      await publish(Topics.tradeCaptureTrades, EventTypes.tradeCancelled, t.tradeId, { ...t, version: 2, status: 'CANCELLED', cancelReason: 'booked twice' });
      const cancelled = await eventually(() => instruction(instructionId), (i) => i.processingStatus === 'CANCELLED', 30_000, 'cancelled');
      expect(cancelled.history.map((h: { event: string }) => h.event)).toEqual(['created', 'party hold set', 'cancelled']);
      expect(await outboxTypes(instructionId)).toContain(EventTypes.settlementCancelled);
    });

    it('waits PENDING with SSI_MISSING while the counterparty SSI is missing, and instructs when the enriched trade brings it', async () => {
      const t = trade({ theirSsi: null });
      await captured(t);
      await match(t, 'AFFIRMED');
      await decision(t, 'CLEARED');
      const instructionId = await instructionOf(t.tradeId);
      expect(await instruction(instructionId)).toMatchObject({ processingStatus: 'PENDING', pendingReason: 'SSI_MISSING' });
      expect(await outboxTypes(instructionId)).toEqual([]);
      // Never rendered without both SSIs: a problem naming the missing one.
      const unrendered = await http().get(`/api/v1/instructions/${instructionId}/sese023`).set(OPS).expect(409);
      expect(unrendered.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(unrendered.body).toMatchObject({ code: 'SSI_MISSING', errors: [{ field: 'ssis.theirs' }] });
      const theirs = { ...SSI_OURS, lei: t.counterparty.lei, agentBic: 'CHASDEFXXXX', safekeepingAccount: 'SK-THEIRS', cashAccount: 'C-THEIRS' };
      await publish(Topics.tradeCaptureTrades, EventTypes.tradeEnriched, t.tradeId, { ...t, ssis: { ours: t.ssis.ours, theirs }, exceptions: [] });
      const done = await eventually(() => instruction(instructionId), (i) => i.processingStatus === 'INSTRUCTED', 30_000, 'instructed');
      expect(done.ssis.theirs).not.toBeNull();
      expect(await outboxTypes(instructionId)).toContain(EventTypes.settlementInstructed);
    });

    it('re-issues the instruction when an amendment changes the settlement terms', async () => {
      const { trade: t, instructionId } = await instructedTrade();
      const amended = { ...t, version: 2, status: 'AMENDED', quantity: '800', netAmount: '80000.00' };
      await publish(Topics.tradeCaptureTrades, EventTypes.tradeAmended, t.tradeId, { ...amended, previous: t });
      await decision(amended as Trade, 'CLEARED');
      const next = await eventually(() => gateOf(t.tradeId), (g) => g?.instructionId != null && g.instructionId !== instructionId, 30_000, 're-issued');
      expect(await instruction(next!.instructionId!)).toMatchObject({ quantity: '800', settlementAmount: '80000.00', processingStatus: 'INSTRUCTED' });
      expect((await instruction(instructionId)).processingStatus).toBe('CANCELLED');
    });

    it('nets trades with the same counterparty, ISIN, currency and ISD into one instruction that conserves quantity and cash', async () => {
      await http().put(`/api/v1/netting-agreements/${counterpartyLei()}`).set(OPS).send({ enabled: true }).expect(400); // check digits
      const lei = '5493001KJTIIGC8Y1R12';
      // An ISIN of this run's own, so that trades of earlier runs never join the group.
      const isin = `XS${String(Date.now()).slice(-9)}0`;
      await http().put(`/api/v1/netting-agreements/${lei}`).set(OPS).send({ enabled: true }).expect(200);
      const isd = '2026-12-03';
      const buy = trade({ counterpartyLei: lei, side: 'BUY', quantity: '1000', netAmount: '100000.00', settlementDate: isd, isin });
      const sell = trade({ counterpartyLei: lei, side: 'SELL', quantity: '300', netAmount: '30150.00', settlementDate: isd, isin });
      for (const t of [buy, sell]) {
        await captured(t);
        await match(t, 'AFFIRMED');
        await decision(t, 'CLEARED');
      }
      const net = await eventually(
        async () => {
          const a = await gateOf(buy.tradeId);
          const b = await gateOf(sell.tradeId);
          return a?.instructionId && a.instructionId === b?.instructionId ? a.instructionId : null;
        },
        (id) => id !== null,
        30_000,
        'one net instruction',
      );
      expect(await instruction(net!)).toMatchObject({
        tradeIds: [buy.tradeId, sell.tradeId].sort(),
        netted: true,
        direction: 'RECEIVE',
        quantity: '700',
        settlementAmount: '69850.00',
        cashDirection: 'PAY',
      });
      await http().put(`/api/v1/netting-agreements/${lei}`).set(OPS).send({ enabled: false }).expect(200);
    });
  });

  describe('custodian status updates', () => {
    it('applies a partial then the full settlement, publishing partially-settled then settled', async () => {
      const { instructionId } = await instructedTrade();
      const partial = await http()
        .post(`/api/v1/instructions/${instructionId}/status-updates`)
        .set(CUSTODIAN)
        .send({ updateId: 'U-1', status: 'PARTIALLY_SETTLED', settledQuantity: '400', settledAmount: '40000.00', effectiveDate: '2026-11-26' })
        .expect(200);
      expect(partial.body).toMatchObject({ settlementStatus: 'PARTIALLY_SETTLED', settledQuantity: '400', settledAmount: '40000.00', matchingStatus: 'MATCHED' });
      const replay = await http()
        .post(`/api/v1/instructions/${instructionId}/status-updates`)
        .set(CUSTODIAN)
        .send({ updateId: 'U-1', status: 'PARTIALLY_SETTLED', settledQuantity: '400.00', settledAmount: '40000', effectiveDate: '2026-11-26' })
        .expect(200);
      expect(replay.body.settledQuantity).toBe('400');
      const over = await http()
        .post(`/api/v1/instructions/${instructionId}/status-updates`)
        .set(CUSTODIAN)
        .send({ updateId: 'U-2', status: 'PARTIALLY_SETTLED', settledQuantity: '600.5', settledAmount: '100.00', effectiveDate: '2026-11-27' })
        .expect(422);
      expect(over.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(over.body.errors).toEqual([{ field: 'settledQuantity', message: 'would settle 600.5 but only 600 of 1000 remains unsettled' }]);
      const settled = await http().post(`/api/v1/instructions/${instructionId}/status-updates`).set(CUSTODIAN).send({ updateId: 'U-3', status: 'SETTLED', effectiveDate: '2026-11-27' }).expect(200);
      expect(settled.body).toMatchObject({ settlementStatus: 'SETTLED', settledQuantity: '1000', settledAmount: '100000.00' });
      expect(await outboxTypes(instructionId)).toEqual([
        EventTypes.settlementInstructed,
        EventTypes.settlementInstruction,
        EventTypes.settlementPartiallySettled,
        EventTypes.settlementSettled,
      ]);
      const events = await h.db.query('select payload from outbox where message_key = $1 and event_type = $2', [instructionId, EventTypes.settlementSettled]);
      expect(JSON.parse(events[0].payload).change).toEqual({ updateId: 'U-3', settledQuantity: '600', settledAmount: '60000.00', effectiveDate: '2026-11-27' });
    });

    it('answers 404 over REST for an unknown instruction and 403 to a role other than custodian', async () => {
      const body = { updateId: 'U-1', status: 'MATCHED' };
      await http().post(`/api/v1/instructions/${randomUUID()}/status-updates`).set(CUSTODIAN).send(body).expect(404);
      await http().post(`/api/v1/instructions/${randomUUID()}/status-updates`).set(OPS).send(body).expect(403);
    });

    it('applies an update from Kafka, and parks one for an unknown instruction visibly until it appears', async () => {
      const { instructionId } = await instructedTrade();
      await publish(Topics.settlementStatusInbound, EventTypes.settlementStatusReported, instructionId, { instructionId, updateId: 'K-1', status: 'FAILED', failingParty: 'COUNTERPARTY', reasonCode: 'CLAC' });
      await eventually(() => instruction(instructionId), (i) => i.settlementStatus === 'FAILING' && i.failReasonCode === 'CLAC', 30_000, 'failing from Kafka');

      const unknown = randomUUID();
      await publish(Topics.settlementStatusInbound, EventTypes.settlementStatusReported, unknown, { instructionId: unknown, updateId: 'K-2', status: 'MATCHED' });
      type Parked = { kind: string; waitingFor: string[]; reason: string; payload: unknown; parkedAt: string; expiresAt: string };
      const parked: Parked[] = await eventually(
        async () => (await http().get('/api/v1/parked?kind=STATUS_UPDATE&limit=500').set(OPS).expect(200)).body.items,
        (items: Parked[]) => items.some((p) => p.waitingFor.includes(unknown)),
        30_000,
        'parked',
      );
      const entry = parked.find((p) => p.waitingFor.includes(unknown))!;
      expect(entry).toMatchObject({ reason: `waiting for instruction ${unknown}`, payload: { instructionId: unknown, update: { updateId: 'K-2', status: 'MATCHED' } } });
      // SETTLEMENT_PARKED_EXPIRY: 7 days by default.
      expect(Date.parse(entry.expiresAt) - Date.parse(entry.parkedAt)).toBe(7 * 86_400_000);

      // The instruction appears (as the gate makes it) and what was parked for it is applied.
      const transactions = h.app.get(TransactionRunner);
      const instructions = h.app.get(InstructionRepository);
      const terms = instructionTermsFor([settlementTermsOf(decodeTrade(trade()))]);
      await transactions.run(async (em) => {
        await instructions.insert(em, unknown, instructionReference(unknown), terms, {
          processingStatus: 'INSTRUCTED', pendingReason: null, matchingStatus: 'UNMATCHED', failing: false, partyHold: false,
          quantity: terms.quantity, settlementAmount: terms.settlementAmount, settledQuantity: '0', settledAmount: '0', failingParty: null, failReasonCode: null,
        });
        await h.app.get(ApplyStatusUpdateHandler).releaseParked(em, unknown);
      });
      expect((await instruction(unknown)).matchingStatus).toBe('MATCHED');
      const after: Parked[] = (await http().get('/api/v1/parked?kind=STATUS_UPDATE&limit=500').set(OPS).expect(200)).body.items;
      expect(after.some((p) => p.waitingFor.includes(unknown))).toBe(false);
    });

    it('dead-letters a Kafka update that would settle more than instructed, with the reason', async () => {
      const { instructionId } = await instructedTrade();
      await publish(Topics.settlementStatusInbound, EventTypes.settlementStatusReported, instructionId, {
        instructionId, updateId: 'K-OVER', status: 'PARTIALLY_SETTLED', settledQuantity: '1000.5', settledAmount: '1.00', effectiveDate: '2026-11-26',
      });
      // Every page, oldest first: a database kept between runs may hold many letters before this one.
      const allLetters = async () => {
        const letters: { key: string; error: string }[] = [];
        for (let cursor: string | null = null, first = true; first || cursor; first = false) {
          const page: { items: { key: string; error: string }[]; nextCursor: string | null } = (await http().get(`/api/v1/dead-letters?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).set(OPS).expect(200)).body;
          letters.push(...page.items);
          cursor = page.nextCursor;
        }
        return letters;
      };
      const letters = await eventually(
        allLetters,
        (items) => items.some((l) => l.key === instructionId),
        30_000,
        'dead letter',
      );
      expect(letters.find((l) => l.key === instructionId)!.error).toContain('would settle 1000.5 but only 1000 of 1000 remains unsettled');
      expect((await instruction(instructionId)).settledQuantity).toBe('0');
    });

    it('moves a parked update past its horizon to the dead letters with the reason, and a replay parks it again', async () => {
      const unknown = randomUUID();
      await publish(Topics.settlementStatusInbound, EventTypes.settlementStatusReported, unknown, { instructionId: unknown, updateId: 'K-OLD', status: 'MATCHED' });
      const parked = async () => ((await http().get('/api/v1/parked?kind=STATUS_UPDATE&limit=500').set(OPS).expect(200)).body.items as { waitingFor: string[] }[]).filter((p) => p.waitingFor.includes(unknown));
      await eventually(parked, (items) => items.length === 1, 30_000, 'parked');
      // As if parked 8 days ago (as the schema's owner: the service's role may not change a parked row).
      const owner = new Client({ connectionString: process.env.DATABASE_URL });
      await owner.connect();
      try {
        await owner.query(`update settlement.parked_inputs set parked_at = parked_at - interval '8 days', expires_at = expires_at - interval '8 days' where $1 = any(waiting_for)`, [unknown]);
      } finally {
        await owner.end();
      }
      await h.app.get(ParkingSweeper).sweep();
      expect(await parked()).toEqual([]);
      const letters = await h.db.query(`select id, consumer, error, message_key from dead_letters where message_key = $1`, [unknown]);
      expect(letters).toEqual([
        { id: expect.any(String), consumer: 'settlement.status', message_key: unknown, error: expect.stringMatching(new RegExp(`^parked STATUS_UPDATE expired: waiting for instruction ${unknown}; waited 168h \\(parked at .+\\) and it never arrived$`)) },
      ]);
      // The letter is the message as consumed: replayed, the update waits again.
      await http().post(`/api/v1/dead-letters/${letters[0].id}/replay`).set(OPS).expect(201);
      expect(await parked()).toHaveLength(1);
    });

    it('forgets the gate state of a cancelled trade after its retention horizon, by the shared retention sweep', async () => {
      const t = trade({ version: 2, status: 'CANCELLED' });
      await publish(Topics.tradeCaptureTrades, EventTypes.tradeCancelled, t.tradeId, t);
      await eventually(() => gateOf(t.tradeId), (g) => g?.gate.kind === 'withdraw', 30_000, 'withdrawn');
      // As if untouched for 89 days, then for 91: the sweep runs at the real now, so nothing else is swept early.
      const untouchedFor = (days: number) => h.db.query(`update settlement_trades set updated_at = now() - make_interval(days => $2) where trade_id = $1`, [t.tradeId, days]);
      await untouchedFor(89);
      await h.app.get(MessagingRuntime).sweepRetention();
      expect(await gateOf(t.tradeId)).not.toBeNull();
      await untouchedFor(91);
      expect((await h.app.get(MessagingRuntime).sweepRetention())['gate state of finished trades']).toBeGreaterThanOrEqual(1);
      expect(await gateOf(t.tradeId)).toBeNull();
    });

    it('keeps the gate state of a trade still on its way to settlement, however long untouched', async () => {
      const { trade: t, instructionId } = await instructedTrade();
      const aged: unknown[] = await h.db.query(`with u as (update settlement_trades set updated_at = now() - interval '400 days' where trade_id = $1 returning 1) select * from u`, [t.tradeId]);
      expect(aged).toHaveLength(1);
      await h.app.get(MessagingRuntime).sweepRetention();
      expect(await gateOf(t.tradeId)).toMatchObject({ instructionId });
    });

    it('accepts the real T2S sese.025 as XML on the one route that parses XML', async () => {
      // Traded before the message's effective settlement date (2024-07-17): no settlement is effective before its trade date.
      const { instructionId } = await instructedTrade({ isin: 'NL0000009165', quantity: '250', netAmount: '1234.56', tradeDate: '2024-07-15' });
      const real = readFileSync(join(FIXTURES, 'sese.025.001.09_T2S_confirmation_prowide.xml'), 'utf8');
      const verbatim = await http().post('/api/v1/status-messages').set(CUSTODIAN).set('Content-Type', 'application/xml').send(real).expect(404);
      expect(verbatim.body.detail).toContain('FOO');
      const ours = real
        .replace('<AcctOwnrTxId>FOO</AcctOwnrTxId>', `<AcctOwnrTxId>${instructionReference(instructionId)}</AcctOwnrTxId>`)
        .replace('<Unit>0</Unit>', '<Unit>250</Unit>')
        .replace('<Amt Ccy="EUR">1</Amt>', '<Amt Ccy="EUR">1234.56</Amt>')
        .replace('<BizMsgIdr>1423905641002</BizMsgIdr>', `<BizMsgIdr>${randomUUID()}</BizMsgIdr>`);
      const res = await http().post('/api/v1/status-messages').set(CUSTODIAN).set('Content-Type', 'application/xml').send(ours).expect(200);
      expect(res.body).toMatchObject({ messageType: 'sese.025', instruction: { settlementStatus: 'SETTLED', settledQuantity: '250', settledAmount: '1234.56' } });
      await http().post('/api/v1/status-messages').set(CUSTODIAN).set('Content-Type', 'application/xml').send(ours).expect(200);
      expect((await outboxTypes(instructionId)).filter((t) => t === EventTypes.settlementSettled)).toHaveLength(1);
      const json = await http().post('/api/v1/status-messages').set(CUSTODIAN).send({ not: 'xml' }).expect(400);
      expect(json.body.errors).toEqual([expect.objectContaining({ field: 'body' })]);
    });

    it('accepts a sese.024 status advice: matched and failing for the counterparty', async () => {
      const { instructionId } = await instructedTrade();
      const xml = readFileSync(join(FIXTURES, 'sese.024.001.10_failing_synthetic.xml'), 'utf8')
        .replace('REPLACE-WITH-REFERENCE', instructionReference(instructionId))
        .replace('SESE024-0001', randomUUID());
      const res = await http().post('/api/v1/status-messages').set(CUSTODIAN).set('Content-Type', 'text/xml').send(xml).expect(200);
      expect(res.body.instruction).toMatchObject({ matchingStatus: 'MATCHED', settlementStatus: 'FAILING', failingParty: 'COUNTERPARTY', failReasonCode: 'CLAC' });
    });
  });

  describe('sese.023', () => {
    it('renders the instruction as well-formed XML with ISIN, quantity, amount, ISD and both parties', async () => {
      const { trade: t, instructionId } = await instructedTrade({ side: 'SELL' });
      const res = await http().get(`/api/v1/instructions/${instructionId}/sese023`).set(OPS).expect(200);
      expect(res.headers['content-type']).toMatch(/application\/xml/);
      expect(XMLValidator.validate(res.text)).toBe(true);
      const doc = new XMLParser({ ignoreAttributes: false, parseTagValue: false, removeNSPrefix: true }).parse(res.text).Document.SctiesSttlmTxInstr;
      expect(doc.FinInstrmId.ISIN).toBe('DE0007164600');
      expect(doc.QtyAndAcctDtls.SttlmQty.Qty.Unit).toBe('1000');
      expect(doc.SttlmAmt.Amt['#text']).toBe('100000.00');
      expect(doc.TradDtls.SttlmDt.Dt.Dt).toBe('2026-11-26');
      expect(doc.TradDtls.TradDt.Dt.Dt).toBe('2026-11-24');
      expect(doc.DlvrgSttlmPties.Pty2.LEI).toBe(OUR_LEI);
      expect(doc.RcvgSttlmPties.Pty2.LEI).toBe(t.counterparty.lei);
    });
  });

  describe('end of settlement day', () => {
    it('marks an unsettled instruction FAILING, assesses the day’s penalty once, and lists fails and penalties', async () => {
      const isin = 'DE000BASF111';
      const { trade: t, instructionId } = await instructedTrade({ isin, settlementDate: '2026-11-26', quantity: '1000' });
      await http().put(`/api/v1/reference-prices/${isin}/2026-11-27`).set(OPS).send({ price: '45.125', currency: 'EUR' }).expect(200);
      await http().post(`/api/v1/instructions/${instructionId}/status-updates`).set(CUSTODIAN).send({ updateId: 'M-1', status: 'MATCHED' }).expect(200);
      await http().post(`/api/v1/instructions/${instructionId}/status-updates`).set(CUSTODIAN).send({ updateId: 'F-1', status: 'FAILED', failingParty: 'US', reasonCode: 'LACK' }).expect(200);
      await http().post(`/api/v1/instructions/${instructionId}/status-updates`).set(CUSTODIAN)
        .send({ updateId: 'P-1', status: 'PARTIALLY_SETTLED', settledQuantity: '200', settledAmount: '20000.00', effectiveDate: '2026-11-26' }).expect(200);

      const close = await http().post('/api/v1/settlement-days/2026-11-27/close').set(OPS).expect(200);
      expect(close.body.penaltiesAssessed).toBeGreaterThanOrEqual(1);
      const again = await http().post('/api/v1/settlement-days/2026-11-27/close').set(OPS).expect(200);
      expect(again.body).toMatchObject({ newlyFailing: 0, failDays: 0, penaltiesAssessed: 0 });

      // Closing again picks up what became due since: an instruction instructed later, and a price put later.
      const lateIsin = freshIsin();
      const late = await instructedTrade({ isin: lateIsin, settlementDate: '2026-11-26', quantity: '10' });
      await http().post(`/api/v1/instructions/${late.instructionId}/status-updates`).set(CUSTODIAN).send({ updateId: 'M-2', status: 'MATCHED' }).expect(200);
      await http().post(`/api/v1/instructions/${late.instructionId}/status-updates`).set(CUSTODIAN).send({ updateId: 'F-2', status: 'FAILED', failingParty: 'COUNTERPARTY', reasonCode: 'CLAC' }).expect(200);
      const third = await http().post('/api/v1/settlement-days/2026-11-27/close').set(OPS).expect(200);
      expect(third.body).toMatchObject({ failDays: 1, penaltiesAssessed: 0 }); // no reference price yet
      await http().put(`/api/v1/reference-prices/${lateIsin}/2026-11-27`).set(OPS).send({ price: '250.00', currency: 'EUR' }).expect(200);
      const fourth = await http().post('/api/v1/settlement-days/2026-11-27/close').set(OPS).expect(200);
      expect(fourth.body).toMatchObject({ failDays: 0, penaltiesAssessed: 1 });
      const latePenalty = (await http().get(`/api/v1/penalties?instructionId=${late.instructionId}`).set(OPS).expect(200)).body.items;
      expect(latePenalty).toEqual([expect.objectContaining({ amount: '0.25', direction: 'RECEIVE' })]); // 10 × 250 × 1 bp

      expect((await instruction(instructionId)).settlementStatus).toBe('FAILING');
      const penalties = (await http().get(`/api/v1/penalties?instructionId=${instructionId}`).set(OPS).expect(200)).body.items;
      const expected = penaltyAmount({ failedQuantity: '800', referencePrice: '45.125', priceType: 'UNIT', rateBps: new Decimal('1.0'), currency: 'EUR' }).toFixed(2);
      expect(penalties).toEqual([
        expect.objectContaining({
          instructionId, date: '2026-11-27', counterpartyLei: t.counterparty.lei, isin, category: 'LIQUID_SHARE', failedQuantity: '800',
          referencePrice: '45.125', rateBps: '1.0', amount: expected, currency: 'EUR', direction: 'PAY',
        }),
      ]);
      expect(expected).toBe('3.61'); // 800 × 45.125 × 0.0001 = 3.61
      expect(await outboxTypes(instructionId)).toContain(EventTypes.settlementPenaltyAssessed);

      const fails = (await http().get('/api/v1/fails?asOf=2026-11-27&limit=500').set(OPS).expect(200)).body;
      expect(fails.items.find((f: { instructionId: string }) => f.instructionId === instructionId)).toMatchObject({
        unsettledQuantity: '800', failingParty: 'US', reasonCode: 'LACK', penaltyAmount: '3.61', ageInBusinessDays: 2,
      });
      const monthly = (await http().get('/api/v1/penalties/monthly?month=2026-11').set(OPS).expect(200)).body.items;
      expect(monthly.find((m: { counterpartyLei: string }) => m.counterpartyLei === t.counterparty.lei)).toMatchObject({ currency: 'EUR', penalties: 1, pay: '3.61', receive: '0', net: '-3.61' });
    });

    it('charges no penalty for a fail in the UK, nor for an EU instruction still unmatched at the depository; both still age as fails', async () => {
      const ukIsin = 'GB0002634946';
      const uk = await instructedTrade({ isin: ukIsin, currency: 'GBP', settlementMarket: 'UK', settlementDate: '2026-11-26', quantity: '100' });
      await http().put(`/api/v1/reference-prices/${ukIsin}/2026-11-30`).set(OPS).send({ price: '5.00', currency: 'GBP' }).expect(200);
      await http().post(`/api/v1/instructions/${uk.instructionId}/status-updates`).set(CUSTODIAN).send({ updateId: 'UK-M', status: 'MATCHED' }).expect(200);
      await http().post(`/api/v1/instructions/${uk.instructionId}/status-updates`).set(CUSTODIAN).send({ updateId: 'UK-F', status: 'FAILED', failingParty: 'US', reasonCode: 'LACK' }).expect(200);

      const euIsin = freshIsin();
      const unmatched = await instructedTrade({ isin: euIsin, settlementDate: '2026-11-26', quantity: '100' });
      await http().put(`/api/v1/reference-prices/${euIsin}/2026-11-30`).set(OPS).send({ price: '50.00', currency: 'EUR' }).expect(200);
      await http().post(`/api/v1/instructions/${unmatched.instructionId}/status-updates`).set(CUSTODIAN).send({ updateId: 'EU-F', status: 'FAILED', failingParty: 'US', reasonCode: 'LACK' }).expect(200);

      await http().post('/api/v1/settlement-days/2026-11-30/close').set(OPS).expect(200);
      for (const { instructionId } of [uk, unmatched]) {
        expect((await instruction(instructionId)).settlementStatus).toBe('FAILING');
        expect((await http().get(`/api/v1/penalties?instructionId=${instructionId}`).set(OPS).expect(200)).body.items).toEqual([]);
      }
      const fails = (await http().get('/api/v1/fails?asOf=2026-11-30&limit=500').set(OPS).expect(200)).body.items.map((f: { instructionId: string }) => f.instructionId);
      expect(fails).toEqual(expect.arrayContaining([uk.instructionId, unmatched.instructionId]));
    });

    it('refuses to close a day in the future', async () => {
      const res = await http().post('/api/v1/settlement-days/2099-01-02/close').set(OPS).expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'date' })]);
    });
  });

  describe('database roles', () => {
    it('gives the service role no UPDATE or DELETE on the append-only penalties, fail days and history', async () => {
      const client = new Client({ connectionString: serviceDatabaseUrl(settlementDatabase) });
      await client.connect();
      try {
        for (const table of ['penalties', 'fail_days', 'instruction_history']) {
          // `where false`: the privilege is checked all the same, and nothing can change if it were granted.
          await expect(client.query(`update ${table} set instruction_id = instruction_id where false`)).rejects.toThrow(/permission denied/);
          await expect(client.query(`delete from ${table} where false`)).rejects.toThrow(/permission denied/);
        }
      } finally {
        await client.end();
      }
    });
  });
});
