import { randomUUID } from 'node:crypto';
import { EventTypes, toHeaders } from '@postrade/contracts';
import { messagingMigrations, Outbox, ParkingLot, partitionName, type RawMessage } from '@postrade/messaging';
import { TransactionRunner } from '@postrade/persistence';
import { useScratchSchema } from '@postrade/testing';
import { BookLedgerEventsHandler } from '../src/application/book-events/book-ledger-events.command-handler';
import { JournalPoster } from '../src/application/book-events/journal-poster';
import { VerifyJournalHandler } from '../src/application/verify-journal/verify-journal.query-handler';
import { ledgerInputOfMessage } from '../src/messaging/ledger-input.mapper';
import { BookedTradeRepository } from '../src/persistence/booked-trade.repository';
import { BalanceRepository } from '../src/persistence/balance.repository';
import { JournalRepository } from '../src/persistence/journal.repository';
import { LedgerExceptionRepository } from '../src/persistence/ledger-exception.repository';
import { PenaltyRepository } from '../src/persistence/penalty.repository';
import { ledgerDatabase } from '../src/persistence/ledger.database';
import { ledgerMigrations } from '../src/persistence/migrations';
import { LedgerTables1732600000000 } from '../src/persistence/migrations/ledger-tables.migration';

const FIRST_HASH = '5269150a949d42a4371b8465aab7bf96c8564dc914f5e7ca5df509c24ef348e9';
const SECOND_HASH = 'a38a68deb76a3400842da0cddbcf64865b759a5a7efc0bd9c3f5b49fd80a1b4c';

