import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { EventTypes, toHeaders, Topics } from '@postrade/contracts';
import { signAnchor, type ChainAnchor } from '@postrade/kernel';
import {
  ChainAnchors,
  DEV_ANCHOR_KEY,
  kafkaConnectionFromEnv,
  KafkajsEventPublisher,
  Outbox,
  OutboxRelay,
  ParkingLot,
  partitionName,
  type RawMessage,
} from '@postrade/messaging';
import { serviceDatabaseUrl, TransactionRunner } from '@postrade/persistence';
import { configureApp } from '@postrade/platform';
import { eventually, useScratchSchema } from '@postrade/testing';
import type { DataSource } from 'typeorm';
import { BookLedgerEventsHandler } from '../src/application/book-events/book-ledger-events.command-handler';
import { JournalPoster } from '../src/application/book-events/journal-poster';
import { journalChains } from '../src/application/verify-journal/journal-anchors';
import { VerifyJournalHandler } from '../src/application/verify-journal/verify-journal.query-handler';
import { entryHash } from '../src/domain/journal-chain';
import { ledgerInputOfMessage } from '../src/messaging/ledger-input.mapper';
import { BalanceRepository } from '../src/persistence/balance.repository';
import { BookedTradeRepository } from '../src/persistence/booked-trade.repository';
import { JournalRepository } from '../src/persistence/journal.repository';
import { LedgerExceptionRepository } from '../src/persistence/ledger-exception.repository';
import { LedgerModule } from '../src/ledger.module';
import { ledgerDatabase } from '../src/persistence/ledger.database';
import { ledgerMigrations } from '../src/persistence/migrations';
import { PenaltyRepository } from '../src/persistence/penalty.repository';

