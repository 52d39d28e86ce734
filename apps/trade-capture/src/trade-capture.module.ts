import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Topics } from '@postrade/contracts';
import { Outbox, MessagingModule, ParkingLot, ParkingModule } from '@postrade/messaging';
import { TransactionRunner, IdempotencyKeyRepository } from '@postrade/persistence';
import { PlatformModule, readEnv } from '@postrade/platform';
import { CalendarsController } from './api/calendars.controller';
import { ParkedActionsController } from './api/parked-actions.controller';
import { CounterpartiesController, InstrumentsController, LegalEntitiesController, SsisController } from './api/reference-data.controller';
import { TradesController } from './api/trades.controller';
import { CaptureTradeHandler } from './application/capture-trade/capture-trade.command-handler';
import { SubmitTradeHandler } from './application/capture-trade/submit-trade.command-handler';
import { ParkedActions } from './application/parked-actions/parked-actions';
import { TradeQueries } from './application/query-trades/trade-queries';
import { tradeCaptureRetentionRules } from './application/retention/trade-capture-retention';
import { ReportTradeHandler } from './application/report-trade/report-trade.command-handler';
import { RejectedTradeMessages, TRADE_CAPTURE_CONSUMER } from './application/report-trade/rejected-trade-messages';
import { TradeAcknowledgements } from './application/report-trade/trade-acknowledgements';
import { ReferenceDataReader } from './application/upsert-reference-data/reference-data.reader';
import { UpsertReferenceDataHandler } from './application/upsert-reference-data/upsert-reference-data.command-handler';
import { TradeReportedHandler } from './messaging/trade-reported.handler';
import { ReferenceDataRepository } from './persistence/reference-data.repository';
import { TradeRepository } from './persistence/trade.repository';
import { tradeCaptureDatabase } from './persistence/trade-capture.database';

/** How long an AMEND/CANCEL waits for its NEW before it is rejected to the DLQ: TRADE_CAPTURE_PARKED_EXPIRY (default 10m, DOMAIN.md). */
const parkedExpiryMs = () => readEnv(process.env, (env) => env.duration('TRADE_CAPTURE_PARKED_EXPIRY', { default: '10m', min: '1s' }));

/** Wiring only: the platform, this service's schema and Kafka connections, and its features. */
@Module({
  imports: [
    PlatformModule.forService({ name: 'trade-capture', port: 3001 }),
    MessagingModule.forService({
      service: 'trade-capture',
      database: tradeCaptureDatabase,
      consumers: [{ consumer: TRADE_CAPTURE_CONSUMER, topics: [Topics.tradesInbound], handlers: [TradeReportedHandler] }],
      retention: tradeCaptureRetentionRules(),
    }),
    // AMEND/CANCEL waiting for their NEW: GET /api/v1/parked (and /api/v1/parked-actions), to the dead letters after TRADE_CAPTURE_PARKED_EXPIRY.
    ParkingModule.forService({ service: 'trade-capture', consumer: TRADE_CAPTURE_CONSUMER }),
  ],
  controllers: [
    InstrumentsController,
    CounterpartiesController,
    LegalEntitiesController,
    SsisController,
    CalendarsController,
    TradesController,
    ParkedActionsController,
  ],
  providers: [
    { provide: ReferenceDataRepository, useValue: new ReferenceDataRepository() },
    { provide: TradeRepository, useValue: new TradeRepository() },
    { provide: IdempotencyKeyRepository, useValue: new IdempotencyKeyRepository() },
    { provide: TradeAcknowledgements, useFactory: (outbox: Outbox) => new TradeAcknowledgements(outbox), inject: [Outbox] },
    { provide: RejectedTradeMessages, useFactory: (outbox: Outbox) => new RejectedTradeMessages(outbox), inject: [Outbox] },
    {
      provide: CaptureTradeHandler,
      useFactory: (
        trades: TradeRepository,
        parking: ParkingLot,
        referenceData: ReferenceDataRepository,
        outbox: Outbox,
        acks: TradeAcknowledgements,
      ) => new CaptureTradeHandler(trades, parking, referenceData, outbox, acks, parkedExpiryMs()),
      inject: [TradeRepository, ParkingLot, ReferenceDataRepository, Outbox, TradeAcknowledgements],
    },
    {
      provide: SubmitTradeHandler,
      useFactory: (tx: TransactionRunner, capture: CaptureTradeHandler, keys: IdempotencyKeyRepository) => new SubmitTradeHandler(tx, capture, keys),
      inject: [TransactionRunner, CaptureTradeHandler, IdempotencyKeyRepository],
    },
    {
      provide: ReportTradeHandler,
      useFactory: (capture: CaptureTradeHandler, acks: TradeAcknowledgements, rejected: RejectedTradeMessages) => new ReportTradeHandler(capture, acks, rejected),
      inject: [CaptureTradeHandler, TradeAcknowledgements, RejectedTradeMessages],
    },
    {
      provide: TradeQueries,
      useFactory: (ds: DataSource, trades: TradeRepository) => new TradeQueries(ds.manager, trades),
      inject: [DataSource, TradeRepository],
    },
    {
      provide: UpsertReferenceDataHandler,
      useFactory: (tx: TransactionRunner, repository: ReferenceDataRepository, trades: TradeRepository, outbox: Outbox) =>
        new UpsertReferenceDataHandler(tx, repository, trades, outbox),
      inject: [TransactionRunner, ReferenceDataRepository, TradeRepository, Outbox],
    },
    {
      provide: ReferenceDataReader,
      useFactory: (ds: DataSource, repository: ReferenceDataRepository) => new ReferenceDataReader(ds.manager, repository),
      inject: [DataSource, ReferenceDataRepository],
    },
    {
      provide: ParkedActions,
      useFactory: (ds: DataSource, parking: ParkingLot, acks: TradeAcknowledgements) => new ParkedActions(ds.manager, parking, acks),
      inject: [DataSource, ParkingLot, TradeAcknowledgements],
    },
    TradeReportedHandler,
  ],
})
export class TradeCaptureModule {}
