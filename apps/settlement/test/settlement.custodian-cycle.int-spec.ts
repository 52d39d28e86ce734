import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventTypes, instructionReference, Topics } from '@postrade/contracts';
import { validateLei } from '@postrade/kernel';
import { eventually } from '@postrade/testing';
import { freshIsin, trade, OPS, CUSTODIAN, type Trade, settlementHarness } from './settlement-harness';

describe('settlement: the custodian message cycle (issue 17), against real Postgres and Kafka', () => {
  const h = settlementHarness();
  const { http, publish, captured, match, decision, gateOf, instruction, outboxTypes, instructedTrade } = h;

  const outbound = async (instructionId: string): Promise<{ type: string; data: any }[]> =>
    (await h.db.query(`select event_type, payload from outbox where message_key = $1 and topic = $2 order by position`, [instructionId, Topics.settlementInstructionsOutbound])).map(
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

  describe('a party hold the custodian refuses', () => {
    const postXml = (xml: string) => http().post('/api/v1/status-messages').set(CUSTODIAN).set('Content-Type', 'application/xml').send(xml);

    it('records the sese.031 rejection with its reason code on the hold, raises HOLD_REJECTED, and sends no release of a hold the depository never had', async () => {
      const { trade: t, instructionId } = await instructedTrade();
      await report(instructionId, { status: 'ACKNOWLEDGED' }).expect(200);
      await decision(t, 'HELD');
      await eventually(() => instruction(instructionId), (i) => i.custodian.hold === 'REQUESTED', 30_000, 'hold requested');
      const [hold] = (await outbound(instructionId)).filter((e) => e.type === EventTypes.settlementHoldRequest);

      // The custodian's sese.031 about this instruction, quoting our hold request: rejected, LATE.
      const xml = readFileSync(join(__dirname, 'fixtures/iso20022/sese.031.001.08_hold_rejected_postrade.xml'), 'utf8')
        .replace(/PTR-7Q2M4K9X/g, instructionReference(instructionId))
        .replace('HOLD-7Q2M4K9X-2', hold.data.request.requestId)
        .replace(/<BizMsgIdr>[^<]*</, `<BizMsgIdr>${randomUUID()}<`);
      const answered = (await postXml(xml).expect(200)).body.instruction;
      expect(answered.holds).toEqual(['PARTY_HOLD']);
      expect(answered.holdDetails).toEqual([{ hold: 'PARTY_HOLD', heldByUs: true, custodian: 'REJECTED', custodianReason: 'LATE' }]);
      expect(answered.exceptions).toEqual([expect.objectContaining({ code: 'HOLD_REJECTED', message: expect.stringContaining('may settle there') })]);

      const seen = await instruction(instructionId);
      expect(seen.holdDetails).toEqual(answered.holdDetails);
      const events = seen.history.map((e: { event: string }) => e.event);
      expect(events).toEqual(expect.arrayContaining(['custodian reported HOLD_REJECTED', 'exception raised: HOLD_REJECTED']));
      expect(seen.history.find((e: { event: string }) => e.event === 'custodian reported HOLD_REJECTED').details).toMatchObject({ status: 'HOLD_REJECTED', statusReason: 'LATE' });
      // No settlement event: nothing moved.
      expect(await outboxTypes(instructionId)).not.toContain(EventTypes.settlementSettled);

      // Compliance releases it: nothing is held at the depository, so no sese.030 RELEASE goes.
      await decision(t, 'RELEASED');
      const released = await eventually(() => instruction(instructionId), (i) => i.holds.length === 0, 30_000, 'release');
      expect(released.custodian.hold).toBeNull();
      expect(released.holdDetails).toEqual([]);
      expect((await outbound(instructionId)).filter((e) => e.type === EventTypes.settlementHoldRequest).map((e) => e.data.request.action)).toEqual(['HOLD']);
    });

    it('records a refused release (JSON) and raises RELEASE_REJECTED: the instruction stays held at the depository', async () => {
      const { trade: t, instructionId } = await instructedTrade();
      await decision(t, 'HELD');
      await eventually(() => instruction(instructionId), (i) => i.custodian.hold === 'REQUESTED', 30_000, 'hold requested');
      await report(instructionId, { status: 'HOLD_CONFIRMED' }).expect(200);
      await decision(t, 'RELEASED');
      await eventually(() => instruction(instructionId), (i) => i.custodian.hold === 'RELEASE_REQUESTED', 30_000, 'release requested');
      const refused = (await report(instructionId, { status: 'RELEASE_REJECTED', statusReason: 'NRGM' }).expect(200)).body;
      expect(refused.holds).toEqual([]);
      expect(refused.holdDetails).toEqual([{ hold: 'PARTY_HOLD', heldByUs: false, custodian: 'RELEASE_REJECTED', custodianReason: 'NRGM' }]);
      expect(refused.exceptions).toEqual([expect.objectContaining({ code: 'RELEASE_REJECTED' })]);
      // A refusal of something we never asked for is refused.
      await report(instructionId, { status: 'HOLD_REJECTED' }).expect(422);
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
