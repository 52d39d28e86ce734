import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import request from 'supertest';
import { EventTypes, Topics, toHeaders } from '@postrade/contracts';
import { kafkaConnectionFromEnv, KafkajsEventPublisher, type KafkaConnection } from '@postrade/messaging';
import { serviceDatabaseUrl } from '@postrade/persistence';
import { configureApp } from '@postrade/platform';
import { eventually } from '@postrade/testing';
import { LedgerModule } from '../src/ledger.module';
import { ledgerDatabase } from '../src/persistence/ledger.database';

// Issue 17: the ledger books what settled, as the depository says (FOP, cancellation after a
// partial settlement, penalties to cash at the CSD's monthly collection, balances proven by verify).

const ISIN = 'US0378331005';
const OPS = { Authorization: 'Bearer dev-ops' };
const AUDITOR = { Authorization: 'Bearer dev-auditor' };

/** An LEI-shaped id of this run only, so that what is booked with it is exactly this test's. */
const freshLei = () => `CP${randomUUID().replace(/-/g, '').slice(0, 18).toUpperCase()}`;

interface TradeFields {
  tradeId: string;
  book: string;
  counterpartyLei: string;
  version?: number;
  status?: 'CAPTURED' | 'CANCELLED';
  settlementType?: 'DVP' | 'FOP';
  quantity?: string;
  netAmount?: string;
  updatedAt?: string;
}