describe('the journal chains migration (real Postgres)', () => {
  // A ledger schema of this test's own, as it stood before chains were sharded: the first release's migrations only.
  const scratch = useScratchSchema(ledgerDatabase, 'ledger_legacy', [...messagingMigrations, LedgerTables1732600000000]);
  const { schema, database: legacy } = scratch;

  /** Two entries and the chain head exactly as the journal's first release wrote them (hashes from its code). */
  async function storeLegacyEntries(): Promise<void> {
    await scratch.admin.query(`set search_path = ${schema}`);
    await scratch.admin.query('begin');
    await scratch.admin.query(
      `insert into accounts (code, owner_kind, holder, kind) values
        ('book:EQ1:securities-pending', 'BOOK', 'EQ1', 'SECURITIES_PENDING'), ('book:EQ1:cash-pending', 'BOOK', 'EQ1', 'CASH_PENDING'),
        ('counterparty:5493001KJTIIGC8Y1R12:pending-settlement', 'COUNTERPARTY', '5493001KJTIIGC8Y1R12', 'PENDING_SETTLEMENT')`,
    );
    const entries = [
      { entryId: '0b9d2f1e-4c1a-4e57-9a38-3f0c4c1d2e11', sequence: 1, eventPart: 0, previousHash: null, hash: FIRST_HASH },
      { entryId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', sequence: 2, eventPart: 1, previousHash: FIRST_HASH, hash: SECOND_HASH },
    ];
    for (const e of entries) {
      await scratch.admin.query(
        `insert into journal_entries (entry_id, sequence, event_id, event_part, event_type, trade_id, instruction_id, effective_date, posted_at, previous_hash, hash)
         values ($1, $2, '5f1c7a2b-8d3e-4f60-a1b2-c3d4e5f60718', $3, 'postrade.trade.captured.v1', '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', null, '2026-11-20', '2026-11-20T15:00:00.000Z', $4, $5)`,
        [e.entryId, e.sequence, e.eventPart, e.previousHash, e.hash],
      );
      await scratch.admin.query(
        `insert into postings (entry_id, leg, account, asset, amount) values
          ($1, 1, 'book:EQ1:securities-pending', 'US0378331005', 1000), ($1, 2, 'counterparty:5493001KJTIIGC8Y1R12:pending-settlement', 'US0378331005', -1000),
          ($1, 3, 'counterparty:5493001KJTIIGC8Y1R12:pending-settlement', 'USD', 189261.20), ($1, 4, 'book:EQ1:cash-pending', 'USD', -189261.20)`,
        [e.entryId],
      );
    }
    // The first release wrote the daily balances with the postings, in the same transaction.
    await scratch.admin.query(
      `insert into daily_balances (account, asset, effective_date, movement) values
        ('book:EQ1:securities-pending', 'US0378331005', '2026-11-20', 2000), ('counterparty:5493001KJTIIGC8Y1R12:pending-settlement', 'US0378331005', '2026-11-20', -2000),
        ('counterparty:5493001KJTIIGC8Y1R12:pending-settlement', 'USD', '2026-11-20', 378522.40), ('book:EQ1:cash-pending', 'USD', '2026-11-20', -378522.40)`,
    );
    await scratch.admin.query(`update journal_chain_head set last_sequence = 2, last_hash = $1`, [SECOND_HASH]);
    await scratch.admin.query('commit');
  }

  it('keeps the entries booked with one chain verifiable as chain main, and books new entries on a chain of their own beside them', async () => {
    await scratch.migrate();
    await storeLegacyEntries();

    const applied = await scratch.migrate(ledgerMigrations);
    expect(applied).toEqual(['LedgerJournalChains1796600000000', 'LedgerCancelledOn1797100000000', 'LedgerParkedInputs1798200000000', 'LedgerSettledAsDepository1798300000000', 'LedgerBalanceSlots1798400000000']);
    const { rows: heads } = await scratch.admin.query('select chain_id, last_sequence, last_hash from journal_chains');
    expect(heads).toEqual([{ chain_id: 'main', last_sequence: '2', last_hash: SECOND_HASH }]);
    const { rows: migrated } = await scratch.admin.query('select chain_id, chain_sequence::int from journal_entries order by sequence');
    expect(migrated).toEqual([
      { chain_id: 'main', chain_sequence: 1 },
      { chain_id: 'main', chain_sequence: 2 },
    ]);

    const db = await scratch.connect();
    const journal = new JournalRepository();
    const verify = new VerifyJournalHandler(db, journal, new BalanceRepository());
    expect(await verify.execute()).toEqual({ ok: true, entriesChecked: 2, firstBadEntryId: null, balancesChecked: 4, balancesDiffering: 0, balanceDifferences: [] });

    // As the runtime role: a batch of a partition books on that partition's chain, numbered after the old entries.
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
    const message: RawMessage = { topic: 'trade-capture.trades.v1', partition: 3, offset: '0', key: tradeId, headers, value: JSON.stringify(data) };
    const outbox = new Outbox(legacy.service, schema);
    const parking = new ParkingLot({ consumer: 'ledger', dlqTopic: 'ledger.dlq.v1', outbox });
    const booking = new BookLedgerEventsHandler(journal, new BookedTradeRepository(), parking, new JournalPoster(journal, outbox), {
      parkedExpiryMs: 72 * 3_600_000,
      inputOf: ledgerInputOfMessage,
    }, new LedgerExceptionRepository(), new PenaltyRepository());
    await new TransactionRunner(db).run((em) => booking.execute([{ input: ledgerInputOfMessage(message), message }], em, partitionName(message)));
    const { rows: booked } = await scratch.admin.query(`select sequence::int, chain_id, chain_sequence::int, previous_hash from journal_entries where trade_id = $1`, [tradeId]);
    expect(booked).toEqual([{ sequence: 3, chain_id: 'trade-capture.trades.v1:3', chain_sequence: 1, previous_hash: null }]);
    // The new entry's balances were moved by the database, with its postings.
    expect(await verify.execute()).toEqual({ ok: true, entriesChecked: 3, firstBadEntryId: null, balancesChecked: 4, balancesDiffering: 0, balanceDifferences: [] });

    await scratch.admin.query(`update journal_entries set effective_date = '2026-11-19' where sequence = 2`);
    const tampered = await verify.execute();
    expect(tampered).toMatchObject({ ok: false, entriesChecked: 3, firstBadEntryId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', balancesDiffering: 8 });
    expect(tampered.balanceDifferences).toContainEqual({ account: 'book:EQ1:securities-pending', asset: 'US0378331005', effectiveDate: '2026-11-19', balance: '0', journal: '1000' });
  });
});
