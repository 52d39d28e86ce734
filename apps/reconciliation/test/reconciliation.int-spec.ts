import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import request from 'supertest';
import { EventTypes, Topics, toHeaders } from '@postrade/contracts';
import { Decimal } from '@postrade/kernel';
import { kafkaConnectionFromEnv, KafkajsEventPublisher, readTopic, type KafkaConnection, type RawMessage } from '@postrade/messaging';
import { configureApp } from '@postrade/platform';
import { eventually } from '@postrade/testing';
import { RECONCILIATION_NON_JSON_ROUTES } from '../src/api/statements.controller';
import { renderCamt053, renderSemt002, renderSemt017, renderSemt044, renderStatementCsv } from '../src/domain/statements';
import { ReconciliationModule } from '../src/reconciliation.module';

const OPS = { Authorization: 'Bearer dev-ops' };
const OPS_2 = { Authorization: 'Bearer dev-ops-2' };
const SUPERVISOR = { Authorization: 'Bearer dev-supervisor' };
const AUDITOR = { Authorization: 'Bearer dev-auditor' };
const CUSTODIAN = { Authorization: 'Bearer dev-custodian' };
const APPLE = 'US0378331005';
const MICROSOFT = 'US5949181045';
const COUNTERPARTY = '5493001KJTIIGC8Y1R12';

/** A run's own accounts and source system, so that nothing another suite did counts here. */
const run = randomUUID().slice(0, 8).toUpperCase();
const SAFEKEEPING = `SAFE-${run}`;
const CASH_ACCOUNT = `CASH-${run}`;
const SOURCE = `OMS-${run}`;

interface TradeSpec {
  tradeId: string;
  sourceTradeId: string;
  side: 'BUY' | 'SELL';
  isin: string;
  quantity: string;
  price: string;
  netAmount: string;
  tradeDate: string;
  settlementDate: string;
}

