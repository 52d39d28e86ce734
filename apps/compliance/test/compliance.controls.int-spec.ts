import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { EventTypes, sourceFor, Topics, toHeaders, type TradeResource } from '@postrade/contracts';
import { KafkajsEventPublisher, kafkaConnectionFromEnv } from '@postrade/messaging';
import { configureApp } from '@postrade/platform';
import { eventually, freshLei } from '@postrade/testing';
import { ComplianceModule } from '../src/compliance.module';

// Issue 18: controls that need two people (lists, limits, thresholds), release requests that a new
// alert withdraws, rejected trades out of exposure, NMS-only large-trader aggregation, the alert work
// queue and the list versions a decision was screened against — through REST and Kafka.

const OPS = { Authorization: 'Bearer dev-ops' };
const SUPERVISOR = { Authorization: 'Bearer dev-supervisor' };
const SECOND_SUPERVISOR = { Authorization: 'Bearer test-supervisor-2' };
const AUDITOR = { Authorization: 'Bearer dev-auditor' };
const OUR_ENTITY = { lei: '529900T8BM49AURSDO55', name: 'Our Fund', bic: 'DEUTDEFF' };
const word = () => `Q${Array.from(randomBytes(8), (b) => String.fromCharCode(65 + (b % 26))).join('')}`;
/** A made-up ISIN of a country: compliance checks its shape, not that it exists. */
const isinOf = (country: string) => {
  const body = `${country}${Array.from(randomBytes(9), (b) => String.fromCharCode(48 + (b % 10))).join('')}`;
  const digits = [...body].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('');
  let sum = 0;
  [...digits].reverse().forEach((d, i) => {
    let n = Number(d);
    if (i % 2 === 0) n *= 2;
    sum += Math.floor(n / 10) + (n % 10);
  });
  return `${body}${(10 - (sum % 10)) % 10}`;
};

type Decision = { outcome: string; tradeVersion: number; screenedAgainst: { source: string; version: string }[] | null; alerts: { alertId: string; rule: string; severity: string; status: string; details: Record<string, unknown> }[] };

