import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Topics } from '@postrade/contracts';
import { anchorConfigFromEnv, ChainAnchors, KAFKA_CONNECTION, Outbox, MessagingModule, ParkingLot, ParkingModule, type KafkaConnection } from '@postrade/messaging';
import { PlatformModule, readEnv } from '@postrade/platform';
import { LedgerController } from './api/ledger.controller';
import { LedgerOperationsController } from './api/ledger-operations.controller';
import { PenaltyCollections } from './application/collect-penalties/penalty-collections';
import { LedgerExceptions } from './application/query-exceptions/ledger-exceptions';
import { AccountBalances } from './application/query-ledger/account-balances';
import { LedgerExceptionRepository } from './persistence/ledger-exception.repository';
import { PenaltyRepository } from './persistence/penalty.repository';
import { TransactionRunner } from '@postrade/persistence';
import { BookLedgerEventsHandler } from './application/book-events/book-ledger-events.command-handler';
import { JournalPoster } from './application/book-events/journal-poster';
import { LedgerQueries } from './application/query-ledger/ledger-queries';
import { journalChains } from './application/verify-journal/journal-anchors';
import { VerifyJournalHandler } from './application/verify-journal/verify-journal.query-handler';
import { SettlementEventsHandler, TradeEventsHandler } from './messaging/ledger-events.handler';
import { ledgerInputOfMessage } from './messaging/ledger-input.mapper';
import { BalanceRepository } from './persistence/balance.repository';
import { BookedTradeRepository } from './persistence/booked-trade.repository';
import { JournalRepository } from './persistence/journal.repository';
import { ledgerDatabase } from './persistence/ledger.database';

const CONSUMER = 'ledger';

/** Wiring only: the platform, this service's schema and Kafka connections, and its features. */
@Module({
  imports: [
    PlatformModule.forService({ name: 'ledger', port: 3004 }),
    MessagingModule.forService({
      service: 'ledger',
      database: ledgerDatabase,
      consumers: [{ consumer: CONSUMER, topics: [Topics.tradeCaptureTrades, Topics.settlementEvents], handlers: [TradeEventsHandler, SettlementEventsHandler] }],
    }),
    // Settlements waiting for their trades: GET /api/v1/parked, and to the dead letters after LEDGER_PARKED_EXPIRY.
    ParkingModule.forService({ service: 'ledger', consumer: CONSUMER }),
  ],
  controllers: [LedgerController, LedgerOperationsController],
  providers: [
    { provide: JournalRepository, useValue: new JournalRepository() },
    { provide: BookedTradeRepository, useValue: new BookedTradeRepository() },
    { provide: BalanceRepository, useValue: new BalanceRepository() },
    { provide: LedgerExceptionRepository, useValue: new LedgerExceptionRepository() },
    { provide: PenaltyRepository, useValue: new PenaltyRepository() },
    {
      provide: JournalPoster,
      useFactory: (journal: JournalRepository, outbox: Outbox) => new JournalPoster(journal, outbox),
      inject: [JournalRepository, Outbox],
    },
    {
      provide: BookLedgerEventsHandler,
      useFactory: (
        journal: JournalRepository,
        trades: BookedTradeRepository,
        parking: ParkingLot,
        poster: JournalPoster,
        exceptions: LedgerExceptionRepository,
        penalties: PenaltyRepository,
      ) =>
        new BookLedgerEventsHandler(
          journal,
          trades,
          parking,
          poster,
          {
            parkedExpiryMs: readEnv(process.env, (env) => env.duration('LEDGER_PARKED_EXPIRY', { default: '72h', min: '1s' })),
            inputOf: ledgerInputOfMessage,
          },
          exceptions,
          penalties,
        ),
      inject: [JournalRepository, BookedTradeRepository, ParkingLot, JournalPoster, LedgerExceptionRepository, PenaltyRepository],
    },
    {
      provide: TradeEventsHandler,
      useFactory: (booking: BookLedgerEventsHandler) => new TradeEventsHandler(booking),
      inject: [BookLedgerEventsHandler],
    },
    {
      provide: SettlementEventsHandler,
      useFactory: (booking: BookLedgerEventsHandler) => new SettlementEventsHandler(booking),
      inject: [BookLedgerEventsHandler],
    },
    {
      provide: LedgerQueries,
      useFactory: (dataSource: DataSource, balances: BalanceRepository, journal: JournalRepository) => new LedgerQueries(dataSource, balances, journal),
      inject: [DataSource, BalanceRepository, JournalRepository],
    },
    // The journal's chain heads, signed, to audit.anchors.v1 every AUDIT_ANCHOR_INTERVAL and on demand (docs/anchors.md).
    {
      provide: ChainAnchors,
      useFactory: (transactions: TransactionRunner, dataSource: DataSource, outbox: Outbox, kafka: KafkaConnection, journal: JournalRepository) => {
        const { key, intervalMs } = anchorConfigFromEnv(process.env);
        return new ChainAnchors({ service: 'ledger', schema: ledgerDatabase.schema, chains: journalChains(journal), key, intervalMs, outbox, transactions, dataSource, kafka });
      },
      inject: [TransactionRunner, DataSource, Outbox, KAFKA_CONNECTION, JournalRepository],
    },
    {
      provide: VerifyJournalHandler,
      useFactory: (dataSource: DataSource, journal: JournalRepository, balances: BalanceRepository, anchors: ChainAnchors) => new VerifyJournalHandler(dataSource, journal, balances, anchors),
      inject: [DataSource, JournalRepository, BalanceRepository, ChainAnchors],
    },
    {
      provide: AccountBalances,
      useFactory: (dataSource: DataSource, balances: BalanceRepository) => new AccountBalances(dataSource, balances),
      inject: [DataSource, BalanceRepository],
    },
    {
      provide: LedgerExceptions,
      useFactory: (dataSource: DataSource, exceptions: LedgerExceptionRepository) => new LedgerExceptions(dataSource, exceptions),
      inject: [DataSource, LedgerExceptionRepository],
    },
    {
      provide: PenaltyCollections,
      useFactory: (transactions: TransactionRunner, journal: JournalRepository, penalties: PenaltyRepository, poster: JournalPoster) =>
        new PenaltyCollections(transactions, journal, penalties, poster),
      inject: [TransactionRunner, JournalRepository, PenaltyRepository, JournalPoster],
    },
  ],
})
export class LedgerModule {}