function tradeResource(t: TradeSpec, version = 1, status = 'CAPTURED') {
  const ssi = { lei: '529900T8BM49AURSDO55', settlementMarket: 'US', currency: 'USD', agentBic: 'IRVTUS3NXXX', safekeepingAccount: SAFEKEEPING, cashAccount: CASH_ACCOUNT, placeOfSettlement: 'DTCYUS33XXX' };
  return {
    tradeId: t.tradeId, sourceSystem: SOURCE, sourceTradeId: t.sourceTradeId, version, status, tradeDate: t.tradeDate,
    executionTime: `${t.tradeDate}T14:30:05.123Z`, side: t.side, isin: t.isin, quantity: t.quantity, price: t.price, currency: 'USD',
    grossAmount: t.netAmount, accruedInterest: '0.00', accruedDays: 0, commission: '0', fees: '0', netAmount: t.netAmount,
    settlementDate: t.settlementDate, settlementCycle: 'T+1', settlementMarket: 'US', settlementType: 'DVP', book: `EQ-${run}`,
    instrument: { description: 'Equity', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
    counterparty: { lei: COUNTERPARTY, name: 'Broker A', bic: 'GSCMUS33XXX', country: 'US' },
    legalEntity: { lei: '529900T8BM49AURSDO55', name: 'Our Fund', bic: 'DEUTDEFF' },
    ssis: { ours: ssi, theirs: { ...ssi, lei: COUNTERPARTY, safekeepingAccount: 'THEIRS-1', cashAccount: 'THEIRS-C' } },
    exceptions: [], cancelReason: null, createdAt: `${t.tradeDate}T14:30:06.000Z`, updatedAt: `${t.tradeDate}T14:30:06.000Z`,
  };
}

/** The ledger's settlement-date entry of a (partial) settlement: the book's settled securities and cash move. */
function settlementEntry(t: TradeSpec, quantity: string, amount: string, effectiveDate: string) {
  const s = t.side === 'BUY' ? 1 : -1;
  const q = new Decimal(quantity).times(s);
  const c = new Decimal(amount).times(s).negated();
  const posting = (account: string, asset: string, value: Decimal) =>
    value.isNegative() ? { account, asset, debit: '0', credit: value.negated().toFixed() } : { account, asset, debit: value.toFixed(), credit: '0' };
  return {
    entryId: randomUUID(), eventId: randomUUID(), tradeId: t.tradeId, effectiveDate, postedAt: new Date().toISOString(), chain: 'test', hash: 'x', previousHash: null,
    postings: [
      posting(`book:EQ-${run}:securities-settled`, t.isin, q),
      posting(`book:EQ-${run}:securities-pending`, t.isin, q.negated()),
      posting(`book:EQ-${run}:cash-settled`, 'USD', c),
      posting(`book:EQ-${run}:cash-pending`, 'USD', c.negated()),
    ],
  };
}

/** The instruction resource plus the change, as settlement publishes it: its SSIs name accounts, the market is the instruction's. */
function settledEvent(t: TradeSpec, instructionId: string, quantity: string, amount: string, effectiveDate: string, penalty?: Record<string, string>, type: 'DVP' | 'FOP' = 'DVP') {
  const ssi = (safekeepingAccount: string, cashAccount: string) => ({ agentBic: 'IRVTUS3NXXX', safekeepingAccount, cashAccount, placeOfSettlement: 'DTCYUS33XXX' });
  return {
    instructionId, reference: instructionId.replace(/-/g, '').toUpperCase(), tradeIds: [t.tradeId], type, direction: t.side === 'BUY' ? 'RECEIVE' : 'DELIVER', isin: t.isin, quantity: t.quantity,
    settlementAmount: t.netAmount, currency: 'USD', intendedSettlementDate: t.settlementDate, settlementMarket: 'US',
    ssis: { ours: ssi(SAFEKEEPING, CASH_ACCOUNT), theirs: ssi('THEIRS-1', 'THEIRS-C') },
    processingStatus: 'INSTRUCTED', matchingStatus: 'MATCHED', settlementStatus: 'SETTLED', holds: [], settledQuantity: quantity, settledAmount: amount, history: [],
    change: penalty ? { penalty } : { settledQuantity: quantity, settledAmount: amount, effectiveDate },
  };
}

describe('reconciliation against real Postgres and Kafka', () => {
  let app: INestApplication;
  let kafka: KafkaConnection;
  let publisher: KafkajsEventPublisher;
  let admin: Client;
  const http = () => request(app.getHttpServer());

  const buy: TradeSpec = { tradeId: randomUUID(), sourceTradeId: `B-${run}`, side: 'BUY', isin: APPLE, quantity: '1000', price: '189.25', netAmount: '189250.00', tradeDate: '2026-11-19', settlementDate: '2026-11-20' };
  const sell: TradeSpec = { tradeId: randomUUID(), sourceTradeId: `S-${run}`, side: 'SELL', isin: MICROSOFT, quantity: '300', price: '410.10', netAmount: '123030.00', tradeDate: '2026-11-20', settlementDate: '2026-11-23' };
  const fop: TradeSpec = { tradeId: randomUUID(), sourceTradeId: `F-${run}`, side: 'BUY', isin: APPLE, quantity: '50', price: '189.25', netAmount: '9462.50', tradeDate: '2026-11-19', settlementDate: '2026-11-20' };
  const INSTRUCTION_FOP = randomUUID();
  const INSTRUCTION_BUY = `INS-B-${run}`;
  const INSTRUCTION_SELL = `INS-S-${run}`;

  async function publish(topic: string, source: string, type: string, key: string, data: unknown): Promise<string> {
    const id = randomUUID();
    await publisher.send([{ topic, key, value: JSON.stringify(data), headers: toHeaders({ id, source, type, time: new Date().toISOString(), subject: key, data }) }]);
    return id;
  }

  const consumed = (eventId: string, consumer = 'reconciliation') =>
    eventually(async () => (await admin.query('select 1 from inbox where consumer = $1 and event_id = $2', [consumer, eventId])).rows.length === 1, Boolean, 60_000, `event ${eventId} consumed`);

  const holdings = (asOf: string, lines: { isin: string; quantity: string }[], statementId = `SEMT002-${randomUUID().slice(0, 8)}`) => ({
    statementId, type: 'HOLDINGS', account: SAFEKEEPING, asOf, lines,
  });

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ReconciliationModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app, { nonJsonBodyRoutes: RECONCILIATION_NON_JSON_ROUTES });
    await app.init();
    kafka = kafkaConnectionFromEnv('reconciliation-test');
    publisher = new KafkajsEventPublisher(kafka);
    admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query('set search_path = reconciliation');

    // Our side, as the other services publish it: two trades, the buy settled in two partials, the sell in one, a penalty.
    const ids = [
      await publish(Topics.tradeCaptureTrades, 'trade-capture', EventTypes.tradeCaptured, buy.tradeId, tradeResource(buy)),
      await publish(Topics.tradeCaptureTrades, 'trade-capture', EventTypes.tradeCaptured, sell.tradeId, tradeResource(sell)),
      await publish(Topics.ledgerEvents, 'ledger', EventTypes.ledgerEntryPosted, buy.tradeId, settlementEntry(buy, '400', '75700.00', '2026-11-20')),
      await publish(Topics.ledgerEvents, 'ledger', EventTypes.ledgerEntryPosted, buy.tradeId, settlementEntry(buy, '600', '113550.00', '2026-11-23')),
      await publish(Topics.ledgerEvents, 'ledger', EventTypes.ledgerEntryPosted, sell.tradeId, settlementEntry(sell, '300', '123030.00', '2026-11-23')),
      await publish(Topics.settlementEvents, 'settlement', EventTypes.settlementPartiallySettled, INSTRUCTION_BUY, settledEvent(buy, INSTRUCTION_BUY, '400', '75700.00', '2026-11-20')),
      await publish(Topics.settlementEvents, 'settlement', EventTypes.settlementSettled, INSTRUCTION_BUY, settledEvent(buy, INSTRUCTION_BUY, '600', '113550.00', '2026-11-23')),
      await publish(Topics.settlementEvents, 'settlement', EventTypes.settlementSettled, INSTRUCTION_SELL, settledEvent(sell, INSTRUCTION_SELL, '300', '123030.00', '2026-11-23')),
      await publish(Topics.settlementEvents, 'settlement', EventTypes.settlementSettled, INSTRUCTION_FOP, settledEvent(fop, INSTRUCTION_FOP, '50', '9462.50', '2026-11-20', undefined, 'FOP')),
      await publish(Topics.settlementEvents, 'settlement', EventTypes.settlementPenaltyAssessed, INSTRUCTION_SELL,
        settledEvent(sell, INSTRUCTION_SELL, '0', '0', '2026-11-23', { penaltyId: `P-${run}`, instructionId: INSTRUCTION_SELL, date: '2026-11-20', counterpartyLei: COUNTERPARTY, isin: MICROSOFT, category: 'LIQUID_SHARES', failedQuantity: '300', referencePrice: '410.10', rateBps: '1', amount: '12.30', currency: 'USD', direction: 'RECEIVE' })),
    ];
    for (const id of ids) await consumed(id);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await admin?.end();
    await app?.close();
  });

  it('keeps our books as of each date, projected from the events', async () => {
    const on = async (asOf: string) => (await http().get('/api/v1/our-books/positions').query({ account: SAFEKEEPING, asOf }).set(OPS).expect(200)).body.items;
    expect(await on('2026-11-19')).toEqual([]);
    expect(await on('2026-11-20')).toEqual([{ isin: APPLE, quantity: '400' }]);
    expect(new Map((await on('2026-11-23')).map((p: { isin: string; quantity: string }) => [p.isin, p.quantity]))).toEqual(new Map([[APPLE, '1000'], [MICROSOFT, '-300']]));
    const cash = await http().get('/api/v1/our-books/cash').query({ account: CASH_ACCOUNT, asOf: '2026-11-23' }).set(OPS).expect(200);
    expect(cash.body.items).toEqual([{ currency: 'USD', amount: '-66220' }]);
  });

  describe('a holdings statement', () => {
    it('that agrees opens no break, and the same statement again answers 200 with the first result', async () => {
      const statement = holdings('2026-11-23', [{ isin: APPLE, quantity: '1000' }, { isin: MICROSOFT, quantity: '-300' }]);
      const first = await http().post('/api/v1/statements').set(CUSTODIAN).send(statement).expect(201);
      expect(first.body).toEqual({ statementId: statement.statementId, type: 'HOLDINGS', account: SAFEKEEPING, asOf: '2026-11-23', lines: 2, matched: 2, breaksOpened: 0, breaksClosed: 0 });
      const again = await http().post('/api/v1/statements').set(CUSTODIAN).send(statement).expect(200);
      expect(again.body).toEqual(first.body);
      const runs = await admin.query('select count(*)::int as n from reconciliation_runs where statement_id = $1', [statement.statementId]);
      expect(runs.rows[0].n).toBe(1);
    });

    it('for a past date is compared with our books as they were then, even when it arrives late', async () => {
      const late = await http().post('/api/v1/statements').set(CUSTODIAN).send(holdings('2026-11-20', [{ isin: APPLE, quantity: '400' }])).expect(201);
      expect(late.body).toMatchObject({ matched: 1, breaksOpened: 0 });
    });

    it('that differs opens one break per difference; a later one that agrees closes it by itself', async () => {
      const differing = await http().post('/api/v1/statements').set(CUSTODIAN).send(holdings('2026-11-23', [{ isin: APPLE, quantity: '990' }, { isin: MICROSOFT, quantity: '-300' }])).expect(201);
      expect(differing.body).toMatchObject({ matched: 1, breaksOpened: 1, breaksClosed: 0 });
      const open = await http().get('/api/v1/breaks').query({ account: SAFEKEEPING, type: 'POSITION', status: 'OPEN' }).set(OPS).expect(200);
      expect(open.body.items).toHaveLength(1);
      const found = open.body.items[0];
      expect(found).toMatchObject({ type: 'POSITION', account: SAFEKEEPING, key: { isin: APPLE }, reason: 'DIFFERENT', difference: '-10', firstSeen: '2026-11-23', status: 'OPEN' });
      expect(found.ageBusinessDays).toBeGreaterThan(0);

      const agreeing = await http().post('/api/v1/statements').set(CUSTODIAN).send(holdings('2026-11-23', [{ isin: APPLE, quantity: '1000' }, { isin: MICROSOFT, quantity: '-300' }])).expect(201);
      expect(agreeing.body).toMatchObject({ breaksOpened: 0, breaksClosed: 1 });
      const closed = await http().get(`/api/v1/breaks/${found.breakId}`).set(OPS).expect(200);
      expect(closed.body).toMatchObject({ status: 'RESOLVED', resolution: expect.stringMatching(/agreed by statement/) });

      const ofBreak = (messages: RawMessage[]) => messages.filter((m) => m.key === found.breakId);
      const events = ofBreak(await readTopic(kafka, Topics.reconciliationBreaks, (messages) => ofBreak(messages).length >= 2, 60_000));
      expect(events.map((m) => m.headers.ce_type)).toEqual([EventTypes.reconBreakOpened, EventTypes.reconBreakClosed]);
    });

    it('arrives as ISO 20022 semt.002 XML and as CSV', async () => {
      const statement = { statementId: `XML-${run}`, type: 'HOLDINGS' as const, account: SAFEKEEPING, asOf: '2026-11-23', lines: [{ isin: APPLE, quantity: new Decimal('1000') }, { isin: MICROSOFT, quantity: new Decimal('-300') }] };
      const xml = await http().post('/api/v1/statements').set(CUSTODIAN).set('Content-Type', 'application/xml').send(renderSemt002(statement)).expect(201);
      expect(xml.body).toMatchObject({ statementId: `XML-${run}`, type: 'HOLDINGS', matched: 2, breaksOpened: 0 });
      const csv = await http()
        .post('/api/v1/statements')
        .query({ type: 'HOLDINGS', account: SAFEKEEPING, asOf: '2026-11-23' })
        .set(CUSTODIAN)
        .set('Content-Type', 'text/csv')
        .send(renderStatementCsv({ ...statement, statementId: 'ignored' }))
        .expect(201);
      expect(csv.body).toMatchObject({ type: 'HOLDINGS', matched: 2, breaksOpened: 0 });
    });

    it('arrives on statements.inbound.v1 and is applied as by REST', async () => {
      const statement = holdings('2026-11-23', [{ isin: APPLE, quantity: '1000' }, { isin: MICROSOFT, quantity: '-300' }], `KAFKA-${run}`);
      const id = await publish(Topics.statementsInbound, 'custodian-gateway', EventTypes.statementReceived, SAFEKEEPING, statement);
      await consumed(id, 'reconciliation.statements');
      const stored = await admin.query('select result from statements where statement_id = $1', [`KAFKA-${run}`]);
      expect(stored.rows[0].result).toMatchObject({ matched: 2, breaksOpened: 0 });
    });
  });

  describe('malformed statements', () => {
    it('a CSV line with a bad quantity is refused whole, naming the line and the field', async () => {
      const count = async () => (await admin.query('select count(*)::int as n from statements where account = $1', [SAFEKEEPING])).rows[0].n;
      const before = await count();
      const res = await http()
        .post('/api/v1/statements')
        .query({ type: 'HOLDINGS', account: SAFEKEEPING, asOf: '2026-11-23' })
        .set(CUSTODIAN)
        .set('Content-Type', 'text/csv')
        .send(`isin,quantity\n${APPLE},1000\n${MICROSOFT},12x\n`)
        .expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: expect.stringMatching(/line 3.*quantity/) })]);
      expect(await count()).toBe(before);
    });

    it('malformed XML is refused naming the line', async () => {
      const res = await http().post('/api/v1/statements').set(CUSTODIAN).set('Content-Type', 'application/xml').send('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:semt.002.001.11">\n<SctiesBalCtdyRpt>\n</Document>').expect(400);
      expect(res.body.errors[0].field).toMatch(/line \d+/);
    });

    it('a JSON line with a number where a decimal string belongs is refused naming lines[n].field', async () => {
      const res = await http().post('/api/v1/statements').set(CUSTODIAN).send({ ...holdings('2026-11-23', []), lines: [{ isin: APPLE, quantity: 1000 }] }).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'lines[0].quantity' })]);
    });
  });

  describe('transactions and penalties', () => {
    it('a movement the custodian reports in two entries matches by instruction (many-to-one), and each rule is recorded', async () => {
      const res = await http()
        .post('/api/v1/statements')
        .set(CUSTODIAN)
        .send({
          statementId: `SEMT017-${run}`, type: 'TRANSACTIONS', account: SAFEKEEPING, asOf: '2026-11-23',
          lines: [
            { reference: `C-1a-${run}`, instructionId: INSTRUCTION_BUY, isin: APPLE, quantity: '250', amount: '47312.50', currency: 'USD', direction: 'RECEIVE', settlementDate: '2026-11-23' },
            { reference: `C-1b-${run}`, instructionId: INSTRUCTION_BUY, isin: APPLE, quantity: '350', amount: '66237.50', currency: 'USD', direction: 'RECEIVE', settlementDate: '2026-11-23' },
            { reference: `C-2-${run}`, instructionId: null, isin: MICROSOFT, quantity: '300', amount: '123030.00', currency: 'USD', direction: 'DELIVER', settlementDate: '2026-11-23' },
          ],
        })
        .expect(201);
      expect(res.body).toMatchObject({ matched: 2, breaksOpened: 0 });
      const summary = await http().get('/api/v1/reconciliations').query({ account: SAFEKEEPING, type: 'TRANSACTION', asOf: '2026-11-23' }).set(OPS).expect(200);
      expect(summary.body.items[0]).toMatchObject({ linesCompared: 3, matched: 2, openBreaks: 0 });
      expect(Object.keys(summary.body.items[0].matchesByRule).sort()).toEqual(['ATTRIBUTES', 'INSTRUCTION_ID_MANY_TO_ONE']);
      const matches = await http().get(`/api/v1/reconciliations/${summary.body.items[0].runId}/matches`).set(AUDITOR).expect(200);
      expect(matches.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ rule: 'INSTRUCTION_ID_MANY_TO_ONE', theirs: expect.arrayContaining([`C-1a-${run}`, `C-1b-${run}`]) }),
          expect.objectContaining({ rule: 'ATTRIBUTES', theirs: [`C-2-${run}`] }),
        ]),
      );
    });

    it("a day's extra entry stays a break when the next day's statement leaves it out, and closes when a corrected statement of that day agrees", async () => {
      const entry = (reference: string) => ({ reference, instructionId: null, isin: APPLE, quantity: '7', amount: '1324.75', currency: 'USD', direction: 'RECEIVE', settlementDate: '2026-11-20' });
      const day = (statementId: string, asOf: string, lines: unknown[]) => ({ statementId, type: 'TRANSACTIONS', account: SAFEKEEPING, asOf, lines });
      const buyPartial = { reference: `C-0-${run}`, instructionId: INSTRUCTION_BUY, isin: APPLE, quantity: '400', amount: '75700.00', currency: 'USD', direction: 'RECEIVE', settlementDate: '2026-11-20' };
      // The free-of-payment delivery as a custodian reports it: our sese.023 reference, no cash.
      const freeOfPayment = { reference: `C-F-${run}`, instructionId: INSTRUCTION_FOP.replace(/-/g, '').toUpperCase(), isin: APPLE, quantity: '50', amount: '0', currency: 'XXX', direction: 'RECEIVE', settlementDate: '2026-11-20' };
      const extra = await http().post('/api/v1/statements').set(CUSTODIAN).send(day(`T20-A-${run}`, '2026-11-20', [buyPartial, freeOfPayment, entry(`EXTRA-${run}`)])).expect(201);
      expect(extra.body).toMatchObject({ matched: 2, breaksOpened: 1 });
      const next = await http().post('/api/v1/statements').set(CUSTODIAN).send(day(`T24-${run}`, '2026-11-24', [])).expect(201);
      expect(next.body).toMatchObject({ breaksClosed: 0 });
      const open = await http().get('/api/v1/breaks').query({ account: SAFEKEEPING, type: 'TRANSACTION', status: 'OPEN' }).set(OPS).expect(200);
      expect(open.body.items.map((b: { key: Record<string, string> }) => b.key)).toContainEqual({ reference: `EXTRA-${run}` });
      const corrected = await http().post('/api/v1/statements').set(CUSTODIAN).send(day(`T20-B-${run}`, '2026-11-20', [buyPartial, freeOfPayment])).expect(201);
      expect(corrected.body).toMatchObject({ matched: 2, breaksClosed: 1 });
    });

    it('semt.017, camt.053 and semt.044 arrive as ISO 20022 XML', async () => {
      const xml = (body: string) => http().post('/api/v1/statements').set(CUSTODIAN).set('Content-Type', 'application/xml').send(body);
      const transactions = renderSemt017({
        statementId: `X017-${run}`, type: 'TRANSACTIONS', account: SAFEKEEPING, asOf: '2026-11-20',
        lines: [
          { reference: `C-0-${run}`, instructionId: INSTRUCTION_BUY, isin: APPLE, quantity: new Decimal(400), amount: new Decimal('75700.00'), currency: 'USD', direction: 'RECEIVE', settlementDate: '2026-11-20' },
          { reference: `C-F-${run}`, instructionId: INSTRUCTION_FOP.replace(/-/g, '').toUpperCase(), isin: APPLE, quantity: new Decimal(50), amount: new Decimal(0), currency: 'XXX', direction: 'RECEIVE', settlementDate: '2026-11-20' },
        ],
      });
      expect((await xml(transactions).expect(201)).body).toMatchObject({ type: 'TRANSACTIONS', matched: 2, breaksOpened: 0 });
      const cash = renderCamt053({ statementId: `X053-${run}`, type: 'CASH', account: CASH_ACCOUNT, asOf: '2026-11-23', lines: [{ currency: 'USD', amount: new Decimal('-66220.00') }] });
      expect((await xml(cash).expect(201)).body).toMatchObject({ type: 'CASH', account: CASH_ACCOUNT, matched: 1, breaksOpened: 0 });
      const penalties = renderSemt044({
        statementId: `X044-${run}`, type: 'PENALTIES', account: SAFEKEEPING, asOf: '2026-11-21',
        lines: [{ instructionId: INSTRUCTION_SELL, date: '2026-11-20', amount: new Decimal('12.30'), currency: 'USD', direction: 'RECEIVE' }],
      });
      expect((await xml(penalties).expect(201)).body).toMatchObject({ type: 'PENALTIES', matched: 1 });
    });

    it("the CSD's penalty report against our assessment: within 0.01 agrees, beyond is a break", async () => {
      const report = (amount: string, id: string) => ({
        statementId: id, type: 'PENALTIES', account: SAFEKEEPING, asOf: '2026-11-20',
        lines: [{ instructionId: INSTRUCTION_SELL, date: '2026-11-20', amount, currency: 'USD', direction: 'RECEIVE' }],
      });
      expect((await http().post('/api/v1/statements').set(CUSTODIAN).send(report('12.31', `SEMT044-A-${run}`)).expect(201)).body).toMatchObject({ matched: 1, breaksOpened: 0 });
      expect((await http().post('/api/v1/statements').set(CUSTODIAN).send(report('12.32', `SEMT044-B-${run}`)).expect(201)).body).toMatchObject({ matched: 0, breaksOpened: 1 });
    });
  });

  describe('front-to-back', () => {
    it('a blotter trade we never captured and a differing price are breaks; the matching trade is not', async () => {
      const res = await http()
        .post('/api/v1/blotters')
        .set({ Authorization: 'Bearer dev-upstream' })
        .send({
          sourceSystem: SOURCE, tradeDate: '2026-11-19',
          trades: [
            { sourceTradeId: buy.sourceTradeId, isin: APPLE, side: 'BUY', quantity: '1000', price: '189.26', currency: 'USD', counterpartyLei: COUNTERPARTY },
            { sourceTradeId: `X-${run}`, isin: APPLE, side: 'SELL', quantity: '5', price: '189.25', currency: 'USD', counterpartyLei: COUNTERPARTY },
          ],
        })
        .expect(201);
      expect(res.body).toMatchObject({ type: 'BLOTTER', account: SOURCE, lines: 2, matched: 0, breaksOpened: 2 });
      const breaks = (await http().get('/api/v1/breaks').query({ type: 'TRADE', account: SOURCE }).set(OPS).expect(200)).body.items;
      const byKey = new Map(breaks.map((b: { key: { sourceTradeId: string } }) => [b.key.sourceTradeId, b]));
      expect(byKey.get(buy.sourceTradeId)).toMatchObject({ reason: 'DIFFERENT', fields: [{ field: 'price', ours: '189.25', theirs: '189.26' }] });
      expect(byKey.get(`X-${run}`)).toMatchObject({ reason: 'MISSING_OURS', ours: null });
    });
  });

  describe('the break workflow', () => {
    let breakId: string;

    beforeAll(async () => {
      await http().post('/api/v1/statements').set(CUSTODIAN).send(holdings('2026-11-24', [{ isin: APPLE, quantity: '1000' }, { isin: MICROSOFT, quantity: '-299' }])).expect(201);
      const open = await http().get('/api/v1/breaks').query({ account: SAFEKEEPING, type: 'POSITION', status: 'OPEN' }).set(OPS).expect(200);
      breakId = open.body.items.find((b: { key: { isin: string } }) => b.key.isin === MICROSOFT).breakId;
    });

    it('assigns, comments and shows both', async () => {
      await http().post(`/api/v1/breaks/${breakId}/assign`).set(OPS).send({ assignee: 'alice' }).expect(200);
      const commented = await http().post(`/api/v1/breaks/${breakId}/comments`).set(OPS).send({ text: 'custodian booked a fail late' }).expect(201);
      expect(commented.body).toMatchObject({ status: 'ASSIGNED', assignee: 'alice', comments: [{ by: expect.any(String), text: 'custodian booked a fail late' }] });
    });

    it('takes two people to write off: the proposer approving is 403, another supervisor approves', async () => {
      const proposed = await http().post(`/api/v1/breaks/${breakId}/write-off-requests`).set(SUPERVISOR).send({ reason: 'one share, below threshold' }).expect(201);
      expect(proposed.body).toMatchObject({ status: 'PENDING', requestedBy: expect.any(String) });
      await http().post(`/api/v1/breaks/${breakId}/write-off-requests`).set(OPS_2).send({ reason: 'again' }).expect(409);
      await http().post(`/api/v1/breaks/${breakId}/write-off-requests/${proposed.body.requestId}/approve`).set(SUPERVISOR).expect(403);
      await http().post(`/api/v1/breaks/${breakId}/write-off-requests/${proposed.body.requestId}/approve`).set(OPS).expect(403);
      await http().post(`/api/v1/breaks/${breakId}/write-off-requests/${proposed.body.requestId}/decline`).set(SUPERVISOR).expect(403);
      expect((await http().get(`/api/v1/breaks/${breakId}`).set(OPS).expect(200)).body.status).toBe('ASSIGNED');
    });

    it('a write-off proposed by ops and approved by a supervisor closes the break as WRITTEN_OFF', async () => {
      const other = await http().post('/api/v1/statements').set(CUSTODIAN).send(holdings('2026-11-25', [{ isin: APPLE, quantity: '1001' }, { isin: MICROSOFT, quantity: '-299' }])).expect(201);
      expect(other.body.breaksOpened).toBe(1);
      const apple = (await http().get('/api/v1/breaks').query({ account: SAFEKEEPING, type: 'POSITION', status: 'OPEN' }).set(OPS).expect(200)).body.items.find(
        (b: { key: { isin: string } }) => b.key.isin === APPLE,
      );
      const proposed = await http().post(`/api/v1/breaks/${apple.breakId}/write-off-requests`).set(OPS).send({ reason: 'rounding at the custodian' }).expect(201);
      const approved = await http().post(`/api/v1/breaks/${apple.breakId}/write-off-requests/${proposed.body.requestId}/approve`).set(SUPERVISOR).expect(200);
      expect(approved.body).toMatchObject({ status: 'APPROVED', decidedBy: expect.any(String) });
      expect((await http().get(`/api/v1/breaks/${apple.breakId}`).set(OPS).expect(200)).body).toMatchObject({ status: 'WRITTEN_OFF', resolution: 'rounding at the custodian' });
      await http().post(`/api/v1/breaks/${apple.breakId}/assign`).set(OPS).send({ assignee: 'bob' }).expect(422);
    });

    it('lists breaks by age and summarises an account and date by age bucket', async () => {
      const old = await http().get('/api/v1/breaks').query({ account: SAFEKEEPING, minAgeDays: 1 }).set(OPS).expect(200);
      expect(old.body.items.length).toBeGreaterThan(0);
      const none = await http().get('/api/v1/breaks').query({ account: SAFEKEEPING, minAgeDays: 2600 }).set(OPS).expect(200);
      expect(none.body.items).toEqual([]);
      const summary = await http().get('/api/v1/reconciliations').query({ account: SAFEKEEPING, type: 'POSITION', asOf: '2026-11-24' }).set(OPS).expect(200);
      expect(summary.body.items[0]).toMatchObject({ account: SAFEKEEPING, type: 'POSITION', asOf: '2026-11-24', linesCompared: 2, matched: 1, openBreaks: 1, breaksByAge: { '0': 1 } });
    });
  });

  describe('the audit trail', () => {
    it('verifies, and names the record an owner edited behind its back', async () => {
      const ok = await http().post('/api/v1/audit/verify').set(AUDITOR).expect(200);
      expect(ok.body).toMatchObject({ ok: true, firstBadRecordId: null });
      expect(ok.body.recordsChecked).toBeGreaterThan(5);
      const { rows } = await admin.query(`select record_id, actor from audit_records where action = 'WRITTEN_OFF' order by sequence desc limit 1`);
      await admin.query(`update audit_records set actor = 'mallory' where record_id = $1`, [rows[0].record_id]);
      try {
        const bad = await http().post('/api/v1/audit/verify').set(AUDITOR).expect(200);
        expect(bad.body).toMatchObject({ ok: false, firstBadRecordId: rows[0].record_id });
      } finally {
        // The schema outlives this suite: put the record back as it was.
        await admin.query('update audit_records set actor = $2 where record_id = $1', [rows[0].record_id, rows[0].actor]);
      }
    });
  });
});
