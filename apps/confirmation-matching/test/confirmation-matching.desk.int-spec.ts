import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { EventTypes, Topics, toHeaders, type MatchResource } from '@postrade/contracts';
import { kafkaConnectionFromEnv, KafkajsEventPublisher, type KafkaConnection } from '@postrade/messaging';
import { configureApp } from '@postrade/platform';
import { eventually } from '@postrade/testing';
import { DataSource } from 'typeorm';
import { MatchingProfiles } from '../src/application/manage-profiles/matching-profiles';
import { ConfirmationMatchingModule } from '../src/confirmation-matching.module';
import { putProfile } from './profile-changes';

/** The operations desk's points of issue 18: statuses at the edges, protected pairs, parties. */
const ISIN = 'US0378331005';
const COUNTERPARTY = '5493001KJTIIGC8Y1R12';
const OUR_LEI = '529900T8BM49AURSDO55';
const OTHER_LEI = '7LTWFZYICNSX8D621K86';
const OPS = { Authorization: 'Bearer dev-ops' };
const OPS_2 = { Authorization: 'Bearer dev-ops-2' };
const SUPERVISOR = { Authorization: 'Bearer dev-supervisor' };
const asCounterparty = (lei: string) => ({ Authorization: `Bearer dev-cp-${lei}` });

