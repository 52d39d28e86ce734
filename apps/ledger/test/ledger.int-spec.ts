import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import request from 'supertest';
import { EventTypes, Topics, toHeaders } from '@postrade/contracts';
import { DataSource } from 'typeorm';
import { kafkaConnectionFromEnv, KafkajsEventPublisher, ParkingSweeper, partitionName, readTopic, type KafkaConnection, type RawMessage } from '@postrade/messaging';
import { serviceDatabaseUrl, TransactionRunner } from '@postrade/persistence';
import { configureApp } from '@postrade/platform';
import { eventually } from '@postrade/testing';
import { BookLedgerEventsHandler, type ReceivedLedgerEvent } from '../src/application/book-events/book-ledger-events.command-handler';
import { ledgerInputOfMessage } from '../src/messaging/ledger-input.mapper';
import { LedgerModule } from '../src/ledger.module';
import { ledgerDatabase } from '../src/persistence/ledger.database';

const ISIN = 'US0378331005';
const COUNTERPARTY = '5493001KJTIIGC8Y1R12';
const OPS = { Authorization: 'Bearer dev-ops' };
const AUDITOR = { Authorization: 'Bearer dev-auditor' };

interface TradeFields {
  tradeId: string;
  version?: number;
  status?: 'CAPTURED' | 'AMENDED' | 'CANCELLED';
  side?: 'BUY' | 'SELL';
  quantity?: string;
  netAmount?: string;
  tradeDate?: string;
  updatedAt?: string;
  book: string;
  counterpartyLei?: string;
}

