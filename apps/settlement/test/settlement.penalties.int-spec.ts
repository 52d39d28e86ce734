import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { EventTypes, Topics, toHeaders, sourceFor } from '@postrade/contracts';
import { validateIsin } from '@postrade/kernel';
import { kafkaConnectionFromEnv, KafkajsEventPublisher } from '@postrade/messaging';
import { configureApp } from '@postrade/platform';
import { eventually } from '@postrade/testing';
import { SETTLEMENT_NON_JSON_ROUTES } from '../src/api/status-messages.controller';
import { SettlementModule } from '../src/settlement.module';

const OPS = { Authorization: 'Bearer dev-ops' };
const OPS_2 = { Authorization: 'Bearer dev-ops-2' };
const SUPERVISOR = { Authorization: 'Bearer dev-supervisor' };
const CUSTODIAN = { Authorization: 'Bearer dev-custodian' };
const OUR_LEI = '529900T8BM49AURSDO55';

/** CSDR penalties as DOMAIN.md has them (issue 17), against real Postgres and Kafka. Days of June 2025: Mon 16 … Thu 19. */
describe('settlement penalties (CSDR) against real Postgres and Kafka', () => {
  let app: INestApplication;
  let publisher: KafkajsEventPublisher;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [SettlementModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app, { nonJsonBodyRoutes: SETTLEMENT_NON_JSON_ROUTES });
    await app.init();
    publisher = new KafkajsEventPublisher(kafkaConnectionFromEnv('settlement-penalties-test'));
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await app?.close();
  });

  const http = () => request(app.getHttpServer());

  function freshIsin(prefix = 'XS'): string {
    const body = `${prefix}${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
    return [...'0123456789'].map((d) => body + d).find((isin) => validateIsin(isin) === null)!;
  }

  async function publish(topic: string, type: string, key: string, data: object): Promise<void> {
    const headers = toHeaders({ id: randomUUID(), source: sourceFor(topic), type, time: new Date().toISOString(), subject: key, data });
    await publisher.send([{ topic, key, value: JSON.stringify(data), headers }]);
  }

  /** A trade captured, affirmed and cleared; its instruction (ISD Monday 2025-06-16 unless told). */
  async function instructed(o: { isin: string; quantity: string; market?: string; currency?: string; instrument?: object; side?: string }): Promise<string> {
    const cp = `TEST${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}00`;
    const market = o.market ?? 'EU';
    const currency = o.currency ?? 'EUR';
    const ssi = { lei: OUR_LEI, settlementMarket: market, currency, agentBic: 'DEUTDEFFXXX', safekeepingAccount: 'SK-OURS', cashAccount: 'C-OURS', placeOfSettlement: 'DAKVDEFFXXX' };
    const trade = {
      tradeId: randomUUID(), sourceSystem: 'OMS1', sourceTradeId: `T-${randomUUID()}`, version: 1, status: 'CAPTURED',
      tradeDate: '2025-06-12', executionTime: '2025-06-12T10:00:00.000Z', side: o.side ?? 'BUY', isin: o.isin, quantity: o.quantity, price: '100.00', currency,
      grossAmount: '100000.00', accruedInterest: '0.00', accruedDays: 0, commission: '0', fees: '0', netAmount: '100000.00',
      settlementDate: '2025-06-16', settlementCycle: 'T+2', settlementMarket: market, settlementType: 'DVP', book: 'EQ1',
      instrument: o.instrument ?? { description: 'Share', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
      counterparty: { lei: cp, name: 'Broker A', bic: 'CHASDEFXXXX', country: 'DE' },
      legalEntity: { lei: OUR_LEI, name: 'Our Fund', bic: 'DEUTDEFFXXX' },
      ssis: { ours: ssi, theirs: { ...ssi, lei: cp, agentBic: 'CHASDEFXXXX', safekeepingAccount: 'SK-THEIRS', cashAccount: 'C-THEIRS' } },
      exceptions: [], cancelReason: null, createdAt: '2025-06-12T10:00:01.000Z', updatedAt: '2025-06-12T10:00:01.000Z',
    };
    await publish(Topics.tradeCaptureTrades, EventTypes.tradeCaptured, trade.tradeId, trade);
    const result = { tradeId: trade.tradeId, confirmationId: 'CP-1', senderLei: cp, breaks: [], profile: 'default', updatedAt: new Date().toISOString() };
    await publish(Topics.matchingResults, EventTypes.matchMatched, trade.tradeId, { ...result, status: 'MATCHED' });
    await publish(Topics.matchingResults, EventTypes.matchAffirmed, trade.tradeId, { ...result, status: 'AFFIRMED' });
    await publish(Topics.complianceDecisions, 'postrade.compliance.cleared.v1', trade.tradeId, { tradeId: trade.tradeId, tradeVersion: 1, outcome: 'CLEARED', alerts: [] });
    const gate = await eventually(
      async () => {
        const res = await http().get(`/api/v1/trades/${trade.tradeId}`).set(OPS);
        return res.status === 200 ? (res.body as { instructionId: string | null }) : null;
      },
      (g) => g?.instructionId != null,
      30_000,
      `instruction for ${trade.tradeId}`,
    );
    return gate!.instructionId!;
  }

  const update = (instructionId: string, body: object) =>
    http().post(`/api/v1/instructions/${instructionId}/status-updates`).set(CUSTODIAN).send({ updateId: randomUUID(), ...body }).expect(200);
  const price = (isin: string, date: string, value: string, currency = 'EUR') =>
    http().put(`/api/v1/reference-prices/${isin}/${date}`).set(OPS).send({ price: value, currency }).expect(200);
  const close = (date: string) => http().post(`/api/v1/settlement-days/${date}/close`).set(OPS).expect(200);
  type Penalty = { date: string; amount: string; direction: string; failedQuantity: string; rateBps: string; kind: string };
  const penaltiesOf = async (instructionId: string): Promise<Penalty[]> =>
    (await http().get(`/api/v1/penalties?instructionId=${instructionId}&limit=500`).set(OPS).expect(200)).body.items;
  const figures = (ps: Penalty[]) => ps.map((p) => [p.date, p.failedQuantity, p.amount, p.direction, p.kind]);

  it('assesses a day on the instruction’s state as of that day: closing Monday and Tuesday on Thursday gives the same penalties as on time, and again adds nothing', async () => {
    const isin = freshIsin();
    await price(isin, '2025-06-16', '100.00');
    await price(isin, '2025-06-17', '101.00');
    const failMonTueSettleWed = async (instructionId: string, between: { afterMonday?: () => Promise<unknown>; afterTuesday?: () => Promise<unknown> } = {}) => {
      await update(instructionId, { status: 'MATCHED', effectiveDate: '2025-06-13' });
      await update(instructionId, { status: 'FAILED', failingParty: 'COUNTERPARTY', reasonCode: 'CLAC', effectiveDate: '2025-06-16' });
      await between.afterMonday?.();
      await update(instructionId, { status: 'PARTIALLY_SETTLED', settledQuantity: '400', settledAmount: '40000.00', effectiveDate: '2025-06-17' });
      await between.afterTuesday?.();
      await update(instructionId, { status: 'SETTLED', effectiveDate: '2025-06-18' });
    };

    const onTime = await instructed({ isin, quantity: '1000' });
    await failMonTueSettleWed(onTime, { afterMonday: () => close('2025-06-16'), afterTuesday: () => close('2025-06-17') });
    const expected = [
      ['2025-06-16', '1000', '10.00', 'RECEIVE', 'SETTLEMENT_FAIL'], // 1,000 × 100.00 × 1 bp
      ['2025-06-17', '600', '6.06', 'RECEIVE', 'SETTLEMENT_FAIL'], // (1,000 − 400) × 101.00 × 1 bp
    ];
    expect(figures(await penaltiesOf(onTime))).toEqual(expected);

    const late = await instructed({ isin, quantity: '1000' });
    await failMonTueSettleWed(late);
    expect((await http().get(`/api/v1/instructions/${late}`).set(OPS).expect(200)).body.settlementStatus).toBe('SETTLED');
    await close('2025-06-16');
    await close('2025-06-17');
    expect(figures(await penaltiesOf(late))).toEqual(expected);
    // Closing again, late or not, never charges twice, and the settled instruction stays SETTLED.
    await close('2025-06-16');
    await close('2025-06-17');
    expect(figures(await penaltiesOf(onTime))).toEqual(expected);
    expect(figures(await penaltiesOf(late))).toEqual(expected);
    expect((await http().get(`/api/v1/instructions/${late}`).set(OPS).expect(200)).body.settlementStatus).toBe('SETTLED');
  });

  it('charges EU matched fails only, a cash fail at the ECB rate on the reference value, nothing that rounds to zero, and late matching to the party that instructed last', async () => {
    const uk = freshIsin('GB');
    const unmatched = freshIsin();
    const bond = freshIsin();
    const tiny = freshIsin();
    const lateIsin = freshIsin();
    const ukId = await instructed({ isin: uk, quantity: '10000', market: 'UK', currency: 'GBP' });
    const unmatchedId = await instructed({ isin: unmatched, quantity: '10000' });
    const bondId = await instructed({
      isin: bond, quantity: '250000', side: 'SELL',
      instrument: { description: 'Bund', assetClass: 'GOVT_BOND', priceType: 'PERCENT_OF_PAR', csdrCategory: 'SOVEREIGN_DEBT' },
    });
    const tinyId = await instructed({ isin: tiny, quantity: '3', instrument: { description: 'Small', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'ILLIQUID_SHARE' } });
    const illiquid = { description: 'Small', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'ILLIQUID_SHARE' };
    const lateUs = await instructed({ isin: lateIsin, quantity: '2000', instrument: illiquid });
    const lateThem = await instructed({ isin: lateIsin, quantity: '2000', instrument: illiquid });

    await price(uk, '2025-06-16', '52.30', 'GBP');
    await price(unmatched, '2025-06-16', '52.30');
    await price(bond, '2025-06-16', '98.765');
    await price(tiny, '2025-06-16', '12.00');
    await price(lateIsin, '2025-06-16', '8.40');
    await price(lateIsin, '2025-06-17', '8.45');
    await price(lateIsin, '2025-06-18', '8.50');
    for (const id of [ukId, bondId, tinyId]) await update(id, { status: 'MATCHED', effectiveDate: '2025-06-13' });
    await update(ukId, { status: 'FAILED', failingParty: 'US', reasonCode: 'LACK', effectiveDate: '2025-06-16' });
    await update(unmatchedId, { status: 'FAILED', failingParty: 'US', reasonCode: 'LACK', effectiveDate: '2025-06-16' });
    await update(bondId, { status: 'FAILED', failingParty: 'COUNTERPARTY', reasonCode: 'CMON', effectiveDate: '2025-06-16' });
    await update(tinyId, { status: 'FAILED', failingParty: 'COUNTERPARTY', reasonCode: 'CLAC', effectiveDate: '2025-06-16' });

    await close('2025-06-16');
    expect(await penaltiesOf(ukId)).toEqual([]);
    expect(await penaltiesOf(unmatchedId)).toEqual([]);
    expect(await penaltiesOf(tinyId)).toEqual([]); // 3 × 12.00 × 0.5 bp = 0.0018 EUR
    expect(await penaltiesOf(lateUs)).toEqual([]); // not matched yet
    // 250,000 × 98.765 % = 246,912.50 × 2.40 % (ECB marginal lending from 2025-06-11) / 365 = 16.2353… → 16.24
    expect(await penaltiesOf(bondId)).toEqual([
      expect.objectContaining({ date: '2025-06-16', failedQuantity: '250000', referencePrice: '98.765', rateBps: '0.6575342466', amount: '16.24', direction: 'RECEIVE', kind: 'SETTLEMENT_FAIL' }),
    ]);

    // Matched on Thursday, three business days after the ISD: late-matching penalties for Mon, Tue, Wed at each day's price.
    await update(lateUs, { status: 'MATCHED', effectiveDate: '2025-06-19' }); // ours reached the custodian last (it was sent after the 19th)
    await update(lateThem, { status: 'MATCHED', effectiveDate: '2025-06-19', failingParty: 'COUNTERPARTY' }); // the depository names the late party
    await close('2025-06-19');
    const lmfp = (direction: string) => [
      ['2025-06-16', '2000', '0.84', direction, 'LATE_MATCHING'], // 2,000 × 8.40 × 0.5 bp = 0.84
      ['2025-06-17', '2000', '0.85', direction, 'LATE_MATCHING'], // 2,000 × 8.45 × 0.5 bp = 0.845 → 0.85
      ['2025-06-18', '2000', '0.85', direction, 'LATE_MATCHING'], // 2,000 × 8.50 × 0.5 bp = 0.85
    ];
    expect(figures(await penaltiesOf(lateUs))).toEqual(lmfp('PAY'));
    expect(figures(await penaltiesOf(lateThem))).toEqual(lmfp('RECEIVE'));
    await close('2025-06-19');
    expect(await penaltiesOf(lateUs)).toHaveLength(3);

    for (const id of [ukId, unmatchedId, bondId, tinyId, lateUs, lateThem]) await update(id, { status: 'SETTLED', effectiveDate: '2025-06-20' });
  });

  it('takes cash rates through four eyes: proposed by ops, not approved by the proposer, in force from its date once a supervisor approves, with history', async () => {
    // The shared database outlives a run: a date and a rate of this run's own.
    const currency = 'SEK';
    const effectiveFrom = `20${String(10 + Math.floor(Math.random() * 10))}-0${1 + Math.floor(Math.random() * 9)}-${String(10 + Math.floor(Math.random() * 18))}`;
    const annualPercent = `7.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    const proposed = await http().post(`/api/v1/cash-penalty-rates/${currency}/changes`).set(OPS).send({ effectiveFrom, annualPercent, reason: 'Riksbank' }).expect(201);
    expect(proposed.body).toMatchObject({ currency, status: 'PENDING', proposedBy: 'dev-ops', annualPercent, effectiveFrom });
    expect((await http().get(`/api/v1/cash-penalty-rates/${currency}?asOf=${effectiveFrom}`).set(OPS).expect(200)).body.effective?.annualPercent).not.toBe(annualPercent);
    await http().post(`/api/v1/cash-penalty-rates/${currency}/changes/${proposed.body.changeId}/approve`).set(OPS).expect(403); // ops cannot approve
    const selfProposed = await http().post(`/api/v1/cash-penalty-rates/${currency}/changes`).set(SUPERVISOR).send({ effectiveFrom, annualPercent: '9' }).expect(201);
    await http().post(`/api/v1/cash-penalty-rates/${currency}/changes/${selfProposed.body.changeId}/approve`).set(SUPERVISOR).expect(403); // proposer ≠ approver
    await http().post(`/api/v1/cash-penalty-rates/${currency}/changes/${selfProposed.body.changeId}/decline`).set(SUPERVISOR).expect(200);
    const approved = await http().post(`/api/v1/cash-penalty-rates/${currency}/changes/${proposed.body.changeId}/approve`).set(SUPERVISOR).expect(200);
    expect(approved.body).toMatchObject({ status: 'APPROVED', decidedBy: expect.any(String) });
    await http().post(`/api/v1/cash-penalty-rates/${currency}/changes/${proposed.body.changeId}/approve`).set(SUPERVISOR).expect(409);
    await http().post(`/api/v1/cash-penalty-rates/${currency}/changes`).set(OPS_2).send({ effectiveFrom: 'June', annualPercent: '2' }).expect(400);

    const view = (await http().get(`/api/v1/cash-penalty-rates/${currency}?asOf=${effectiveFrom}`).set(OPS).expect(200)).body;
    expect(view.effective).toMatchObject({ currency, effectiveFrom, annualPercent });
    expect(view.history).toContainEqual(expect.objectContaining({ changeId: proposed.body.changeId, status: 'APPROVED', proposedBy: 'dev-ops', decidedBy: 'dev-supervisor' }));
    expect(view.history.map((c: { status: string }) => c.status)).toEqual(expect.arrayContaining(['APPROVED', 'DECLINED']));
    // EUR is seeded with the ECB marginal lending rates to 2025-06-11.
    const eur = (await http().get('/api/v1/cash-penalty-rates/EUR?asOf=2025-06-16').set(OPS).expect(200)).body;
    expect(eur.effective).toMatchObject({ effectiveFrom: '2025-06-11', annualPercent: '2.40' });
    // The direct, unchecked PUT is gone.
    await http().put('/api/v1/cash-penalty-rates/EUR').set(OPS).send({ effectiveFrom: '2025-06-01', annualPercent: '1' }).expect(404);
  });

  it('shows the fails of a closed day with ageing buckets, penalty cost so far and that day, and tomorrow’s forecast', async () => {
    const isin = freshIsin();
    const id = await instructed({ isin, quantity: '1000' });
    await price(isin, '2025-06-16', '100.00');
    await price(isin, '2025-06-17', '110.00');
    await update(id, { status: 'MATCHED', effectiveDate: '2025-06-13' });
    await update(id, { status: 'FAILED', failingParty: 'US', reasonCode: 'LACK', effectiveDate: '2025-06-16' });
    await close('2025-06-16');
    await close('2025-06-17');
    const body = (await http().get('/api/v1/fails?asOf=2025-06-17&limit=500').set(OPS).expect(200)).body;
    expect(body.asOf).toBe('2025-06-17');
    expect(body.items.find((f: { instructionId: string }) => f.instructionId === id)).toEqual(
      expect.objectContaining({
        unsettledQuantity: '1000', failingParty: 'US', reasonCode: 'LACK', matched: true, ageInBusinessDays: 2, ageBucket: '2-4',
        penaltyAmount: '11.00', penaltyDirection: 'PAY', penaltyKind: 'SETTLEMENT_FAIL',
        penaltiesToDate: { pay: '21.00', receive: '0', penalties: 2 }, // 10.00 on Monday + 11.00 on Tuesday
        forecast: { date: '2025-06-18', amount: '11.00', direction: 'PAY', rateBps: '1.0', referencePrice: '110.00' }, // 1,000 × 110.00 (latest price) × 1 bp
      }),
    );
    expect(body.summary.buckets.map((b: { bucket: string }) => b.bucket)).toEqual(['1', '2-4', '5-7', '8-15', '16+']);
    expect(body.summary.buckets.find((b: { bucket: string }) => b.bucket === '2-4').count).toBeGreaterThanOrEqual(1);
    const eur = body.summary.byCurrency.find((c: { currency: string }) => c.currency === 'EUR');
    expect(Number(eur.forecast.pay)).toBeGreaterThanOrEqual(11);
    expect(Number(eur.toDate.pay)).toBeGreaterThanOrEqual(21);
    await update(id, { status: 'SETTLED', effectiveDate: '2025-06-18' });
  });
});