describe('confirmation-matching for the operations desk (real Postgres and Kafka)', () => {
  let app: INestApplication;
  let kafka: KafkaConnection;
  let publisher: KafkajsEventPublisher;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ConfirmationMatchingModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app);
    await app.init();
    kafka = kafkaConnectionFromEnv('confirmation-matching-desk-test');
    publisher = new KafkajsEventPublisher(kafka);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await app?.close();
  });

  const http = () => request(app.getHttpServer());

  /** Each test trades its own quantity, so that its pairing key is its own. */
  const uniqueQuantity = () => String(100_000 + Math.floor(Math.random() * 800_000));

  /**
   * A January or February trade date of the test's own (New York is on EST then, UTC-5), so that
   * the lists it reads, filtered by trade date, hold its items only, however many runs came before;
   * and the next calendar day as its settlement date.
   */
  function uniqueTradeDate(firstYear: number, years: number): { tradeDate: string; next: string } {
    const at = new Date(Date.UTC(firstYear + Math.floor(Math.random() * years), Math.floor(Math.random() * 2), 1 + Math.floor(Math.random() * 28)));
    const day = (d: Date) => d.toISOString().slice(0, 10);
    return { tradeDate: day(at), next: day(new Date(at.getTime() + 86_400_000)) };
  }

  function tradeResource(overrides: Record<string, unknown> = {}) {
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
      quantity: uniqueQuantity(),
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
  type Trade = ReturnType<typeof tradeResource>;

  function confirmationBody(trade: { quantity: string }, overrides: Record<string, unknown> = {}) {
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
  async function publishTrade(type: string, trade: Trade): Promise<void> {
    const headers = toHeaders({ id: randomUUID(), source: 'trade-capture', type, time: new Date().toISOString(), subject: trade.tradeId, data: trade });
    await publisher.send([{ topic: Topics.tradeCaptureTrades, key: trade.tradeId, value: JSON.stringify(trade), headers }]);
  }

  const statusOf = async (tradeId: string) => {
    const res = await http().get(`/api/v1/matches/by-trade/${tradeId}`).set(OPS);
    return res.status === 200 ? (res.body as MatchResource) : null;
  };
  const untilMatch = async (tradeId: string, wanted: (m: MatchResource) => boolean, what: string): Promise<MatchResource> =>
    (await eventually(() => statusOf(tradeId), (m) => m !== null && wanted(m), 30_000, `trade ${tradeId} ${what}`))!;
  const untilStatus = (tradeId: string, status: string) => untilMatch(tradeId, (m) => m.status === status, status);

  /** Submits a confirmation as its sender and returns the platform's resource. */
  async function submit(body: Record<string, unknown>): Promise<{ id: string; matchStatus: string; tradeId: string | null }> {
    return (await http().post('/api/v1/confirmations').set(asCounterparty(String(body.senderLei))).send(body).expect(202)).body;
  }

  it('leaves the confirmation of a cancelled trade ALLEGED, and lists it with the alleged ones', async () => {
    const { tradeDate, next } = uniqueTradeDate(2040, 500);
    const trade = tradeResource({ tradeDate, settlementDate: next });
    await publishTrade(EventTypes.tradeCaptured, trade);
    await untilStatus(trade.tradeId, 'UNMATCHED');
    const body = confirmationBody(trade, { tradeDate, settlementDate: next });
    const confirmation = await submit(body);
    await untilStatus(trade.tradeId, 'AFFIRMED');

    await publishTrade(EventTypes.tradeCancelled, { ...trade, version: 2, status: 'CANCELLED' });
    const cancelled = await untilStatus(trade.tradeId, 'CANCELLED');
    expect(cancelled.confirmationId).toBeNull();
    const after = await http().get(`/api/v1/confirmations/${confirmation.id}`).set(OPS).expect(200);
    expect(after.body).toMatchObject({ matchStatus: 'ALLEGED', tradeId: null });
    const byConfirmation = await http().get(`/api/v1/matches/by-confirmation/${confirmation.id}`).set(OPS).expect(200);
    expect(byConfirmation.body).toMatchObject({ status: 'ALLEGED', tradeId: null });
    const alleged = await http().get(`/api/v1/confirmations?matchStatus=ALLEGED&confirmationId=${body.confirmationId}`).set(asCounterparty(COUNTERPARTY)).expect(200);
    expect(alleged.body.items.map((c: { id: string }) => c.id)).toEqual([confirmation.id]);
    const allegedQueue = await http().get(`/api/v1/matches?status=ALLEGED&tradeDate=${tradeDate}`).set(OPS).expect(200);
    expect(allegedQueue.body.items).toEqual([expect.objectContaining({ tradeId: null, confirmationId: body.confirmationId, status: 'ALLEGED' })]);
    const cancelledQueue = await http().get(`/api/v1/matches?status=CANCELLED&tradeDate=${tradeDate}`).set(OPS).expect(200);
    expect(cancelledQueue.body.items).toEqual([expect.objectContaining({ tradeId: trade.tradeId, status: 'CANCELLED', confirmationId: null })]);
  });

  it('breaks a confirmation addressed to another party than the trade\'s legal entity, with FIX 774 code 14', async () => {
    const trade = tradeResource();
    await publishTrade(EventTypes.tradeCaptured, trade);
    await untilStatus(trade.tradeId, 'UNMATCHED');
    await submit(confirmationBody(trade, { receiverLei: OTHER_LEI }));
    const mismatched = await untilStatus(trade.tradeId, 'MISMATCHED');
    expect(mismatched.breaks).toEqual([{ field: 'receiverLei', ours: OUR_LEI, theirs: OTHER_LEI, rule: 'EXACT', tolerance: null, reasonCode: 14 }]);
  });

  it('compares commission and fees under a profile that names them, with FIX 774 codes 8 and 12', async () => {
    const profile = 'DESK-FEES-NOK';
    await putProfile(http, profile, {
      rules: [{ field: 'settlementDate', rule: 'EXACT' }, { field: 'price', rule: 'PERCENT', tolerance: '0' }, { field: 'commission', rule: 'ABSOLUTE', tolerance: '0.50' }, { field: 'fees', rule: 'EXACT' }],
      autoAffirm: true,
      currencies: ['NOK'],
    });
    const trade = tradeResource({ currency: 'NOK', commission: '10.00', fees: '1.20' });
    await publishTrade(EventTypes.tradeCaptured, trade);
    await untilStatus(trade.tradeId, 'UNMATCHED');
    const body = confirmationBody(trade, { currency: 'NOK', commission: '10.40', fees: '1.30' });
    const confirmation = await submit(body);
    expect(confirmation).toMatchObject({ commission: '10.40', fees: '1.30' });
    const mismatched = await untilStatus(trade.tradeId, 'MISMATCHED');
    expect(mismatched).toMatchObject({ profile, breaks: [{ field: 'fees', ours: '1.20', theirs: '1.30', rule: 'EXACT', tolerance: null, reasonCode: 12 }] });
    await submit({ ...body, commission: '11.00', fees: '1.20' });
    const resent = await untilMatch(trade.tradeId, (m) => m.breaks.length === 1 && m.breaks[0].field === 'commission', 'commission break');
    expect(resent.breaks).toEqual([{ field: 'commission', ours: '10.00', theirs: '11.00', rule: 'ABSOLUTE', tolerance: '0.50', reasonCode: 8 }]);
    await submit({ ...body, commission: '10.00', fees: '1.20' });
    await untilStatus(trade.tradeId, 'AFFIRMED');
  });

  it('lets a counterparty read the breaks of its own confirmation, cancel it, and DK a trade alleged against it', async () => {
    const trade = tradeResource();
    await publishTrade(EventTypes.tradeCaptured, trade);
    await untilStatus(trade.tradeId, 'UNMATCHED');
    const body = confirmationBody(trade, { price: '189.30' });
    const confirmation = await submit(body);
    await untilStatus(trade.tradeId, 'MISMATCHED');

    const own = await http().get(`/api/v1/matches/by-confirmation/${confirmation.id}`).set(asCounterparty(COUNTERPARTY)).expect(200);
    expect(own.body).toMatchObject({ tradeId: trade.tradeId, status: 'MISMATCHED', breaks: [expect.objectContaining({ field: 'price', ours: '189.25', theirs: '189.30', reasonCode: 7 })] });
    await http().get(`/api/v1/matches/by-confirmation/${confirmation.id}`).set(asCounterparty(OTHER_LEI)).expect(404);

    await http().post(`/api/v1/confirmations/${confirmation.id}/cancel`).set(asCounterparty(OTHER_LEI)).send({ reason: 'not yours' }).expect(404);
    const cancelled = await http().post(`/api/v1/confirmations/${confirmation.id}/cancel`).set(asCounterparty(COUNTERPARTY)).send({ reason: 'sent in error' }).expect(200);
    expect(cancelled.body).toMatchObject({ id: confirmation.id, matchStatus: 'CANCELLED', tradeId: null, cancelReason: 'sent in error' });
    expect(await statusOf(trade.tradeId)).toMatchObject({ status: 'UNMATCHED', confirmationId: null, breaks: [] });
    await http().post(`/api/v1/confirmations/${confirmation.id}/cancel`).set(asCounterparty(COUNTERPARTY)).send({ reason: 'again' }).expect(409);
    const listed = await http().get(`/api/v1/matches/by-confirmation/${confirmation.id}`).set(asCounterparty(COUNTERPARTY)).expect(200);
    expect(listed.body).toMatchObject({ tradeId: null, status: 'CANCELLED' });

    // The trade is now alleged against the counterparty, which does not know it.
    await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/dk`).set(asCounterparty(OTHER_LEI)).send({ reason: 'x' }).expect(404);
    await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/dk`).set(asCounterparty(COUNTERPARTY)).send({}).expect(400);
    const dk = await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/dk`).set(asCounterparty(COUNTERPARTY)).send({ reason: 'no such trade in our books' }).expect(200);
    expect(dk.body).toMatchObject({ status: 'UNMATCHED' });
    const view = await http().get(`/api/v1/matches/by-trade/${trade.tradeId}`).set(OPS).expect(200);
    expect(view.body.actions).toEqual([expect.objectContaining({ action: 'DK', reason: 'no such trade in our books', actedBy: expect.any(String), actedAt: expect.any(String) })]);

    // A new version of the confirmation is live again and pairs.
    await submit({ ...body, price: '189.25' });
    await untilStatus(trade.tradeId, 'AFFIRMED');
    await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/dk`).set(asCounterparty(COUNTERPARTY)).send({ reason: 'late' }).expect(409);
  });

  it('makes force-match and manual affirm maker-checker by default: another person approves, recorded with who and why', async () => {
    // A currency profile of its own that does not auto-affirm, four-eyes left at its default.
    const put = await putProfile(http, 'DESK-MANUAL-SEK', { rules: [{ field: 'price', rule: 'EXACT' }, { field: 'settlementDate', rule: 'EXACT' }], autoAffirm: false, currencies: ['SEK'] });
    expect(put.fourEyes).toBe(true);
    const trade = tradeResource({ currency: 'SEK' });
    await publishTrade(EventTypes.tradeCaptured, trade);
    await untilStatus(trade.tradeId, 'UNMATCHED');
    const body = confirmationBody(trade, { currency: 'SEK', price: '189.26' });
    await submit(body);
    await untilStatus(trade.tradeId, 'MISMATCHED');

    const proposal = { confirmationId: body.confirmationId, reason: 'price agreed by phone' };
    const proposed = await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/force-match`).set(OPS).send(proposal).expect(202);
    expect(proposed.body).toMatchObject({ action: 'FORCE_MATCH', status: 'PENDING', confirmationId: body.confirmationId, reason: 'price agreed by phone', requestedBy: expect.any(String) });
    expect((await statusOf(trade.tradeId))!.status).toBe('MISMATCHED');
    // The same proposal again answers with the same request; the proposer cannot approve it.
    expect((await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/force-match`).set(OPS).send(proposal).expect(202)).body.requestId).toBe(proposed.body.requestId);
    await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/requests/${proposed.body.requestId}/approve`).set(OPS).expect(403);
    const forced = await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/requests/${proposed.body.requestId}/approve`).set(OPS_2).expect(200);
    expect(forced.body).toMatchObject({ status: 'MATCHED', breaks: [expect.objectContaining({ field: 'price' })] });
    await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/requests/${proposed.body.requestId}/approve`).set(SUPERVISOR).expect(409);

    const affirm = await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/affirm`).set(OPS_2).expect(202);
    const declined = await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/requests/${affirm.body.requestId}/decline`).set(SUPERVISOR).expect(200);
    expect(declined.body).toMatchObject({ status: 'DECLINED', decidedBy: expect.any(String) });
    expect((await statusOf(trade.tradeId))!.status).toBe('MATCHED');
    const again = await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/affirm`).set(OPS_2).expect(202);
    const affirmed = await http().post(`/api/v1/matches/by-trade/${trade.tradeId}/requests/${again.body.requestId}/approve`).set(SUPERVISOR).expect(200);
    expect(affirmed.body.status).toBe('AFFIRMED');
    expect(affirmed.body.actions).toEqual([
      expect.objectContaining({ action: 'FORCE_MATCH', confirmationId: body.confirmationId, reason: 'price agreed by phone', actedBy: proposed.body.requestedBy, approvedBy: expect.any(String) }),
      expect.objectContaining({ action: 'AFFIRM', actedBy: again.body.requestedBy, approvedBy: expect.any(String) }),
    ]);
    expect(affirmed.body.actions[0].approvedBy).not.toBe(affirmed.body.actions[0].actedBy);
    expect(affirmed.body.requests.map((r: { status: string }) => r.status)).toEqual(['APPROVED', 'DECLINED', 'APPROVED']);
  });

  it('filters match queues by counterparty, trade date, age and break field, oldest first, and shows the US same-day affirmation cutoff', async () => {
    // A trade date of this test's own ahead, and one long past.
    const { tradeDate, next } = uniqueTradeDate(2600, 500);
    // 1980 to 2019: New York on EST every January and February (no 1974-75 winter daylight time).
    const past = uniqueTradeDate(1980, 40);
    const unmatched = tradeResource({ tradeDate, settlementDate: next });
    const mismatched = tradeResource({ tradeDate, settlementDate: next });
    const late = tradeResource({ tradeDate: past.tradeDate, settlementDate: past.next });
    for (const t of [unmatched, mismatched, late]) await publishTrade(EventTypes.tradeCaptured, t);
    for (const t of [unmatched, mismatched, late]) await untilStatus(t.tradeId, 'UNMATCHED');
    await submit(confirmationBody(mismatched, { tradeDate, settlementDate: next, price: '189.30' }));
    await untilStatus(mismatched.tradeId, 'MISMATCHED');

    type Queued = MatchResource & { counterpartyLei: string; tradeDate: string; ageSeconds: number; affirmationCutoff: string | null; cutoffStatus: string | null };
    const queue = async (query: string): Promise<Queued[]> => (await http().get(`/api/v1/matches?limit=500&${query}`).set(OPS).expect(200)).body.items;

    const ofDay = await queue(`tradeDate=${tradeDate}&counterpartyLei=${COUNTERPARTY}&sort=age`);
    expect(ofDay.map((m) => m.tradeId).sort()).toEqual([unmatched.tradeId, mismatched.tradeId].sort());
    expect(ofDay.every((m) => m.tradeDate === tradeDate && m.counterpartyLei === COUNTERPARTY && m.ageSeconds >= 0)).toBe(true);
    // Oldest first: by the last change.
    expect(ofDay.map((m) => m.updatedAt)).toEqual([...ofDay.map((m) => m.updatedAt)].sort());
    // 9 pm in New York on a January trade date is 02:00 UTC the next day; not affirmed and still ahead: at risk.
    expect(ofDay.find((m) => m.tradeId === unmatched.tradeId)).toMatchObject({ affirmationCutoff: `${next}T02:00:00.000Z`, cutoffStatus: 'AT_RISK' });

    expect((await queue(`tradeDate=${tradeDate}&breakField=price`)).map((m) => m.tradeId)).toEqual([mismatched.tradeId]);
    expect(await queue(`tradeDate=${tradeDate}&breakField=netAmount`)).toEqual([]);
    expect(await queue(`tradeDate=${tradeDate}&counterpartyLei=${OTHER_LEI}`)).toEqual([]);
    expect(await queue(`tradeDate=${tradeDate}&minAge=1d`)).toEqual([]);
    expect((await queue(`tradeDate=${tradeDate}&cutoff=AT_RISK`)).map((m) => m.tradeId).sort()).toEqual([unmatched.tradeId, mismatched.tradeId].sort());

    // A trade long past, not affirmed by 9 pm New York on its trade date, has missed the cutoff.
    const missed = await queue(`tradeDate=${past.tradeDate}&counterpartyLei=${COUNTERPARTY}&status=UNMATCHED&cutoff=MISSED`);
    expect(missed).toEqual([expect.objectContaining({ tradeId: late.tradeId, affirmationCutoff: `${past.next}T02:00:00.000Z`, cutoffStatus: 'MISSED' })]);
    expect(await queue(`tradeDate=${past.tradeDate}&cutoff=AT_RISK`)).toEqual([]);

    const bad = await http().get('/api/v1/matches?minAge=yesterday&breakField=colour').set(OPS).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['breakField', 'minAge']);
  });

  it('keeps an auto-affirmed pair: a later trade the confirmation prefers cannot take it', async () => {
    const first = tradeResource();
    const later = tradeResource({ quantity: first.quantity });
    await publishTrade(EventTypes.tradeCaptured, first);
    await untilStatus(first.tradeId, 'UNMATCHED');
    // The confirmation names the later trade as ours, so level 1 would prefer the later trade.
    const body = confirmationBody(first, { ourReference: later.sourceTradeId });
    await submit(body);
    await untilMatch(first.tradeId, (m) => m.status === 'AFFIRMED' && m.confirmationId === body.confirmationId, 'auto-affirmed');

    await publishTrade(EventTypes.tradeCaptured, later);
    await untilStatus(later.tradeId, 'UNMATCHED');
    expect(await statusOf(first.tradeId)).toMatchObject({ status: 'AFFIRMED', confirmationId: body.confirmationId });
  });

  describe('matching profiles under maker-checker', () => {
    const AUDITOR = { Authorization: 'Bearer dev-auditor' };
    const rulesOf = (priceRule: Record<string, unknown>) => [priceRule, { field: 'settlementDate', rule: 'EXACT' }];

    /** Declines what a previous, interrupted run may have left open on the profile. */
    async function noOpenChange(name: string): Promise<void> {
      for (const status of ['PENDING', 'SCHEDULED']) {
        const open = await http().get(`/api/v1/matching-profile-changes?status=${status}&profile=${name}`).set(OPS).expect(200);
        for (const c of open.body.items) await http().post(`/api/v1/matching-profiles/${name}/changes/${c.changeId}/decline`).set(SUPERVISOR).expect(200);
      }
    }

    it('only proposes a change (202); someone other than the proposer approves it; each step is audited with the profile before and after', async () => {
      const name = 'DESK-FOUR-EYES-CHF';
      await noOpenChange(name);
      const before = await putProfile(http, name, { rules: rulesOf({ field: 'price', rule: 'EXACT' }), autoAffirm: false, currencies: ['CHF'] });

      const body = { rules: rulesOf({ field: 'price', rule: 'PERCENT', tolerance: '0.5' }), autoAffirm: true, currencies: ['CHF'], reason: 'broker agreed a price tolerance' };
      const proposed = await http().put(`/api/v1/matching-profiles/${name}`).set(OPS).send(body).expect(202);
      expect(proposed.body).toMatchObject({ profile: name, status: 'PENDING', baseRevision: before.revision, effectiveFrom: null, reason: body.reason, proposed: { autoAffirm: true } });
      // Nothing applies yet.
      expect((await http().get(`/api/v1/matching-profiles/${name}`).set(OPS).expect(200)).body).toMatchObject({ revision: before.revision, autoAffirm: false });
      const pending = await http().get(`/api/v1/matching-profile-changes?status=PENDING&profile=${name}`).set(AUDITOR).expect(200);
      expect(pending.body.items.map((c: { changeId: string }) => c.changeId)).toEqual([proposed.body.changeId]);
      // The same proposal again is the same change; another one waits until this one is decided.
      expect((await http().put(`/api/v1/matching-profiles/${name}`).set(OPS).send(body).expect(202)).body.changeId).toBe(proposed.body.changeId);
      await http().put(`/api/v1/matching-profiles/${name}`).set(OPS_2).send({ ...body, autoAffirm: false }).expect(409);

      const approve = `/api/v1/matching-profiles/${name}/changes/${proposed.body.changeId}/approve`;
      await http().post(approve).set(OPS).expect(403);
      await http().post(approve).set(AUDITOR).expect(403);
      const approved = await http().post(approve).set(OPS_2).expect(200);
      expect(approved.body).toMatchObject({ status: 'APPLIED', decidedBy: expect.any(String), appliedRevision: (before.revision as number) + 1 });
      expect(approved.body.decidedBy).not.toBe(proposed.body.requestedBy);
      expect((await http().get(`/api/v1/matching-profiles/${name}`).set(OPS).expect(200)).body).toMatchObject({ revision: (before.revision as number) + 1, autoAffirm: true, scheduledChanges: [] });
      await http().post(approve).set(SUPERVISOR).expect(409);

      // A declined change leaves the profile as it is.
      const declinedChange = await http().put(`/api/v1/matching-profiles/${name}`).set(OPS).send({ ...body, autoAffirm: false }).expect(202);
      await http().post(`/api/v1/matching-profiles/${name}/changes/${declinedChange.body.changeId}/decline`).set(SUPERVISOR).expect(200);
      expect((await http().get(`/api/v1/matching-profiles/${name}`).set(OPS).expect(200)).body.autoAffirm).toBe(true);

      const audit = await http().get(`/api/v1/audit?entityId=${name}&limit=500`).set(AUDITOR).expect(200);
      type Record = { action: string; actor: string; before: { autoAffirm?: boolean; revision?: number } | null; after: { autoAffirm?: boolean; revision?: number; changeId?: string } | null };
      const ofChange = (audit.body.items as Record[]).slice(-5);
      expect(ofChange.map((r) => r.action)).toEqual(['PROFILE_CHANGE_PROPOSED', 'PROFILE_CHANGE_APPROVED', 'PROFILE_CHANGE_APPLIED', 'PROFILE_CHANGE_PROPOSED', 'PROFILE_CHANGE_DECLINED']);
      const [proposal, approval, application] = ofChange;
      expect(proposal).toMatchObject({ actor: proposed.body.requestedBy, before: { autoAffirm: false, revision: before.revision }, after: { autoAffirm: true, changeId: proposed.body.changeId } });
      expect(approval.actor).toBe(approved.body.decidedBy);
      expect(application).toMatchObject({ before: { autoAffirm: false, revision: before.revision }, after: { autoAffirm: true, revision: (before.revision as number) + 1 } });
      expect((await http().post('/api/v1/audit/verify').set(AUDITOR).expect(200)).body.ok).toBe(true);
    });

    it('refuses a profile without rules or one that would affirm everything, naming the field', async () => {
      const refused = async (body: Record<string, unknown>): Promise<string[]> =>
        [...new Set<string>((await http().put('/api/v1/matching-profiles/DESK-LAX').set(OPS).send(body).expect(400)).body.errors.map((e: { field: string }) => e.field))];
      expect(await refused({ rules: [], autoAffirm: false })).toEqual(['rules']);
      expect(await refused({ rules: [{ field: 'price', rule: 'IGNORE' }, { field: 'netAmount', rule: 'IGNORE' }], autoAffirm: false })).toEqual(['rules']);
      expect(await refused({ rules: rulesOf({ field: 'price', rule: 'PERCENT', tolerance: '100' }), autoAffirm: false })).toEqual(['rules[0].tolerance']);
      expect(await refused({ rules: [{ field: 'settlementDate', rule: 'EXACT' }, { field: 'fees', rule: 'EXACT' }], autoAffirm: true })).toEqual(['autoAffirm']);
      expect(await refused({ rules: rulesOf({ field: 'price', rule: 'EXACT' }), autoAffirm: false, effectiveFrom: 'tomorrow' })).toEqual(['effectiveFrom']);
    });

    it('applies a change from its effectiveFrom, shows it scheduled until then, and re-evaluates the open pairs it applies to', async () => {
      const name = 'DESK-REEVAL-DKK';
      const dkk = { currency: 'DKK' };
      await noOpenChange(name);
      await putProfile(http, name, { rules: rulesOf({ field: 'price', rule: 'EXACT' }), autoAffirm: false, fourEyes: false, currencies: ['DKK'] });
      const current = (await http().get(`/api/v1/matching-profiles/${name}`).set(OPS).expect(200)).body;

      const mismatched = tradeResource(dkk);
      const matched = tradeResource(dkk);
      const unmatched = tradeResource(dkk);
      for (const t of [mismatched, matched, unmatched]) await publishTrade(EventTypes.tradeCaptured, t);
      for (const t of [mismatched, matched, unmatched]) await untilStatus(t.tradeId, 'UNMATCHED');
      await submit(confirmationBody(mismatched, { ...dkk, price: '189.26' }));
      await submit(confirmationBody(matched, dkk));
      await untilStatus(mismatched.tradeId, 'MISMATCHED');
      await untilStatus(matched.tradeId, 'MATCHED');

      // Price within 0.01 % and auto-affirm, from an hour from now.
      const effectiveFrom = new Date(Date.now() + 3_600_000).toISOString();
      const proposed = await http()
        .put(`/api/v1/matching-profiles/${name}`)
        .set(OPS)
        .send({ rules: rulesOf({ field: 'price', rule: 'PERCENT', tolerance: '0.01' }), autoAffirm: true, fourEyes: false, currencies: ['DKK'], effectiveFrom })
        .expect(202);
      expect(proposed.body.effectiveFrom).toBe(effectiveFrom);
      const scheduled = await http().post(`/api/v1/matching-profiles/${name}/changes/${proposed.body.changeId}/approve`).set(OPS_2).expect(200);
      expect(scheduled.body).toMatchObject({ status: 'SCHEDULED', appliedAt: null });
      const shown = (await http().get(`/api/v1/matching-profiles/${name}`).set(AUDITOR).expect(200)).body;
      expect(shown).toMatchObject({ revision: current.revision, autoAffirm: false, scheduledChanges: [expect.objectContaining({ changeId: proposed.body.changeId, effectiveFrom, status: 'SCHEDULED' })] });

      // Before its date nothing changes; from it, the change applies and the open pairs move.
      const profiles = app.get(MatchingProfiles);
      expect(await profiles.applyDue(new Date())).toEqual([]);
      expect(await statusOf(mismatched.tradeId)).toMatchObject({ status: 'MISMATCHED' });
      const applied = await profiles.applyDue(new Date(Date.now() + 2 * 3_600_000));
      expect(applied.map((c) => c.changeId)).toEqual([proposed.body.changeId]);

      expect(await statusOf(mismatched.tradeId)).toMatchObject({ status: 'AFFIRMED', breaks: [], profile: name });
      expect(await statusOf(matched.tradeId)).toMatchObject({ status: 'AFFIRMED', profile: name });
      expect(await statusOf(unmatched.tradeId)).toMatchObject({ status: 'UNMATCHED', profile: name });
      const after = (await http().get(`/api/v1/matching-profiles/${name}`).set(OPS).expect(200)).body;
      expect(after).toMatchObject({ revision: current.revision + 1, autoAffirm: true, scheduledChanges: [] });
      // Published as usual, through the outbox, under the change's id.
      const events: { message_key: string; event_type: string }[] = await app
        .get(DataSource)
        .query('select message_key, event_type from outbox where correlation_id = $1 order by position', [proposed.body.changeId]);
      expect(events.filter((e) => e.message_key === mismatched.tradeId).map((e) => e.event_type)).toEqual([EventTypes.matchMatched, EventTypes.matchAffirmed]);
      expect(events.filter((e) => e.message_key === matched.tradeId).map((e) => e.event_type)).toEqual([EventTypes.matchMatched, EventTypes.matchAffirmed]);
    });
  });
});