/** The trade resource as trade-capture publishes it on `trade-capture.trades.v1`. */
function tradeResource(t: TradeFields) {
  return {
    tradeId: t.tradeId,
    sourceSystem: 'OMS1',
    sourceTradeId: `T-${t.tradeId.slice(0, 8)}`,
    version: t.version ?? 1,
    status: t.status ?? 'CAPTURED',
    tradeDate: '2026-11-20',
    executionTime: '2026-11-20T14:30:05.123Z',
    side: 'BUY',
    isin: ISIN,
    quantity: t.quantity ?? '1000',
    price: '100.00',
    currency: 'USD',
    grossAmount: t.netAmount ?? '100000.00',
    accruedInterest: '0.00',
    accruedDays: 0,
    commission: '0.00',
    fees: '0.00',
    netAmount: t.netAmount ?? '100000.00',
    settlementDate: '2026-11-23',
    settlementCycle: 'T+1',
    settlementMarket: 'US',
    settlementType: t.settlementType ?? 'DVP',
    book: t.book,
    instrument: { description: 'Apple Inc.', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
    counterparty: { lei: t.counterpartyLei, name: 'Broker A', bic: 'GSCMUS33XXX', country: 'US' },
    legalEntity: { lei: '529900T8BM49AURSDO55', name: 'Our Fund', bic: 'DEUTDEFF' },
    ssis: { ours: null, theirs: null },
    createdAt: '2026-11-20T14:30:06.000Z',
    updatedAt: t.updatedAt ?? '2026-11-20T14:30:06.000Z',
  };
}

const ssi = (placeOfSettlement: string) => ({ agentBic: 'DEUTDEFFXXX', safekeepingAccount: 'SAFE-1', cashAccount: 'CASH-1', placeOfSettlement });

/** The instruction resource plus the change, as settlement publishes it on `settlement.events.v1`. */
function instructionEvent(tradeId: string, change: Record<string, unknown>, more: { type?: 'DVP' | 'FOP'; csd?: string } = {}) {
  const csd = more.csd ?? 'DTCYUS33XXX';
  return {
    instructionId: `INS-${tradeId.slice(0, 8)}`,
    tradeIds: [tradeId],
    type: more.type ?? 'DVP',
    direction: 'RECEIVE',
    isin: ISIN,
    quantity: '1000',
    settlementAmount: '100000.00',
    currency: 'USD',
    intendedSettlementDate: '2026-11-23',
    settlementMarket: 'US',
    ssis: { ours: ssi(csd), theirs: ssi(csd) },
    processingStatus: 'INSTRUCTED',
    matchingStatus: 'MATCHED',
    settlementStatus: 'PARTIALLY_SETTLED',
    holds: [],
    settledQuantity: '0',
    settledAmount: '0',
    history: [],
    change,
  };
}

describe('ledger: what settled, as the depository says (real Postgres and Kafka)', () => {
  let app: INestApplication;
  let kafka: KafkaConnection;
  let publisher: KafkajsEventPublisher;
  let admin: Client;
  const run = randomUUID().slice(0, 8).toUpperCase();
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [LedgerModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app);
    await app.init();
    kafka = kafkaConnectionFromEnv('ledger-depository-test');
    publisher = new KafkajsEventPublisher(kafka);
    admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query('set search_path = ledger');
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await admin?.end();
    await app?.close();
  });

  async function publish(topic: string, type: string, key: string, data: unknown): Promise<string> {
    const id = randomUUID();
    const headers = toHeaders({ id, source: topic.startsWith('settlement') ? 'settlement' : 'trade-capture', type, time: new Date().toISOString(), subject: key, data });
    await publisher.send([{ topic, key, value: JSON.stringify(data), headers }]);
    return id;
  }

  const processed = (eventId: string) =>
    eventually(
      async () => (await admin.query('select 1 from inbox where consumer = $1 and event_id = $2', ['ledger', eventId])).rows.length === 1,
      Boolean,
      60_000,
      `event ${eventId} consumed`,
    );

  /** Publishes and waits until the ledger consumed it: events of two topics are booked in the order the test means. */
  async function trade(type: string, fields: TradeFields): Promise<string> {
    const id = await publish(Topics.tradeCaptureTrades, type, fields.tradeId, tradeResource(fields));
    await processed(id);
    return id;
  }

  async function instruction(type: string, tradeId: string, change: Record<string, unknown>, more: { type?: 'DVP' | 'FOP'; csd?: string } = {}): Promise<string> {
    const id = await publish(Topics.settlementEvents, type, `INS-${tradeId.slice(0, 8)}`, instructionEvent(tradeId, change, more));
    await processed(id);
    return id;
  }

  async function items(path: string, query: Record<string, string>): Promise<Record<string, unknown>[]> {
    const res = await http().get(path).query({ limit: '500', ...query }).set(OPS).expect(200);
    return res.body.items;
  }

  describe('free of payment', () => {
    it('moves securities only for a FOP trade and its instruction: no cash account moves on either basis', async () => {
      const book = `FOP-${run}`;
      const counterpartyLei = freshLei();
      const tradeId = randomUUID();
      await trade(EventTypes.tradeCaptured, { tradeId, book, counterpartyLei, settlementType: 'FOP' });
      // The custodian names an amount; the instruction is FOP all the same.
      await instruction(EventTypes.settlementPartiallySettled, tradeId, { settledQuantity: '400', settledAmount: '40000.00', effectiveDate: '2026-11-23' }, { type: 'FOP' });
      await instruction(EventTypes.settlementSettled, tradeId, { settledQuantity: '600', effectiveDate: '2026-11-24' }, { type: 'FOP' });

      for (const basis of ['TRADE_DATE', 'SETTLEMENT_DATE']) {
        expect(await items('/api/v1/cash-balances', { book, basis, asOf: '2026-12-31' })).toEqual([]);
        expect(await items('/api/v1/positions', { book, basis, asOf: '2026-12-31' })).toEqual([{ book, isin: ISIN, quantity: '1000' }]);
      }
      expect(await items('/api/v1/positions', { book, basis: 'SETTLEMENT_DATE', asOf: '2026-11-23' })).toEqual([{ book, isin: ISIN, quantity: '400' }]);
      expect(await items('/api/v1/pending-settlement', { counterpartyLei, asOf: '2026-11-20' })).toEqual([{ counterpartyLei, asset: ISIN, direction: 'RECEIVE', amount: '1000' }]);
      const journal = await items('/api/v1/journal', { tradeId });
      expect(journal).toHaveLength(3);
      const postings = journal.flatMap((e) => e.postings as { asset: string }[]);
      expect(postings.filter((p) => p.asset !== ISIN)).toEqual([]);
    });
  });

  describe('a cancellation after a partial settlement', () => {
    it('keeps the settled 400, reverses the pending 600, raises the settled part for operations, and still books a late settlement of 100', async () => {
      const book = `CXL-${run}`;
      const counterpartyLei = freshLei();
      const tradeId = randomUUID();
      await trade(EventTypes.tradeCaptured, { tradeId, book, counterpartyLei });
      await instruction(EventTypes.settlementPartiallySettled, tradeId, { settledQuantity: '400', settledAmount: '40000.00', effectiveDate: '2026-11-24' });
      const cancel = await trade(EventTypes.tradeCancelled, { tradeId, book, counterpartyLei, version: 2, status: 'CANCELLED', updatedAt: '2026-11-26T09:00:00Z' });

      for (const basis of ['TRADE_DATE', 'SETTLEMENT_DATE']) {
        expect(await items('/api/v1/positions', { book, basis, asOf: '2026-11-26' })).toEqual([{ book, isin: ISIN, quantity: '400' }]);
        expect(await items('/api/v1/cash-balances', { book, basis, asOf: '2026-11-26' })).toEqual([{ book, currency: 'USD', amount: '-40000.00' }]);
      }
      // Before the cancellation the whole trade was pending; after it, nothing is.
      expect(await items('/api/v1/positions', { book, basis: 'TRADE_DATE', asOf: '2026-11-25' })).toEqual([{ book, isin: ISIN, quantity: '1000' }]);
      expect(await items('/api/v1/pending-settlement', { counterpartyLei, asOf: '2026-11-26' })).toEqual([]);
      expect(await items('/api/v1/exceptions', { tradeId })).toEqual([
        expect.objectContaining({
          kind: 'SETTLED_BEFORE_CANCELLATION',
          tradeId,
          instructionId: null,
          book,
          quantity: '400',
          amount: '40000.00',
          effectiveDate: '2026-11-26',
          eventId: cancel,
          detail: expect.stringContaining('600'),
        }),
      ]);

      const late = await instruction(EventTypes.settlementPartiallySettled, tradeId, { settledQuantity: '100', settledAmount: '10000.00', effectiveDate: '2026-11-27' });
      expect(await items('/api/v1/positions', { book, basis: 'SETTLEMENT_DATE', asOf: '2026-11-27' })).toEqual([{ book, isin: ISIN, quantity: '500' }]);
      expect(await items('/api/v1/positions', { book, basis: 'TRADE_DATE', asOf: '2026-11-27' })).toEqual([{ book, isin: ISIN, quantity: '500' }]);
      expect(await items('/api/v1/cash-balances', { book, basis: 'SETTLEMENT_DATE', asOf: '2026-11-27' })).toEqual([{ book, currency: 'USD', amount: '-50000.00' }]);
      expect(await items('/api/v1/exceptions', { tradeId, kind: 'SETTLED_AFTER_CANCELLATION' })).toEqual([
        expect.objectContaining({ tradeId, instructionId: `INS-${tradeId.slice(0, 8)}`, quantity: '100', amount: '10000.00', effectiveDate: '2026-11-27', eventId: late }),
      ]);
    });
  });

  describe('penalties', () => {
    it('books an assessed penalty to a payable or receivable, and moves the month to cash when the CSD collects it', async () => {
      const csd = `C${run.slice(0, 7)}`;
      const [payTo, receiveFrom] = [freshLei(), freshLei()];
      const tradeId = randomUUID();
      await trade(EventTypes.tradeCaptured, { tradeId, book: `PEN-${run}`, counterpartyLei: payTo });
      const penalty = (counterpartyLei: string, direction: 'PAY' | 'RECEIVE', amount: string, date: string) => ({
        penalty: {
          penaltyId: randomUUID(),
          instructionId: `INS-${tradeId.slice(0, 8)}`,
          date,
          counterpartyLei,
          isin: ISIN,
          category: 'LIQUID_SHARE',
          failedQuantity: '600',
          referencePrice: '189.25',
          rateBps: '1.0',
          amount,
          currency: 'EUR',
          direction,
        },
      });
      await instruction(EventTypes.settlementPenaltyAssessed, tradeId, penalty(payTo, 'PAY', '11.36', '2026-11-24'), { csd });
      await instruction(EventTypes.settlementPenaltyAssessed, tradeId, penalty(receiveFrom, 'RECEIVE', '2.36', '2026-11-25'), { csd });
      // December's penalty belongs to December's collection.
      await instruction(EventTypes.settlementPenaltyAssessed, tradeId, penalty(payTo, 'PAY', '1.00', '2026-12-01'), { csd });

      const balanceOf = async (account: string, asOf: string) => (await items('/api/v1/account-balances', { account, asOf }))[0]?.balance;
      expect(await balanceOf(`counterparty:${payTo}:penalties`, '2026-11-30')).toBe('-11.36');
      expect(await balanceOf(`counterparty:${receiveFrom}:penalties`, '2026-11-30')).toBe('2.36');
      const trial = async () => (await http().get('/api/v1/trial-balance').query({ asOf: '2026-12-31' }).set(OPS).expect(200)).body.items as { asset: string; difference: string }[];
      expect((await trial()).find((i) => i.asset === 'EUR')?.difference).toBe('0');

      const collection = { csd, month: '2026-11', currency: 'EUR', direction: 'PAY', amount: '9.00', effectiveDate: '2026-12-10' };
      const wrongAmount = await http().post('/api/v1/penalty-collections').set(OPS).send({ ...collection, amount: '9.01' }).expect(422);
      expect(wrongAmount.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(wrongAmount.body.errors).toEqual([expect.objectContaining({ field: 'amount' })]);
      expect(wrongAmount.body.detail).toMatch(/PAY 9\.00 EUR over 2 penalties/);
      const wrongDirection = await http().post('/api/v1/penalty-collections').set(OPS).send({ ...collection, direction: 'RECEIVE' }).expect(422);
      expect(wrongDirection.body.errors).toEqual([expect.objectContaining({ field: 'direction' })]);
      await http().post('/api/v1/penalty-collections').set(AUDITOR).send(collection).expect(403);
      await http().post('/api/v1/penalty-collections').set(OPS).send({ ...collection, extra: 1 }).expect(400);

      const houseCashBefore = (await balanceOf('house:cash-settled', '2026-12-31')) ?? '0.00';
      const recorded = await http().post('/api/v1/penalty-collections').set(OPS).send(collection).expect(201);
      expect(recorded.body).toMatchObject({ ...collection, penalties: 2, collectionId: expect.any(String), recordedBy: expect.any(String) });

      // The payable and the receivable of November are cleared on the collection's day, not before.
      expect(await balanceOf(`counterparty:${payTo}:penalties`, '2026-12-09')).toBe('-12.36');
      expect(await balanceOf(`counterparty:${payTo}:penalties`, '2026-12-10')).toBe('-1.00');
      expect(await balanceOf(`counterparty:${receiveFrom}:penalties`, '2026-12-10')).toBeUndefined();
      const houseCashAfter = await balanceOf('house:cash-settled', '2026-12-31');
      expect(Number(houseCashAfter) - Number(houseCashBefore)).toBeCloseTo(-9, 2);
      expect((await trial()).find((i) => i.asset === 'EUR')?.difference).toBe('0');

      // Collected once: the same collection again finds nothing accrued.
      const again = await http().post('/api/v1/penalty-collections').set(OPS).send(collection).expect(422);
      expect(again.body.errors).toEqual([expect.objectContaining({ field: 'month' })]);
      expect(await items('/api/v1/penalty-collections', { csd })).toEqual([expect.objectContaining({ collectionId: recorded.body.collectionId, penalties: 2, amount: '9.00' })]);
    });
  });

  describe('balances covered by verification', () => {
    async function asService<T>(work: (service: Client) => Promise<T>): Promise<T> {
      const service = new Client({ connectionString: serviceDatabaseUrl(ledgerDatabase) });
      await service.connect();
      try {
        return await work(service);
      } finally {
        await service.end();
      }
    }

    it('lets the runtime role neither change the journal nor write a balance', async () => {
      await asService(async (service) => {
        await expect(service.query('update journal_entries set hash = hash where false')).rejects.toThrow(/permission denied/);
        await expect(service.query('update daily_balances set movement = movement + 1 where false')).rejects.toThrow(/permission denied/);
        await expect(service.query(`insert into daily_balances (account, asset, effective_date, movement) values ('house:test', 'USD', '2026-11-20', 1)`)).rejects.toThrow(/permission denied/);
        await expect(service.query('delete from daily_balances where false')).rejects.toThrow(/permission denied/);
      });
    });

    it('reports a balance row changed behind the journal, with the account, the day and both figures', async () => {
      const book = `VER-${run}`;
      const tradeId = randomUUID();
      await trade(EventTypes.tradeCaptured, { tradeId, book, counterpartyLei: freshLei(), quantity: '10', netAmount: '1000.00' });
      const account = `book:${book}:securities-pending`;
      const before = (await http().post('/api/v1/journal/verify').set(AUDITOR).expect(200)).body;
      expect(before).toMatchObject({ ok: true, firstBadEntryId: null, balancesDiffering: 0, balanceDifferences: [] });
      expect(before.balancesChecked).toBeGreaterThan(0);

      await admin.query('update daily_balances set movement = movement + 5 where account = $1', [account]);
      try {
        const bad = (await http().post('/api/v1/journal/verify').set(AUDITOR).expect(200)).body;
        expect(bad).toMatchObject({ ok: false, firstBadEntryId: null, balancesDiffering: 1 });
        expect(bad.balanceDifferences).toEqual([{ account, asset: ISIN, effectiveDate: '2026-11-20', balance: '15', journal: '10' }]);
      } finally {
        await admin.query('update daily_balances set movement = movement - 5 where account = $1', [account]);
      }
      expect((await http().post('/api/v1/journal/verify').set(AUDITOR).expect(200)).body).toMatchObject({ ok: true, balancesDiffering: 0 });
    });
  });
});