/** The trade resource as trade-capture publishes it on `trade-capture.trades.v1`. */
function tradeResource(t: TradeFields) {
  const tradeDate = t.tradeDate ?? '2026-11-20';
  return {
    tradeId: t.tradeId,
    sourceSystem: 'OMS1',
    sourceTradeId: `T-${t.tradeId.slice(0, 8)}`,
    version: t.version ?? 1,
    status: t.status ?? 'CAPTURED',
    tradeDate,
    executionTime: `${tradeDate}T14:30:05.123Z`,
    side: t.side ?? 'BUY',
    isin: ISIN,
    quantity: t.quantity ?? '1000',
    price: '189.25',
    currency: 'USD',
    grossAmount: '189250.00',
    accruedInterest: '0.00',
    accruedDays: 0,
    commission: '10.00',
    fees: '1.20',
    netAmount: t.netAmount ?? '189261.20',
    settlementDate: '2026-11-23',
    settlementCycle: 'T+1',
    settlementMarket: 'US',
    settlementType: 'DVP',
    book: t.book,
    instrument: { description: 'Apple Inc.', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
    counterparty: { lei: t.counterpartyLei ?? COUNTERPARTY, name: 'Broker A', bic: 'GSCMUS33XXX', country: 'US' },
    legalEntity: { lei: '529900T8BM49AURSDO55', name: 'Our Fund', bic: 'DEUTDEFF' },
    ssis: { ours: null, theirs: null },
    createdAt: `${tradeDate}T14:30:06.000Z`,
    updatedAt: t.updatedAt ?? `${tradeDate}T14:30:06.000Z`,
  };
}

/** The instruction resource plus the change, as settlement publishes it on `settlement.events.v1`. */
function settlementEvent(tradeIds: string[], change: Record<string, unknown>, side: 'BUY' | 'SELL' = 'BUY') {
  return {
    instructionId: `INS-${tradeIds[0].slice(0, 8)}`,
    tradeIds,
    type: 'DVP',
    direction: side === 'BUY' ? 'RECEIVE' : 'DELIVER',
    isin: ISIN,
    quantity: '1000',
    settlementAmount: '189261.20',
    currency: 'USD',
    intendedSettlementDate: '2026-11-23',
    settlementMarket: 'US',
    ssis: { ours: null, theirs: null },
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

describe('ledger against real Postgres and Kafka', () => {
  let app: INestApplication;
  let kafka: KafkaConnection;
  let publisher: KafkajsEventPublisher;
  let admin: Client;
  const book = `BOOK-${randomUUID().slice(0, 8)}`;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [LedgerModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app);
    await app.init();
    kafka = kafkaConnectionFromEnv('ledger-test');
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

  /** Publishes an event as its upstream service would: CloudEvents headers, keyed by the aggregate. */
  async function publish(topic: string, type: string, key: string, data: unknown, id: string = randomUUID()): Promise<string> {
    const headers = toHeaders({ id, source: topic.startsWith('settlement') ? 'settlement' : 'trade-capture', type, time: new Date().toISOString(), subject: key, data });
    await publisher.send([{ topic, key, value: JSON.stringify(data), headers }]);
    return id;
  }

  const trade = (type: string, fields: TradeFields, id?: string) => publish(Topics.tradeCaptureTrades, type, fields.tradeId, tradeResource(fields), id);
  const settle = (type: string, tradeIds: string[], change: Record<string, unknown>, id?: string) =>
    publish(Topics.settlementEvents, type, `INS-${tradeIds[0].slice(0, 8)}`, settlementEvent(tradeIds, change), id);

  async function inboxed(eventId: string): Promise<boolean> {
    const { rows } = await admin.query('select 1 from inbox where consumer = $1 and event_id = $2', ['ledger', eventId]);
    return rows.length === 1;
  }

  const processed = (eventId: string) => eventually(() => inboxed(eventId), Boolean, 60_000, `event ${eventId} consumed`);

  async function journalOf(tradeId: string) {
    const res = await http().get('/api/v1/journal').query({ tradeId }).set(OPS).expect(200);
    return res.body.items as { entryId: string; eventId: string; effectiveDate: string; postings: { account: string; asset: string; debit: string; credit: string }[]; hash: string; previousHash: string | null }[];
  }

  async function position(query: Record<string, string>): Promise<string | undefined> {
    const res = await http().get('/api/v1/positions').query({ book, isin: ISIN, ...query }).set(OPS).expect(200);
    return res.body.items[0]?.quantity;
  }

  async function cash(query: Record<string, string>): Promise<string | undefined> {
    const res = await http().get('/api/v1/cash-balances').query({ book, currency: 'USD', ...query }).set(OPS).expect(200);
    return res.body.items[0]?.amount;
  }

  describe('queries', () => {
    it('refuses a date that does not exist and an unknown basis with problem+json naming the field', async () => {
      const badDate = await http().get('/api/v1/positions').query({ asOf: '2026-02-30' }).set(OPS).expect(400);
      expect(badDate.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(badDate.body.errors).toEqual([expect.objectContaining({ field: 'asOf' })]);
      const badBasis = await http().get('/api/v1/cash-balances').query({ basis: 'VALUE_DATE' }).set(OPS).expect(400);
      expect(badBasis.body.errors).toEqual([expect.objectContaining({ field: 'basis' })]);
    });

    it('answers 401 without a key and 403 to a role that may not read the books', async () => {
      await http().get('/api/v1/trial-balance').expect(401);
      await http().get('/api/v1/trial-balance').set({ Authorization: 'Bearer dev-upstream' }).expect(403);
    });
  });

  describe('booking trades and settlements', () => {
    const buy = randomUUID();
    const sell = randomUUID();
    // A counterparty of this run only, so that what is pending with it is exactly these trades.
    const counterparty = `CP${randomUUID().replace(/-/g, '').slice(0, 18).toUpperCase()}`;

    beforeAll(async () => {
      await trade(EventTypes.tradeCaptured, { tradeId: buy, book, side: 'BUY', quantity: '1000', netAmount: '189261.20', counterpartyLei: counterparty });
      await trade(EventTypes.tradeCaptured, { tradeId: sell, book, side: 'SELL', quantity: '300', netAmount: '56763.80', counterpartyLei: counterparty });
      await settle(EventTypes.settlementPartiallySettled, [buy], { updateId: 'U-1', settledQuantity: '400', settledAmount: '75704.48', effectiveDate: '2026-11-23' });
      await eventually(() => journalOf(buy), (entries) => entries.length === 2, 60_000, 'capture and settlement booked');
      await eventually(() => journalOf(sell), (entries) => entries.length === 1, 60_000, 'sell booked');
    });

    it('books the trade-date view on the trade date and the settlement-date view on the settlement date', async () => {
      expect(await position({ basis: 'TRADE_DATE', asOf: '2026-11-19' })).toBeUndefined();
      expect(await position({ basis: 'TRADE_DATE', asOf: '2026-11-20' })).toBe('700');
      expect(await position({ basis: 'SETTLEMENT_DATE', asOf: '2026-11-22' })).toBeUndefined();
      expect(await position({ basis: 'SETTLEMENT_DATE', asOf: '2026-11-23' })).toBe('400');
      expect(await cash({ basis: 'TRADE_DATE', asOf: '2026-11-20' })).toBe('-132497.40');
      expect(await cash({ basis: 'SETTLEMENT_DATE', asOf: '2026-11-23' })).toBe('-75704.48');
    });

    it('shows what is pending settlement with the counterparty', async () => {
      const res = await http().get('/api/v1/pending-settlement').query({ counterpartyLei: counterparty, asOf: '2026-11-23' }).set(OPS).expect(200);
      expect(res.body.items).toEqual([
        { counterpartyLei: counterparty, asset: ISIN, direction: 'RECEIVE', amount: '300' },
        { counterpartyLei: counterparty, asset: 'USD', direction: 'DELIVER', amount: '56792.92' },
      ]);
      const before = await http().get('/api/v1/pending-settlement').query({ counterpartyLei: counterparty, asOf: '2026-11-19' }).set(OPS).expect(200);
      expect(before.body.items).toEqual([]);
    });

    it('lists the journal of a trade with balanced, chained postings', async () => {
      const [capture, settlement] = await journalOf(buy);
      expect(capture.effectiveDate).toBe('2026-11-20');
      expect(capture.postings).toEqual([
        { account: `book:${book}:securities-pending`, asset: ISIN, debit: '1000', credit: '0' },
        { account: `counterparty:${counterparty}:pending-settlement`, asset: ISIN, debit: '0', credit: '1000' },
        { account: `counterparty:${counterparty}:pending-settlement`, asset: 'USD', debit: '189261.20', credit: '0.00' },
        { account: `book:${book}:cash-pending`, asset: 'USD', debit: '0.00', credit: '189261.20' },
      ]);
      expect(settlement.effectiveDate).toBe('2026-11-23');
      expect(settlement.postings).toHaveLength(8);
      expect(capture.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it("opens the book's and the counterparty's accounts on first use", async () => {
      const res = await http().get('/api/v1/accounts').query({ owner: 'BOOK', holder: book }).set(OPS).expect(200);
      expect(res.body.items.map((a: { code: string }) => a.code)).toEqual([
        `book:${book}:cash-pending`,
        `book:${book}:cash-settled`,
        `book:${book}:securities-pending`,
        `book:${book}:securities-settled`,
      ]);
      const theirs = await http().get('/api/v1/accounts').query({ holder: counterparty }).set(OPS).expect(200);
      expect(theirs.body.items).toEqual([
        expect.objectContaining({ code: `counterparty:${counterparty}:pending-settlement`, owner: 'COUNTERPARTY', kind: 'PENDING_SETTLEMENT' }),
        expect.objectContaining({ code: `counterparty:${counterparty}:settled`, owner: 'COUNTERPARTY', kind: 'SETTLED' }),
      ]);
    });

    it('keeps the trial balance at zero in every asset', async () => {
      const res = await http().get('/api/v1/trial-balance').query({ asOf: '2026-12-31' }).set(OPS).expect(200);
      expect(res.body.asOf).toBe('2026-12-31');
      expect(res.body.items.length).toBeGreaterThan(0);
      for (const item of res.body.items) expect(item.difference).toBe('0');
      expect(res.body.items.find((i: { asset: string }) => i.asset === 'USD').debits).toBe(res.body.items.find((i: { asset: string }) => i.asset === 'USD').credits);
    });

    it('publishes each entry as postrade.ledger.entry-posted.v1 on ledger.events.v1', async () => {
      const [capture] = await journalOf(buy);
      // Asked after every message read: looking at the newest alone keeps a long-lived topic's scan linear.
      const seen = await readTopic(kafka, Topics.ledgerEvents, (messages) => messages[messages.length - 1].value.includes(capture.entryId), 60_000);
      const message = seen.find((m) => m.value.includes(capture.entryId))!;
      expect(message.key).toBe(buy);
      expect(message.headers.ce_type).toBe(EventTypes.ledgerEntryPosted);
      expect(JSON.parse(message.value)).toMatchObject({ entryId: capture.entryId, tradeId: buy, hash: capture.hash });
    });
  });

  describe('amendments, cancellations and enrichment', () => {
    it('books the difference of an amendment, nothing for an enrichment, and reverses everything on cancellation', async () => {
      const amendedBook = `${book}-AM`;
      const tradeId = randomUUID();
      await trade(EventTypes.tradeCaptured, { tradeId, book: amendedBook, quantity: '100', netAmount: '1000.00' });
      await trade(EventTypes.tradeAmended, { tradeId, book: amendedBook, version: 2, status: 'AMENDED', quantity: '150', netAmount: '1500.00', updatedAt: '2026-11-21T09:00:00Z' });
      const enriched = await trade(EventTypes.tradeEnriched, { tradeId, book: amendedBook, version: 2, status: 'AMENDED', quantity: '150', netAmount: '1500.00' });
      await processed(enriched);
      const [, amendment] = await eventually(() => journalOf(tradeId), (entries) => entries.length === 2, 60_000, 'amendment booked');
      expect(amendment.postings[0]).toEqual({ account: `book:${amendedBook}:securities-pending`, asset: ISIN, debit: '50', credit: '0' });
      expect(amendment.effectiveDate).toBe('2026-11-21');
      expect((await journalOf(tradeId)).length).toBe(2);

      await trade(EventTypes.tradeCancelled, { tradeId, book: amendedBook, version: 3, status: 'CANCELLED', quantity: '150', netAmount: '1500.00', updatedAt: '2026-11-22T09:00:00Z' });
      await eventually(() => journalOf(tradeId), (entries) => entries.length === 3, 60_000, 'cancellation booked');
      const res = await http().get('/api/v1/positions').query({ book: amendedBook, asOf: '2026-11-22' }).set(OPS).expect(200);
      expect(res.body.items).toEqual([]);
      const before = await http().get('/api/v1/positions').query({ book: amendedBook, asOf: '2026-11-21' }).set(OPS).expect(200);
      expect(before.body.items).toEqual([{ book: amendedBook, isin: ISIN, quantity: '150' }]);
    });
  });

  describe('net instructions and penalties', () => {
    it('settles every trade of a net instruction in its own entry, and books an assessed penalty to the penalty account', async () => {
      const netBook = `${book}-NET`;
      const [first, second] = [randomUUID(), randomUUID()];
      await trade(EventTypes.tradeCaptured, { tradeId: first, book: netBook, side: 'BUY', quantity: '1000', netAmount: '189261.20' });
      await trade(EventTypes.tradeCaptured, { tradeId: second, book: netBook, side: 'SELL', quantity: '400', netAmount: '75695.52' });
      // Settlement events travel on another topic: without this wait they may arrive first and be parked.
      await eventually(() => journalOf(second), (entries) => entries.length === 1, 60_000, 'both trades booked');
      await eventually(() => journalOf(first), (entries) => entries.length === 1, 60_000, 'both trades booked');
      const settled = await settle(EventTypes.settlementSettled, [first, second], { updateId: 'U-NET', effectiveDate: '2026-11-23' });
      const penalty = {
        penaltyId: randomUUID(),
        instructionId: `INS-${first.slice(0, 8)}`,
        date: '2026-11-24',
        counterpartyLei: COUNTERPARTY,
        isin: ISIN,
        category: 'LIQUID_SHARE',
        failedQuantity: '600',
        referencePrice: '189.25',
        rateBps: '1.0',
        amount: '11.36',
        currency: 'USD',
        direction: 'PAY',
      };
      const assessed = await settle(EventTypes.settlementPenaltyAssessed, [first, second], { penalty });
      await processed(settled);
      await processed(assessed);

      const settlement = await http().get('/api/v1/positions').query({ book: netBook, asOf: '2026-11-23', basis: 'SETTLEMENT_DATE' }).set(OPS).expect(200);
      expect(settlement.body.items).toEqual([{ book: netBook, isin: ISIN, quantity: '600' }]);
      expect((await journalOf(first)).map((e) => e.eventId)).toEqual([expect.any(String), settled]);
      expect((await journalOf(second)).map((e) => e.eventId)).toEqual([expect.any(String), settled]);

      const res = await http().get('/api/v1/journal').query({ from: '2026-11-24', to: '2026-11-24', limit: 500 }).set(OPS).expect(200);
      const penaltyEntry = res.body.items.find((e: { eventId: string }) => e.eventId === assessed);
      expect(penaltyEntry).toMatchObject({ tradeId: null, effectiveDate: '2026-11-24' });
      expect(penaltyEntry.postings).toEqual([
        { account: 'house:penalties', asset: 'USD', debit: '11.36', credit: '0.00' },
        { account: `counterparty:${COUNTERPARTY}:penalties`, asset: 'USD', debit: '0.00', credit: '11.36' },
      ]);
    });
  });

  describe('idempotency', () => {
    it('books a duplicate delivery once, even when the inbox has forgotten the event', async () => {
      const tradeId = randomUUID();
      const fields = { tradeId, book: `${book}-DUP`, quantity: '10', netAmount: '100.00' };
      const eventId = await trade(EventTypes.tradeCaptured, fields);
      await trade(EventTypes.tradeCaptured, fields, eventId);
      await processed(eventId);
      // Beyond the inbox: forget the event there and deliver it once more.
      await admin.query('delete from inbox where consumer = $1 and event_id = $2', ['ledger', eventId]);
      await trade(EventTypes.tradeCaptured, fields, eventId);
      await processed(eventId);
      const marker = await trade(EventTypes.tradeCaptured, { ...fields, tradeId: randomUUID() });
      await processed(marker);
      const { rows } = await admin.query('select count(*)::int as n from journal_entries where event_id = $1', [eventId]);
      expect(rows[0].n).toBe(1);
    });
  });

  describe('settlements that arrive before their trade', () => {
    it('parks the settlement visibly and books it when the trade arrives', async () => {
      const tradeId = randomUUID();
      const change = { updateId: 'U-9', settledQuantity: '1000', settledAmount: '189261.20', effectiveDate: '2026-11-23' };
      const early = await settle(EventTypes.settlementSettled, [tradeId], change);
      await processed(early);
      const parked = await http().get('/api/v1/parked').query({ limit: 500 }).set(OPS).expect(200);
      expect(parked.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ eventId: early, waitingFor: [tradeId] })]));

      // Delivered again while it waits, even once the inbox has forgotten it: it is still the one waiting settlement.
      await admin.query('delete from inbox where consumer = $1 and event_id = $2', ['ledger', early]);
      await settle(EventTypes.settlementSettled, [tradeId], change, early);
      await processed(early);
      const { rows: waiting } = await admin.query(`select count(*)::int as n from parked_inputs where kind = 'SETTLEMENT' and input_key = $1`, [early]);
      expect(waiting[0].n).toBe(1);
      const { rows: letters } = await admin.query(`select count(*)::int as n from dead_letters where headers->>'ce_id' = $1`, [early]);
      expect(letters[0].n).toBe(0);

      await trade(EventTypes.tradeCaptured, { tradeId, book: `${book}-EARLY` });
      const entries = await eventually(() => journalOf(tradeId), (e) => e.length === 2, 60_000, 'trade and parked settlement booked');
      expect(entries[1].eventId).toBe(early);
      const { rows } = await admin.query(`select count(*)::int as n from parked_inputs where kind = 'SETTLEMENT' and input_key = $1`, [early]);
      expect(rows[0].n).toBe(0);
    });
  });

  describe('parked settlements past their horizon', () => {
    async function deadLetterOf(eventId: string): Promise<{ id: string; error: string; status: string } | undefined> {
      const { rows } = await admin.query(`select id, error, status from dead_letters where consumer = 'ledger' and headers->>'ce_id' = $1`, [eventId]);
      return rows[0];
    }

    it('dead-letters a settlement whose trade never came, and a replay parks it again', async () => {
      const tradeId = randomUUID();
      const early = await settle(EventTypes.settlementSettled, [tradeId], { updateId: 'U-10', effectiveDate: '2026-11-23' });
      await processed(early);
      await admin.query(`update parked_inputs set parked_at = parked_at - interval '73 hours', expires_at = expires_at - interval '73 hours' where input_key = $1`, [early]);
      await app.get(ParkingSweeper).sweep();

      const letter = await deadLetterOf(early);
      expect(letter?.error).toMatch(new RegExp(`^parked SETTLEMENT expired: waiting for trade ${tradeId}; waited 72h \\(parked at .*\\) and it never arrived$`));
      const { rows } = await admin.query(`select count(*)::int as n from parked_inputs where kind = 'SETTLEMENT' and input_key = $1`, [early]);
      expect(rows[0].n).toBe(0);

      await http().post(`/api/v1/dead-letters/${letter!.id}/replay`).set(OPS).expect(201);
      const parked = await http().get('/api/v1/parked').query({ limit: 500 }).set(OPS).expect(200);
      expect(parked.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ eventId: early, waitingFor: [tradeId] })]));
      expect((await deadLetterOf(early))?.status).toBe('REPLAYED');

      // Expiring a second time reopens its dead letter.
      await admin.query(`update parked_inputs set parked_at = parked_at - interval '73 hours', expires_at = expires_at - interval '73 hours' where input_key = $1`, [early]);
      await app.get(ParkingSweeper).sweep();
      expect(await deadLetterOf(early)).toMatchObject({ status: 'PENDING', error: expect.stringMatching(/parked SETTLEMENT expired/) });
    });

    it('dead-letters, with the reason, a parked settlement its trade cannot take, and still books the trade', async () => {
      const tradeId = randomUUID();
      const tooMuch = await settle(EventTypes.settlementSettled, [tradeId], { updateId: 'U-11', settledQuantity: '5000', settledAmount: '189261.20', effectiveDate: '2026-11-23' });
      await processed(tooMuch);
      await trade(EventTypes.tradeCaptured, { tradeId, book: `${book}-OVER` });
      await eventually(() => journalOf(tradeId), (entries) => entries.length === 1, 60_000, 'the trade booked');
      await app.get(ParkingSweeper).sweep();
      expect((await deadLetterOf(tooMuch))?.error).toMatch(/more than remains|left/);
    });
  });

  describe('integrity', () => {
    /** Writes an entry with these postings as the service role, bypassing the application, and commits. */
    async function commitEntryDirectly(postings: { account: string; asset: string; amount: string }[]): Promise<void> {
      const service = new Client({ connectionString: serviceDatabaseUrl(ledgerDatabase) });
      await service.connect();
      try {
        const entryId = randomUUID();
        await service.query('begin');
        await service.query(`insert into accounts (code, owner_kind, holder, kind) values ('house:test', 'HOUSE', 'HOUSE', 'PENALTIES') on conflict do nothing`);
        await service.query(
          `insert into journal_entries (entry_id, chain_id, chain_sequence, event_id, event_part, event_type, effective_date, posted_at, hash)
           values ($1, 'test', -1, $2, 0, 'test', '2026-11-20', now(), 'x')`,
          [entryId, randomUUID()],
        );
        for (const [i, p] of postings.entries()) {
          await service.query('insert into postings (entry_id, leg, account, asset, amount) values ($1, $2, $3, $4, $5)', [entryId, i + 1, p.account, p.asset, p.amount]);
        }
        await service.query('commit');
      } finally {
        await service.end();
      }
    }

    it('refuses, at commit, an entry whose postings do not balance per asset', async () => {
      await expect(commitEntryDirectly([{ account: 'house:test', asset: 'USD', amount: '1' }])).rejects.toThrow(/does not balance in USD/);
      await expect(
        commitEntryDirectly([
          { account: 'house:test', asset: 'USD', amount: '1' },
          { account: 'house:test', asset: 'EUR', amount: '-1' },
        ]),
      ).rejects.toThrow(/does not balance/);
    });

    it('refuses, at commit, a posting to an account that is not open', async () => {
      await expect(
        commitEntryDirectly([
          { account: 'house:test', asset: 'USD', amount: '1' },
          { account: 'house:nowhere', asset: 'USD', amount: '-1' },
        ]),
      ).rejects.toThrow(/account house:nowhere which is not open/);
    });

    it("refuses the service role's UPDATE of journal entries", async () => {
      const service = new Client({ connectionString: serviceDatabaseUrl(ledgerDatabase) });
      await service.connect();
      try {
        await expect(service.query('update journal_entries set hash = hash where false')).rejects.toThrow(/permission denied/);
        await expect(service.query('delete from postings where false')).rejects.toThrow(/permission denied/);
      } finally {
        await service.end();
      }
    });

    it('finds a direct SQL edit of an entry and names it', async () => {
      await http().post('/api/v1/journal/verify').set(OPS).expect(403);
      const ok = await http().post('/api/v1/journal/verify').set(AUDITOR).expect(200);
      expect(ok.body).toMatchObject({ ok: true, firstBadEntryId: null });
      expect(ok.body.entriesChecked).toBeGreaterThan(0);

      const { rows } = await admin.query('select entry_id, effective_date::text as d from journal_entries order by sequence desc limit 1 offset 1');
      const tampered = rows[0];
      await admin.query(`update journal_entries set effective_date = effective_date - 1 where entry_id = $1`, [tampered.entry_id]);
      try {
        const bad = await http().post('/api/v1/journal/verify').set(AUDITOR).expect(200);
        expect(bad.body).toMatchObject({ ok: false, firstBadEntryId: tampered.entry_id });
      } finally {
        await admin.query('update journal_entries set effective_date = $2 where entry_id = $1', [tampered.entry_id, tampered.d]);
      }
      const again = await http().post('/api/v1/journal/verify').set(AUDITOR).expect(200);
      expect(again.body.ok).toBe(true);
    });
  });

  describe('one hash chain per partition', () => {
    /** Partitions of a topic no consumer reads: the chains of this run only. */
    const topic = `ledger-test.${randomUUID().slice(0, 8)}`;
    let transactions: TransactionRunner;

    beforeAll(() => {
      transactions = new TransactionRunner(app.get(DataSource));
    });

    /** A batch of captured trades, each in a book and with a counterparty of its own, as consumed from one partition. */
    function capturedBatch(partition: number, trades = 2): { events: ReceivedLedgerEvent[]; chain: string } {
      const events = Array.from({ length: trades }, (_, i) => {
        const tradeId = randomUUID();
        const data = tradeResource({ tradeId, book: `${book}-P${partition}-${tradeId.slice(0, 8)}`, counterpartyLei: `CP${tradeId.replace(/-/g, '').slice(0, 18).toUpperCase()}` });
        const headers = toHeaders({ id: randomUUID(), source: 'trade-capture', type: EventTypes.tradeCaptured, time: new Date().toISOString(), subject: tradeId, data });
        const message: RawMessage = { topic, partition, offset: String(i), key: tradeId, headers, value: JSON.stringify(data) };
        return { input: ledgerInputOfMessage(message), message };
      });
      return { events, chain: partitionName({ topic, partition }) };
    }

    /** Books a batch in a transaction that stays open, holding its chain's head, until `commit` is called. */
    async function bookAndHold(batch: { events: ReceivedLedgerEvent[]; chain: string }): Promise<{ commit: () => Promise<void> }> {
      let release!: () => void;
      let booked!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const bookedYet = new Promise<void>((resolve) => (booked = resolve));
      const done = transactions.run(async (em) => {
        await app.get(BookLedgerEventsHandler).execute(batch.events, em, batch.chain);
        booked();
        await released;
      });
      await Promise.race([bookedYet, done]);
      return {
        commit: async () => {
          release();
          await done;
        },
      };
    }

    const book = (batch: { events: ReceivedLedgerEvent[]; chain: string }) => transactions.run((em) => app.get(BookLedgerEventsHandler).execute(batch.events, em, batch.chain));

    /** Books a batch, giving up after 500 ms waiting for any lock. */
    const bookWithin500ms = (batch: { events: ReceivedLedgerEvent[]; chain: string }) =>
      transactions.run(async (em) => {
        await em.query(`set local lock_timeout = '500ms'`);
        await app.get(BookLedgerEventsHandler).execute(batch.events, em, batch.chain);
      });

    async function chainOf(chain: string): Promise<{ entry_id: string; chain_sequence: string; previous_hash: string | null; hash: string }[]> {
      const { rows } = await admin.query('select entry_id, chain_sequence, previous_hash, hash from journal_entries where chain_id = $1 order by chain_sequence', [chain]);
      return rows;
    }

    it('books a batch of another partition while a batch of this one holds its chain head, without waiting for it', async () => {
      const first = capturedBatch(0);
      const second = capturedBatch(1);
      const held = await bookAndHold(first);
      try {
        await bookWithin500ms(second);
      } finally {
        await held.commit();
      }
      expect((await chainOf(second.chain)).map((e) => e.chain_sequence)).toEqual(['1', '2']);
      expect((await chainOf(first.chain)).map((e) => e.chain_sequence)).toEqual(['1', '2']);
      const { rows } = await admin.query('select chain_id, last_sequence from journal_chains where chain_id = any($1) order by chain_id', [[first.chain, second.chain]]);
      expect(rows).toEqual([
        { chain_id: first.chain, last_sequence: '2' },
        { chain_id: second.chain, last_sequence: '2' },
      ]);
    });

    it('makes a second batch of the same partition wait for the first, and chains it after the first', async () => {
      const first = capturedBatch(2);
      const second = { ...capturedBatch(2), chain: first.chain };
      const held = await bookAndHold(first);
      try {
        await expect(bookWithin500ms(second)).rejects.toThrow(/lock timeout/);
      } finally {
        await held.commit();
      }
      // Both at once, as after a rebalance: they take turns, and the chain stays one line.
      const third = { ...capturedBatch(2), chain: first.chain };
      await Promise.all([book(second), book(third)]);
      const entries = await chainOf(first.chain);
      expect(entries.map((e) => e.chain_sequence)).toEqual(['1', '2', '3', '4', '5', '6']);
      entries.forEach((entry, i) => expect(entry.previous_hash).toBe(i === 0 ? null : entries[i - 1].hash));
      expect((await http().post('/api/v1/journal/verify').set(AUDITOR).expect(200)).body).toMatchObject({ ok: true, firstBadEntryId: null });
    });

    it('makes a settlement wait for the batch of another partition that is booking its trade, so that it is booked, not parked', async () => {
      const capture = capturedBatch(3, 1);
      const tradeId = (capture.events[0].input as { terms: { tradeId: string } }).terms.tradeId;
      const data = settlementEvent([tradeId], { updateId: 'U-RACE', settledQuantity: '1000', settledAmount: '189261.20', effectiveDate: '2026-11-23' });
      const headers = toHeaders({ id: randomUUID(), source: 'settlement', type: EventTypes.settlementSettled, time: new Date().toISOString(), subject: data.instructionId, data });
      const message: RawMessage = { topic: `${topic}-settlements`, partition: 0, offset: '0', key: data.instructionId, headers, value: JSON.stringify(data) };
      const settlement = { events: [{ input: ledgerInputOfMessage(message), message }], chain: partitionName(message) };

      const held = await bookAndHold(capture);
      try {
        await expect(bookWithin500ms(settlement)).rejects.toThrow(/lock timeout/);
      } finally {
        await held.commit();
      }
      await bookWithin500ms(settlement);
      expect((await journalOf(tradeId)).map((e) => e.eventId)).toEqual([capture.events[0].input.eventId, settlement.events[0].input.eventId]);
      const { rows } = await admin.query(`select count(*)::int as n from parked_inputs where kind = 'SETTLEMENT' and input_key = $1`, [settlement.events[0].input.eventId]);
      expect(rows[0].n).toBe(0);
    });

    it('finds an entry edited in the second of two chains, and counts the entries of every chain', async () => {
      const [first, second] = [capturedBatch(4), capturedBatch(5)];
      for (const batch of [first, second]) await book(batch);
      const ok = await http().post('/api/v1/journal/verify').set(AUDITOR).expect(200);
      expect(ok.body).toMatchObject({ ok: true, firstBadEntryId: null });
      const { rows: counted } = await admin.query('select count(*)::int as n from journal_entries e join journal_chains c using (chain_id) where e.chain_sequence <= c.last_sequence');
      expect(ok.body.entriesChecked).toBeLessThanOrEqual(counted[0].n);
      expect(ok.body.entriesChecked).toBeGreaterThanOrEqual(4);

      const [, tampered] = await chainOf(second.chain);
      await admin.query('update postings set amount = amount * 2 where entry_id = $1', [tampered.entry_id]);
      try {
        const bad = await http().post('/api/v1/journal/verify').set(AUDITOR).expect(200);
        expect(bad.body).toMatchObject({ ok: false, firstBadEntryId: tampered.entry_id });
      } finally {
        await admin.query('update postings set amount = amount / 2 where entry_id = $1', [tampered.entry_id]);
      }
      expect((await http().post('/api/v1/journal/verify').set(AUDITOR).expect(200)).body.ok).toBe(true);
    });

    it('lists each entry with its chain', async () => {
      const batch = capturedBatch(6, 1);
      await book(batch);
      const [entry] = await journalOf((batch.events[0].input as { terms: { tradeId: string } }).terms.tradeId);
      expect(entry).toMatchObject({ chain: batch.chain, previousHash: null });
    });
  });
});
