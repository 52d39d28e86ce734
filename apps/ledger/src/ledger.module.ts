import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { dlqTopicFor, Topics } from '@postrade/contracts';
import { Outbox, MessagingModule } from '@postrade/messaging';
import { TransactionRunner } from '@postrade/persistence';
import { PlatformModule, readEnv } from '@postrade/platform';
import { LedgerController } from './api/ledger.controller';
import { BookLedgerEventsHandler } from './application/book-events/book-ledger-events.command-handler';
import { JournalPoster } from './application/book-events/journal-poster';
import { ExpireParkedSettlements } from './application/expire-parked/expire-parked-settlements';
import { LedgerQueries } from './application/query-ledger/ledger-queries';
import { VerifyJournalHandler } from './application/verify-journal/verify-journal.query-handler';
import { SettlementEventsHandler, TradeEventsHandler } from './messaging/ledger-events.handler';
import { ParkedSettlementSweeper } from './messaging/parked-settlement-sweeper';
import { ledgerInputOfMessage } from './messaging/ledger-input.mapper';
import { BalanceRepository } from './persistence/balance.repository';
import { BookedTradeRepository } from './persistence/booked-trade.repository';
import { JournalRepository } from './persistence/journal.repository';
import { ParkedSettlementRepository } from './persistence/parked-settlement.repository';
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
  ],
  controllers: [LedgerController],
  providers: [
    { provide: JournalRepository, useValue: new JournalRepository() },
    { provide: BookedTradeRepository, useValue: new BookedTradeRepository() },
    { provide: ParkedSettlementRepository, useValue: new ParkedSettlementRepository() },
    { provide: BalanceRepository, useValue: new BalanceRepository() },
    {
      provide: JournalPoster,
      useFactory: (journal: JournalRepository, outbox: Outbox) => new JournalPoster(journal, outbox),
      inject: [JournalRepository, Outbox],
    },
    {
      provide: BookLedgerEventsHandler,
      useFactory: (journal: JournalRepository, trades: BookedTradeRepository, parked: ParkedSettlementRepository, poster: JournalPoster) =>
        new BookLedgerEventsHandler(journal, trades, parked, poster, {
          parkedSettlementHours: readEnv(process.env, (env) => env.integer('LEDGER_PARKED_SETTLEMENT_HOURS', { default: 72, min: 1 })),
          inputOf: ledgerInputOfMessage,
        }),
      inject: [JournalRepository, BookedTradeRepository, ParkedSettlementRepository, JournalPoster],
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
      useFactory: (dataSource: DataSource, balances: BalanceRepository, journal: JournalRepository, parked: ParkedSettlementRepository) =>
        new LedgerQueries(dataSource, balances, journal, parked),
      inject: [DataSource, BalanceRepository, JournalRepository, ParkedSettlementRepository],
    },
    {
      provide: VerifyJournalHandler,
      useFactory: (dataSource: DataSource, journal: JournalRepository) => new VerifyJournalHandler(dataSource, journal),
      inject: [DataSource, JournalRepository],
    },
    {
      provide: ExpireParkedSettlements,
      useFactory: (transactions: TransactionRunner, parked: ParkedSettlementRepository, outbox: Outbox) =>
        new ExpireParkedSettlements(transactions, parked, outbox, CONSUMER, dlqTopicFor('ledger')),
      inject: [TransactionRunner, ParkedSettlementRepository, Outbox],
    },
    ParkedSettlementSweeper,
  ],
})
export class LedgerModule {}