/** A captured trade as trade-capture publishes it, on one partition of trade-capture.trades.v1. */
function captured(partition: number): RawMessage {
  const tradeId = randomUUID();
  const data = {
    tradeId, sourceSystem: 'OMS1', sourceTradeId: `T-${tradeId.slice(0, 8)}`, version: 1, status: 'CAPTURED', tradeDate: '2026-11-20', executionTime: '2026-11-20T14:30:05.123Z',
    side: 'BUY', isin: 'US0378331005', quantity: '10', price: '189.25', currency: 'USD', grossAmount: '1892.50', accruedInterest: '0.00', accruedDays: 0, commission: '0.11',
    fees: '0.00', netAmount: '1892.61', settlementDate: '2026-11-23', settlementCycle: 'T+1', settlementMarket: 'US', settlementType: 'DVP', book: 'EQ1',
    instrument: { description: 'Apple Inc.', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
    counterparty: { lei: '5493001KJTIIGC8Y1R12', name: 'Broker A' }, legalEntity: { lei: '529900T8BM49AURSDO55', name: 'Our Fund' }, ssis: { ours: null, theirs: null },
    createdAt: '2026-11-20T14:30:06.000Z', updatedAt: '2026-11-20T14:30:06.000Z',
  };
  const headers = toHeaders({ id: randomUUID(), source: 'trade-capture', type: EventTypes.tradeCaptured, time: new Date().toISOString(), subject: tradeId, data });
  return { topic: Topics.tradeCaptureTrades, partition, offset: '0', key: tradeId, headers, value: JSON.stringify(data) };
}

describe('the journal anchored outside the database (real Postgres and Kafka)', () => {
  // A ledger schema of this test's own: its journal is rewritten below, and its anchors name it.
  const scratch = useScratchSchema(ledgerDatabase, 'ledger_anchors', ledgerMigrations);
  const kafka = kafkaConnectionFromEnv('ledger-anchors-test');
  const journal = new JournalRepository();
  const chain3 = `${Topics.tradeCaptureTrades}:3`;
  let db: DataSource;
  let transactions: TransactionRunner;
  let outbox: Outbox;
  let relay: OutboxRelay;
  let anchors: ChainAnchors;
  let verify: VerifyJournalHandler;
  let booking: BookLedgerEventsHandler;

  const book = (partition: number) => {
    const message = captured(partition);
    return transactions.run((em) => booking.execute([{ input: ledgerInputOfMessage(message), message }], em, partitionName(message)));
  };

  /** Publishes an anchor through the outbox and waits until Kafka hands it back as the latest. */
  async function anchorNow(): Promise<ChainAnchor> {
    const anchor = await anchors.publish();
    await relay.flush();
    await eventually(() => anchors.latest(), (latest) => latest?.anchor.signature === anchor.signature, 30_000, 'the anchor on audit.anchors.v1');
    return anchor;
  }

  /**
   * What someone with database access does: changes an entry and recomputes, with the journal's own
   * hash function, the hash of it and of every entry after it in its chain, and the chain's head,
   * so that the chains verify on their own again.
   */
  async function rewriteChain(chain: string, change: { chainSequence: number; postedAt: string }): Promise<void> {
    const rows = await journal.chainPage(db.manager, chain, 0, Number.MAX_SAFE_INTEGER, 10_000);
    const postings = await journal.postingsOf(db.manager, rows.map((r) => r.entry_id));
    await scratch.admin.query(`set search_path = ${scratch.schema}`);
    await scratch.admin.query('begin');
    let previousHash: string | null = null;
    for (const row of rows) {
      const postedAt = Number(row.chain_sequence) === change.chainSequence ? change.postedAt : row.posted_at.toISOString();
      const hash = entryHash(
        {
          entryId: row.entry_id, eventId: row.event_id, eventPart: row.event_part, eventType: row.event_type, tradeId: row.trade_id, instructionId: row.instruction_id,
          effectiveDate: row.effective_date, postedAt, postings: postings.filter((p) => p.entry_id === row.entry_id).sort((a, b) => a.leg - b.leg),
        },
        previousHash,
      );
      await scratch.admin.query('update journal_entries set posted_at = $2, previous_hash = $3, hash = $4 where entry_id = $1', [row.entry_id, postedAt, previousHash, hash]);
      previousHash = hash;
    }
    await scratch.admin.query('update journal_chains set last_hash = $2 where chain_id = $1', [chain, previousHash]);
    await scratch.admin.query('commit');
  }

  beforeAll(async () => {
    await scratch.migrate();
    db = await scratch.connect();
    transactions = new TransactionRunner(db);
    outbox = new Outbox('ledger', scratch.schema);
    relay = new OutboxRelay(new KafkajsEventPublisher(kafka), { databaseUrl: serviceDatabaseUrl(scratch.database), schema: scratch.schema });
    await relay.start();
    const parking = new ParkingLot({ consumer: 'ledger', dlqTopic: 'ledger.dlq.v1', outbox });
    booking = new BookLedgerEventsHandler(
      journal,
      new BookedTradeRepository(),
      parking,
      new JournalPoster(journal, outbox),
      { parkedExpiryMs: 72 * 3_600_000, inputOf: ledgerInputOfMessage },
      new LedgerExceptionRepository(),
      new PenaltyRepository(),
    );
    anchors = new ChainAnchors({ service: 'ledger', schema: scratch.schema, chains: journalChains(journal), key: DEV_ANCHOR_KEY, outbox, transactions, dataSource: db, kafka });
    verify = new VerifyJournalHandler(db, journal, new BalanceRepository(), anchors);
  });

  afterAll(async () => {
    await relay?.stop();
  });

  it('verifies with nothing anchored yet, then against an anchor, entries booked after it included', async () => {
    for (const partition of [3, 3, 3, 4]) await book(partition);
    expect(await verify.execute()).toMatchObject({ ok: true, entriesChecked: 4, anchor: { ok: true, status: 'NONE' } });

    const anchor = await anchorNow();
    expect(anchor).toMatchObject({ service: 'ledger', schema: scratch.schema, trail: 'journal', keyId: DEV_ANCHOR_KEY.id, algorithm: 'HMAC-SHA256' });
    expect(anchor.heads).toEqual([
      // The chain of the journal's first release, empty here.
      { chain: 'main', lastSequence: 0, lastHash: null },
      { chain: chain3, lastSequence: 3, lastHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      { chain: `${Topics.tradeCaptureTrades}:4`, lastSequence: 1, lastHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    await book(3);
    expect(await verify.execute()).toMatchObject({ ok: true, entriesChecked: 5, firstBadEntryId: null, anchor: { ok: true, status: 'MATCHES', chainsChecked: 3, differences: [] } });
  });

  it('finds a journal rewritten in SQL with every hash and the chain head recomputed, which the chains alone no longer show', async () => {
    await rewriteChain(chain3, { chainSequence: 2, postedAt: '2026-11-19T09:00:00.000Z' });
    const result = await verify.execute();
    // The chains are consistent again, and the balances untouched: only the anchor tells.
    expect(result).toMatchObject({ ok: false, entriesChecked: 5, firstBadEntryId: null, balancesDiffering: 0 });
    expect(result.anchor).toMatchObject({ ok: false, status: 'DIFFERS', chainsChecked: 3 });
    expect(result.anchor?.differences).toEqual([
      { chain: chain3, problem: 'REWRITTEN', anchoredSequence: 3, anchoredHash: expect.any(String), currentSequence: 4, hashFound: expect.any(String) },
    ]);
    expect(result.anchor?.differences[0].hashFound).not.toBe(result.anchor?.differences[0].anchoredHash);
  });

  it('reports an anchor that is not signed with the service key, and one for a forged head', async () => {
    const heads = await journal.chainHeads(db.manager);
    const statement = { service: 'ledger', schema: scratch.schema, trail: 'journal', heads, anchoredAt: new Date().toISOString() };
    // Someone who can write to the topic but does not hold AUDIT_ANCHOR_KEY "re-anchors" the rewritten journal.
    const forged = signAnchor(statement, { id: DEV_ANCHOR_KEY.id, secret: 'not-the-key-of-this-service-at-all-0000' });
    await transactions.run((em) => outbox.add(em, { topic: Topics.auditAnchors, key: anchors.messageKey, type: EventTypes.auditChainsAnchored, data: forged }));
    await relay.flush();
    await eventually(() => anchors.latest(), (latest) => latest?.anchor.signature === forged.signature, 30_000, 'the forged anchor');
    expect((await verify.execute()).anchor).toMatchObject({ ok: false, status: 'BAD_SIGNATURE', signatureProblem: 'BAD_SIGNATURE', keyId: DEV_ANCHOR_KEY.id });
    expect((await verify.execute()).ok).toBe(false);

    const unknownKey = signAnchor(statement, { id: 'stolen', secret: DEV_ANCHOR_KEY.secret });
    await transactions.run((em) => outbox.add(em, { topic: Topics.auditAnchors, key: anchors.messageKey, type: EventTypes.auditChainsAnchored, data: unknownKey }));
    await relay.flush();
    await eventually(() => anchors.latest(), (latest) => latest?.anchor.keyId === 'stolen', 30_000, 'the anchor of an unknown key');
    expect((await verify.execute()).anchor).toMatchObject({ ok: false, status: 'BAD_SIGNATURE', signatureProblem: 'UNKNOWN_KEY' });
  });

  it('finds entries removed from the end of a chain past the anchored position, head moved back too', async () => {
    // A fresh, valid anchor of the journal as it is now (the rewrite included), then a truncation.
    await anchorNow();
    expect((await verify.execute()).anchor).toMatchObject({ ok: true, status: 'MATCHES' });
    const [last] = await journal.chainPage(db.manager, chain3, 3, 4, 1);
    await scratch.admin.query(`set search_path = ${scratch.schema}`);
    await scratch.admin.query('begin');
    await scratch.admin.query('delete from postings where entry_id = $1', [last.entry_id]);
    await scratch.admin.query('delete from journal_entries where entry_id = $1', [last.entry_id]);
    await scratch.admin.query('update journal_chains set last_sequence = 3, last_hash = $2 where chain_id = $1', [chain3, last.previous_hash]);
    await scratch.admin.query('commit');
    const result = await verify.execute();
    expect(result).toMatchObject({ ok: false, entriesChecked: 4, firstBadEntryId: null });
    expect(result.anchor?.differences).toEqual([
      { chain: chain3, problem: 'TRUNCATED', anchoredSequence: 4, anchoredHash: last.hash, currentSequence: 3, hashFound: null },
    ]);
  });
});

describe('anchoring the journal over REST (the service as wired)', () => {
  let app: INestApplication;
  const AUDITOR = { Authorization: 'Bearer dev-auditor' };
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [LedgerModule] }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app);
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('publishes the heads on POST /api/v1/journal/anchors (201, auditors and supervisors), and verify then compares with them', async () => {
    await http().post('/api/v1/journal/anchors').set({ Authorization: 'Bearer dev-ops' }).expect(403);
    const anchor = (await http().post('/api/v1/journal/anchors').set(AUDITOR).expect(201)).body as ChainAnchor;
    expect(anchor).toMatchObject({ service: 'ledger', schema: 'ledger', trail: 'journal', keyId: DEV_ANCHOR_KEY.id, algorithm: 'HMAC-SHA256', signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const verified = await eventually(
      async () => (await http().post('/api/v1/journal/verify').set(AUDITOR).expect(200)).body,
      (body) => body.anchor?.anchoredAt === anchor.anchoredAt,
      30_000,
      'verify against the anchor just published',
    );
    expect(verified).toMatchObject({ ok: true, anchor: { ok: true, status: 'MATCHES', chainsChecked: anchor.heads.length, differences: [] } });
  });
});