describe('compliance controls (four eyes, withdrawals, exposure, NMS, alert queue)', () => {
  let app: INestApplication;
  let publisher: KafkajsEventPublisher;
  const book = `BOOK-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    process.env.POSTRADE_API_KEYS = 'test-supervisor-2=supervisor';
    const moduleRef = await Test.createTestingModule({ imports: [ComplianceModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app);
    await app.init();
    publisher = new KafkajsEventPublisher(kafkaConnectionFromEnv('compliance-controls-test'));
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

  async function newCounterparty(name = `${word()} ${word()} Securities`) {
    const counterparty = { lei: freshLei(), name, aliases: [] as string[], country: 'US', bic: 'GSCMUS33XXX' };
    await publish(Topics.tradeCaptureReferenceData, EventTypes.counterpartyUpserted, counterparty.lei, counterparty);
    return counterparty;
  }

  function trade(counterparty: { lei: string; name: string }, overrides: Partial<TradeResource> = {}): TradeResource {
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
      counterparty: { lei: counterparty.lei, name: counterparty.name, bic: 'GSCMUS33XXX', country: 'US' },
      legalEntity: OUR_ENTITY,
      ssis: { ours: ssi, theirs: { ...ssi, lei: counterparty.lei } },
      exceptions: [],
      cancelReason: null,
      createdAt: at,
      updatedAt: at,
      ...overrides,
    };
  }

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

  /** Proposed by ops (202), approved by a supervisor: the change applies. */
  async function approved(proposal: request.Test): Promise<Record<string, unknown>> {
    const proposed = await proposal.set(OPS).expect(202);
    return (await http().post(`/api/v1/control-changes/${proposed.body.changeId}/approve`).set(SUPERVISOR).expect(200)).body;
  }

  describe('changes to lists, limits and thresholds are maker-checker', () => {
    it('proposes a restriction (202, pending, nothing in force), refuses the proposer (403) and ops (403), applies on a second person, audited with before and after', async () => {
      const isin = isinOf('US');
      const body = { from: '2026-11-01', to: '2026-11-30', reason: 'wall-crossed', kind: 'RESTRICTED' };
      const proposed = await http().put(`/api/v1/restricted-list/${isin}`).set(SUPERVISOR).send(body).expect(202);
      expect(proposed.body).toMatchObject({ kind: 'RESTRICTION', target: `restricted-list/${isin}`, status: 'PENDING', proposedBy: 'dev-supervisor', before: null, effectiveFrom: '2026-11-01' });
      expect(proposed.body.proposed).toEqual({ isin, ...body });
      const { changeId } = proposed.body;

      // Pending: listed, not in force; a trade in the ISIN clears.
      const pending = await http().get('/api/v1/control-changes?status=PENDING&limit=500').set(AUDITOR).expect(200);
      expect(pending.body.items.map((c: { changeId: string }) => c.changeId)).toContain(changeId);
      const inForce = await http().get('/api/v1/restricted-list?asOf=2026-11-15&limit=500').set(OPS).expect(200);
      expect(inForce.body.items.map((e: { isin: string }) => e.isin)).not.toContain(isin);
      expect((await screened(trade(await newCounterparty(), { isin }))).outcome).toBe('CLEARED');
      // A second proposal for the same ISIN waits for the first.
      await http().put(`/api/v1/restricted-list/${isin}`).set(OPS).send(body).expect(409);

      expect((await http().post(`/api/v1/control-changes/${changeId}/approve`).set(SUPERVISOR).expect(403)).body.detail).toMatch(/second person/);
      await http().post(`/api/v1/control-changes/${changeId}/approve`).set(OPS).expect(403);
      const done = await http().post(`/api/v1/control-changes/${changeId}/approve`).set(SECOND_SUPERVISOR).expect(200);
      // An extra API key's principal id is its role and a hash of the key.
      expect(done.body).toMatchObject({ status: 'APPROVED', decidedBy: expect.stringMatching(/^supervisor-\w+$/) });
      const approver = done.body.decidedBy as string;
      await http().post(`/api/v1/control-changes/${changeId}/approve`).set(SECOND_SUPERVISOR).expect(409);

      const after = await http().get('/api/v1/restricted-list?asOf=2026-11-15&limit=500').set(OPS).expect(200);
      expect(after.body.items).toContainEqual({ isin, ...body });
      expect((await screened(trade(await newCounterparty(), { isin }), 'HELD')).alerts.map((a) => a.rule)).toEqual(['RESTRICTED_LIST']);

      // The removal is a proposal too, with what it removes as before.
      const removal = await http().delete(`/api/v1/restricted-list/${isin}`).set(OPS).send({ reason: 'deal announced' }).expect(202);
      expect(removal.body).toMatchObject({ kind: 'RESTRICTION_REMOVAL', proposed: null, before: { isin, ...body } });
      expect((await http().get('/api/v1/restricted-list?asOf=2026-11-15&limit=500').set(OPS).expect(200)).body.items.map((e: { isin: string }) => e.isin)).toContain(isin);
      await http().post(`/api/v1/control-changes/${removal.body.changeId}/decline`).set(SUPERVISOR).expect(200);
      expect((await http().get('/api/v1/restricted-list?asOf=2026-11-15&limit=500').set(OPS).expect(200)).body.items.map((e: { isin: string }) => e.isin)).toContain(isin);

      const audit = await http().get(`/api/v1/audit?entityId=${isin}`).set(AUDITOR).expect(200);
      const records = audit.body.items as { actor: string; action: string; before: unknown; after: Record<string, unknown> }[];
      expect(records.map((r) => `${r.actor} ${r.action}`)).toEqual([
        'dev-supervisor control-change.proposed',
        `${approver} control-change.approved`,
        `${approver} restricted-list.put`,
        'dev-ops control-change.proposed',
        'dev-supervisor control-change.declined',
      ]);
      expect(records[2]).toMatchObject({ before: null, after: expect.objectContaining({ isin, kind: 'RESTRICTED', proposedBy: 'dev-supervisor', approvedBy: approver, changeId }) });
    });

    it('keeps every period of an ISIN: a later period does not overwrite an earlier one, an as-of query and a late-booked trade inside the old period see it, RESTRICTED and WATCH coexist, a removal keeps the past', async () => {
      const isin = isinOf('US');
      const first = { from: '2026-10-01', to: '2026-10-31', reason: 'wall-crossed in October', kind: 'RESTRICTED' };
      const second = { from: '2026-11-10', to: null, reason: 'new mandate', kind: 'RESTRICTED' };
      const watch = { from: '2026-11-01', to: null, reason: 'rumours', kind: 'WATCH' };
      await approved(http().put(`/api/v1/restricted-list/${isin}`).send(first));
      await approved(http().put(`/api/v1/restricted-list/${isin}`).send(second));
      await approved(http().put(`/api/v1/restricted-list/${isin}`).send(watch));
      const asOf = async (date: string) =>
        ((await http().get(`/api/v1/restricted-list?asOf=${date}&limit=500`).set(OPS).expect(200)).body.items as { isin: string }[]).filter((e) => e.isin === isin);

      expect(await asOf('2026-10-15')).toEqual([{ isin, ...first }]);
      expect(await asOf('2026-11-05')).toEqual([{ isin, ...watch }]);
      expect(await asOf('2026-11-20')).toEqual([{ isin, ...second }, { isin, ...watch }]);
      // Paging by ISIN and kind keeps both entries of the ISIN, one page each.
      const firstPage = await http().get('/api/v1/restricted-list?asOf=2026-11-20&limit=1').set(OPS).expect(200);
      expect(firstPage.body.items).toHaveLength(1);

      // A trade booked late, dated inside the October restriction, is held by it; one in November only watched, one later both.
      const october = await screened(trade(await newCounterparty(), { isin, tradeDate: '2026-10-20', settlementDate: '2026-10-21' }), 'HELD');
      expect(october.alerts.map((a) => [a.rule, a.details.reason])).toEqual([['RESTRICTED_LIST', 'wall-crossed in October']]);
      const watched = await screened(trade(await newCounterparty(), { isin, tradeDate: '2026-11-05', settlementDate: '2026-11-06' }), 'CLEARED');
      expect(watched.alerts.map((a) => a.rule)).toEqual(['WATCH_LIST']);
      const both = await screened(trade(await newCounterparty(), { isin, tradeDate: '2026-11-20', settlementDate: '2026-11-23' }), 'HELD');
      expect(both.alerts.map((a) => a.rule).sort()).toEqual(['RESTRICTED_LIST', 'WATCH_LIST']);

      // A removal takes the ISIN off the lists from today; what was in force before stays visible.
      const removal = await approved(http().delete(`/api/v1/restricted-list/${isin}`).send({ reason: 'deal announced' }));
      expect(removal).toMatchObject({ status: 'APPROVED' });
      const today = new Date().toISOString().slice(0, 10);
      expect(await asOf(today)).toEqual([]);
      expect(await asOf('2026-10-15')).toEqual([{ isin, ...first }]);
      expect(await asOf('2026-11-20')).toEqual([{ isin, ...second }, { isin, ...watch }]);
    });

    it('validates a proposal: 400 naming the field', async () => {
      const bad = await http().put(`/api/v1/restricted-list/${isinOf('US')}`).set(OPS).send({ from: '2026-11-30', to: '2026-11-01', reason: 'x', kind: 'WATCH' }).expect(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);
      const past = await http().put(`/api/v1/limits/${freshLei()}/USD`).set(OPS).send({ limit: '100', effectiveFrom: '2020-01-01' }).expect(400);
      expect(past.body.errors).toEqual([expect.objectContaining({ field: 'effectiveFrom' })]);
      const negative = await http().put(`/api/v1/limits/${freshLei()}/USD`).set(OPS).send({ limit: '-1' }).expect(400);
      expect(negative.body.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
      const zero = await http().put('/api/v1/large-trader-thresholds').set(OPS).send({ shares: '0', usdNotional: '100', reason: 'x', effectiveFrom: '2099-01-01' }).expect(400);
      expect(zero.body.errors).toEqual([expect.objectContaining({ field: 'shares' })]);
    });

    it('an exposure limit is effective-dated: approved for a later day, it is not in force today; with before and after', async () => {
      const counterparty = await newCounterparty();
      const proposed = await http().put(`/api/v1/limits/${counterparty.lei}/USD`).set(OPS).send({ limit: '50000.00', effectiveFrom: '2099-01-01', reason: 'credit review' }).expect(202);
      expect(proposed.body).toMatchObject({ kind: 'EXPOSURE_LIMIT', before: null, proposed: { counterpartyLei: counterparty.lei, currency: 'USD', limit: '50000', effectiveFrom: '2099-01-01' } });
      await http().post(`/api/v1/control-changes/${proposed.body.changeId}/approve`).set(SUPERVISOR).expect(200);
      expect((await screened(trade(counterparty))).outcome).toBe('CLEARED');

      await approved(http().put(`/api/v1/limits/${counterparty.lei}/USD`).send({ limit: '150000.00' }));
      expect((await screened(trade(counterparty), 'HELD')).alerts.map((a) => a.rule)).toEqual(['EXPOSURE_LIMIT']);
      const audit = await http().get(`/api/v1/audit?entityId=${counterparty.lei}`).set(AUDITOR).expect(200);
      const puts = (audit.body.items as { action: string; before: unknown; after: Record<string, unknown> }[]).filter((r) => r.action === 'exposure-limit.put');
      expect(puts.map((r) => [r.before, r.after.limit, r.after.effectiveFrom])).toEqual([
        [null, '50000', '2099-01-01'],
        [null, '150000', new Date().toISOString().slice(0, 10)],
      ]);
    });

    it('large-trader thresholds change under four eyes, from their effective date on', async () => {
      // Far in the future, so that no other test's trade dates see these thresholds.
      const proposed = await http().put('/api/v1/large-trader-thresholds').set(OPS).send({ shares: '5000', usdNotional: '900000000', effectiveFrom: '2099-06-01', reason: 'test of the control' }).expect(202);
      expect(proposed.body.before).toEqual({ shares: '2000000', usdNotional: '20000000', effectiveFrom: '1970-01-01' });
      await http().post(`/api/v1/control-changes/${proposed.body.changeId}/approve`).set(OPS).expect(403);
      await http().post(`/api/v1/control-changes/${proposed.body.changeId}/approve`).set(SUPERVISOR).expect(200);
      expect((await http().get('/api/v1/large-trader-thresholds?asOf=2099-06-01').set(AUDITOR).expect(200)).body).toEqual({ shares: '5000', usdNotional: '900000000', effectiveFrom: '2099-06-01', asOf: '2099-06-01' });
      expect((await http().get('/api/v1/large-trader-thresholds?asOf=2099-05-31').set(AUDITOR).expect(200)).body).toMatchObject({ shares: '2000000' });

      const counterparty = await newCounterparty();
      const before = await screened(trade(counterparty, { quantity: '6000', book: `${book}-T1`, tradeDate: '2099-05-31' }));
      expect(before.alerts).toEqual([]);
      const from = await screened(trade(counterparty, { quantity: '6000', book: `${book}-T2`, tradeDate: '2099-06-01' }));
      expect(from.alerts).toEqual([expect.objectContaining({ rule: 'LARGE_TRADER', details: expect.objectContaining({ crossed: ['SHARES'], sharesThreshold: '5000' }) })]);
    });
  });

  it('counts NMS securities only (US equities and ETFs) towards the large-trader thresholds', async () => {
    const counterparty = await newCounterparty();
    const big = { quantity: '2500000', price: '1.00', grossAmount: '2500000.00', netAmount: '2500000.00' };
    const german = await screened(trade(counterparty, { ...big, isin: 'DE0007164600', book: `${book}-DE` }));
    expect(german.alerts).toEqual([]);
    const usBond = await screened(trade(counterparty, { ...big, isin: isinOf('US'), book: `${book}-BOND`, instrument: { description: 'Bond', assetClass: 'CORP_BOND', priceType: 'PERCENT_OF_PAR', csdrCategory: 'OTHER_DEBT' } }));
    expect(usBond.alerts).toEqual([]);
    const usEquity = await screened(trade(counterparty, { ...big, isin: isinOf('US'), book: `${book}-US` }));
    expect(usEquity.alerts).toEqual([expect.objectContaining({ rule: 'LARGE_TRADER', details: expect.objectContaining({ crossed: ['SHARES'] }) })]);
  });

  it('a trade rejected by compliance leaves its counterparty exposure', async () => {
    const counterparty = await newCounterparty();
    await approved(http().put(`/api/v1/limits/${counterparty.lei}/USD`).send({ limit: '150000.00' }));
    expect((await screened(trade(counterparty))).outcome).toBe('CLEARED');
    const over = await screened(trade(counterparty), 'HELD');
    expect(over.alerts.map((a) => a.rule)).toEqual(['EXPOSURE_LIMIT']);
    const tradeId = (over as unknown as { tradeId: string }).tradeId;
    const reject = await http().post(`/api/v1/holds/${tradeId}/release-requests`).set(OPS).send({ reason: 'over the limit', action: 'REJECT' }).expect(201);
    await http().post(`/api/v1/holds/${tradeId}/release-requests/${reject.body.requestId}/approve`).set(SUPERVISOR).expect(200);
    await decisionOf(tradeId, 'REJECTED');
    // 100,000 open plus 50,000 is within 150,000 only if the rejected 100,000 no longer counts.
    expect((await screened(trade(counterparty, { grossAmount: '50000.00', netAmount: '50000.00', quantity: '500' }))).outcome).toBe('CLEARED');
  });

  describe('a new alert withdraws a pending release; approval never resolves an alert unseen', () => {
    it('a list load that hits the counterparty withdraws the pending request (WITHDRAWN, audited); its approval is 409; the decision names the list versions', async () => {
      const name = `${word()} ${word()} Trading`;
      const counterparty = await newCounterparty(name);
      await approved(http().put(`/api/v1/limits/${counterparty.lei}/USD`).send({ limit: '1.00' }));
      const held = await screened(trade(counterparty), 'HELD');
      const tradeId = (held as unknown as { tradeId: string }).tradeId;
      const proposal = await http().post(`/api/v1/holds/${tradeId}/release-requests`).set(OPS).send({ reason: 'limit raised tomorrow', action: 'RELEASE' }).expect(201);
      expect(proposal.body.alertIds).toEqual(held.alerts.map((a) => a.alertId));

      const source = `TEST-CONTROLS-${randomUUID().slice(0, 8)}`;
      const loaded = await http()
        .post('/api/v1/sanctions-lists')
        .set(OPS)
        .send({ source, version: 'v1', entries: [{ id: 'E-1', name: name.toUpperCase(), aliases: [], program: 'SDGT', country: 'IR' }] })
        .expect(201);
      expect(loaded.body.heldTradeIds).toEqual([tradeId]);

      const approval = await http().post(`/api/v1/holds/${tradeId}/release-requests/${proposal.body.requestId}/approve`).set(SUPERVISOR).expect(409);
      expect(approval.body.detail).toMatch(/WITHDRAWN/);
      const decision = await decisionOf(tradeId, 'HELD');
      expect(decision.alerts.map((a) => [a.rule, a.status])).toEqual([['EXPOSURE_LIMIT', 'OPEN'], ['SANCTIONS', 'OPEN']]);
      expect(decision.screenedAgainst).toContainEqual({ source, version: 'v1' });
      const audit = await http().get(`/api/v1/audit?entityId=${tradeId}`).set(AUDITOR).expect(200);
      expect(audit.body.items.map((r: { action: string }) => r.action)).toEqual(['decision.held', 'release-request.proposed', 'decision.held', 'release-request.withdrawn']);
      expect(audit.body.items[3].after).toMatchObject({ status: 'WITHDRAWN', withdrawnBecause: 'new SANCTIONS alert' });

      // A new request is made against both alerts; an approver naming only one of them is refused.
      const again = await http().post(`/api/v1/holds/${tradeId}/release-requests`).set(OPS).send({ reason: 'both reviewed', action: 'REJECT' }).expect(201);
      const onlyOne = await http().post(`/api/v1/holds/${tradeId}/release-requests/${again.body.requestId}/approve`).set(SUPERVISOR).send({ alertIds: [decision.alerts[0].alertId] }).expect(409);
      expect(onlyOne.body.detail).toContain(decision.alerts[1].alertId);
      await http().post(`/api/v1/holds/${tradeId}/release-requests/${again.body.requestId}/approve`).set(SUPERVISOR).send({ alertIds: decision.alerts.map((a) => a.alertId) }).expect(200);
      expect((await decisionOf(tradeId, 'REJECTED')).alerts.every((a) => a.status === 'RESOLVED')).toBe(true);
    });

    it('an amendment withdraws the pending request (WITHDRAWN)', async () => {
      const counterparty = await newCounterparty();
      await approved(http().put(`/api/v1/limits/${counterparty.lei}/USD`).send({ limit: '1.00' }));
      const t = trade(counterparty);
      await screened(t, 'HELD');
      const proposal = await http().post(`/api/v1/holds/${t.tradeId}/release-requests`).set(OPS).send({ reason: 'fine', action: 'RELEASE' }).expect(201);
      await publish(Topics.tradeCaptureTrades, EventTypes.tradeAmended, t.tradeId, { ...t, version: 2, status: 'AMENDED', quantity: '999' });
      await decisionOf(t.tradeId).then(() => eventually(() => decisionOf(t.tradeId), (d) => d.tradeVersion === 2, 30_000, 'amended'));
      const approval = await http().post(`/api/v1/holds/${t.tradeId}/release-requests/${proposal.body.requestId}/approve`).set(SUPERVISOR).expect(409);
      expect(approval.body.detail).toMatch(/WITHDRAWN/);
    });
  });

  it('the alert work queue: alerts that hold no trade are commented, assigned, escalated and closed, audited; one that holds its trade is not closed here', async () => {
    const isin = isinOf('US');
    await approved(http().put(`/api/v1/restricted-list/${isin}`).send({ from: '2026-11-01', reason: 'rumours', kind: 'WATCH' }));
    const watched = await screened(trade(await newCounterparty(), { isin }));
    expect(watched.outcome).toBe('CLEARED');
    const [alert] = watched.alerts;
    expect(alert).toMatchObject({ rule: 'WATCH_LIST', severity: 'MEDIUM', status: 'OPEN' });
    const path = `/api/v1/alerts/${alert.alertId}`;

    const commented = await http().post(`${path}/comments`).set(OPS).send({ text: 'looking at the news flow' }).expect(201);
    expect(commented.body.comments).toEqual([expect.objectContaining({ author: 'dev-ops', text: 'looking at the news flow' })]);
    expect((await http().post(`${path}/assign`).set(OPS).send({ assignee: 'dev-ops' }).expect(200)).body.assignee).toBe('dev-ops');
    const assigned = await http().get('/api/v1/alerts?assignee=dev-ops&status=OPEN&rule=WATCH_LIST&limit=500').set(OPS).expect(200);
    expect(assigned.body.items.map((a: { alertId: string }) => a.alertId)).toContain(alert.alertId);
    const escalated = await http().post(`${path}/escalate`).set(OPS).send({ reason: 'needs the desk head' }).expect(200);
    expect(escalated.body).toMatchObject({ escalatedBy: 'dev-ops', status: 'OPEN' });
    await http().post(`${path}/escalate`).set(OPS).send({ reason: 'again' }).expect(409);
    const closed = await http().post(`${path}/close`).set(SUPERVISOR).send({ reason: 'no concern: public information' }).expect(200);
    expect(closed.body).toMatchObject({ status: 'CLOSED', closedBy: 'dev-supervisor', closeReason: 'no concern: public information' });
    await http().post(`${path}/close`).set(SUPERVISOR).send({ reason: 'twice' }).expect(409);
    expect((await http().get(path).set(AUDITOR).expect(200)).body.comments).toHaveLength(2);
    await http().post(`${path}/comments`).set(AUDITOR).send({ text: 'x' }).expect(403);
    const blank = await http().post(`${path}/close`).set(OPS).send({ reason: ' ' }).expect(400);
    expect(blank.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);

    const tradeId = (watched as unknown as { tradeId: string }).tradeId;
    const audit = await http().get(`/api/v1/audit?entityId=${tradeId}`).set(AUDITOR).expect(200);
    expect(audit.body.items.map((r: { actor: string; action: string }) => `${r.actor} ${r.action}`)).toEqual([
      'system:compliance decision.cleared',
      'dev-ops alert.commented',
      'dev-ops alert.assigned',
      'dev-ops alert.escalated',
      'dev-supervisor alert.closed',
    ]);

    const counterparty = await newCounterparty();
    await approved(http().put(`/api/v1/limits/${counterparty.lei}/USD`).send({ limit: '1.00' }));
    const held = await screened(trade(counterparty), 'HELD');
    const refused = await http().post(`/api/v1/alerts/${held.alerts[0].alertId}/close`).set(SUPERVISOR).send({ reason: 'fine' }).expect(409);
    expect(refused.body.detail).toMatch(/four eyes/);
    await http().post(`/api/v1/alerts/${randomUUID()}/close`).set(SUPERVISOR).send({ reason: 'fine' }).expect(404);
  });
});
