import { Module } from '@nestjs/common';
import { Topics } from '@postrade/contracts';
import { Outbox, MessagingModule } from '@postrade/messaging';
import { TransactionRunner } from '@postrade/persistence';
import { PlatformModule } from '@postrade/platform';
import { CalendarsController } from './api/calendars.controller';
import { CounterpartiesController, InstrumentsController, LegalEntitiesController, SsisController } from './api/reference-data.controller';
import { TradesController } from './api/trades.controller';
import { CaptureTradeHandler } from './application/capture-trade/capture-trade.command-handler';
import { SubmitTradeHandler } from './application/capture-trade/submit-trade.command-handler';
import { TradeQueries } from './application/query-trades/trade-queries';
import { ReferenceDataReader } from './application/upsert-reference-data/reference-data.reader';
import { UpsertReferenceDataHandler } from './application/upsert-reference-data/upsert-reference-data.command-handler';
import { TradeReportedHandler } from './messaging/trade-reported.handler';
import { IdempotencyKeyRepository } from './persistence/idempotency-key.repository';
import { ReferenceDataRepository } from './persistence/reference-data.repository';
import { TradeRepository } from './persistence/trade.repository';
import { tradeCaptureDatabase } from './persistence/trade-capture.database';

/** Wiring only: the platform, this service's schema and Kafka connections, and its features. */
@Module({
  imports: [
    PlatformModule.forService({ name: 'trade-capture', port: 3001 }),
    MessagingModule.forService({
      service: 'trade-capture',
      database: tradeCaptureDatabase,
      consumers: [{ consumer: 'trade-capture', topics: [Topics.tradesInbound], handlers: [TradeReportedHandler] }],
    }),
  ],
  controllers: [InstrumentsController, CounterpartiesController, LegalEntitiesController, SsisController, CalendarsController, TradesController],
  providers: [
    { provide: ReferenceDataRepository, useValue: new ReferenceDataRepository() },
    { provide: TradeRepository, useValue: new TradeRepository() },
    { provide: IdempotencyKeyRepository, useValue: new IdempotencyKeyRepository() },
    {
      provide: CaptureTradeHandler,
      useFactory: (trades: TradeRepository, referenceData: ReferenceDataRepository, outbox: Outbox) => new CaptureTradeHandler(trades, referenceData, outbox),
      inject: [TradeRepository, ReferenceDataRepository, Outbox],
    },
    {
      provide: SubmitTradeHandler,
      useFactory: (tx: TransactionRunner, capture: CaptureTradeHandler, trades: TradeRepository, keys: IdempotencyKeyRepository) =>
        new SubmitTradeHandler(tx, capture, trades, keys),
      inject: [TransactionRunner, CaptureTradeHandler, TradeRepository, IdempotencyKeyRepository],
    },
    {
      provide: TradeQueries,
      useFactory: (tx: TransactionRunner, trades: TradeRepository) => new TradeQueries(tx, trades),
      inject: [TransactionRunner, TradeRepository],
    },
    {
      provide: UpsertReferenceDataHandler,
      useFactory: (tx: TransactionRunner, repository: ReferenceDataRepository, outbox: Outbox) => new UpsertReferenceDataHandler(tx, repository, outbox),
      inject: [TransactionRunner, ReferenceDataRepository, Outbox],
    },
    {
      provide: ReferenceDataReader,
      useFactory: (tx: TransactionRunner, repository: ReferenceDataRepository) => new ReferenceDataReader(tx, repository),
      inject: [TransactionRunner, ReferenceDataRepository],
    },
    TradeReportedHandler,
  ],
})
export class TradeCaptureModule {}
