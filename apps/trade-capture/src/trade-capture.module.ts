import { Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Topics } from '@postrade/contracts';
import { Outbox, MessagingModule } from '@postrade/messaging';
import { TransactionRunner, IdempotencyKeyRepository } from '@postrade/persistence';
import { PlatformModule } from '@postrade/platform';
import { CalendarsController } from './api/calendars.controller';
import { ParkedActionsController } from './api/parked-actions.controller';
import { CounterpartiesController, InstrumentsController, LegalEntitiesController, SsisController } from './api/reference-data.controller';
import { TradesController } from './api/trades.controller';
import { CaptureTradeHandler } from './application/capture-trade/capture-trade.command-handler';
import { SubmitTradeHandler } from './application/capture-trade/submit-trade.command-handler';
import { housekeepingSettingsFromEnv, TradeCaptureHousekeeping, type HousekeepingSettings } from './application/housekeeping/trade-capture-housekeeping';
import { ParkedActions } from './application/parked-actions/parked-actions';
import { TradeQueries } from './application/query-trades/trade-queries';
import { ReportTradeHandler } from './application/report-trade/report-trade.command-handler';
import { RejectedTradeMessages, TRADE_CAPTURE_CONSUMER } from './application/report-trade/rejected-trade-messages';
import { TradeAcknowledgements } from './application/report-trade/trade-acknowledgements';
import { ReferenceDataReader } from './application/upsert-reference-data/reference-data.reader';
import { UpsertReferenceDataHandler } from './application/upsert-reference-data/upsert-reference-data.command-handler';
import { TradeReportedHandler } from './messaging/trade-reported.handler';
import { ParkedActionRepository } from './persistence/parked-action.repository';
import { ReferenceDataRepository } from './persistence/reference-data.repository';
import { TradeRepository } from './persistence/trade.repository';
import { tradeCaptureDatabase } from './persistence/trade-capture.database';

const HOUSEKEEPING_SETTINGS = Symbol('HousekeepingSettings');

/** Wiring only: the platform, this service's schema and Kafka connections, and its features. */
@Module({
  imports: [
    PlatformModule.forService({ name: 'trade-capture', port: 3001 }),
    MessagingModule.forService({
      service: 'trade-capture',
      database: tradeCaptureDatabase,
      consumers: [{ consumer: TRADE_CAPTURE_CONSUMER, topics: [Topics.tradesInbound], handlers: [TradeReportedHandler] }],
    }),
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
    { provide: HOUSEKEEPING_SETTINGS, useFactory: () => housekeepingSettingsFromEnv(process.env) },
    { provide: ReferenceDataRepository, useValue: new ReferenceDataRepository() },
    { provide: TradeRepository, useValue: new TradeRepository() },
    { provide: ParkedActionRepository, useValue: new ParkedActionRepository() },
    { provide: IdempotencyKeyRepository, useValue: new IdempotencyKeyRepository() },
    { provide: TradeAcknowledgements, useFactory: (outbox: Outbox) => new TradeAcknowledgements(outbox), inject: [Outbox] },
    { provide: RejectedTradeMessages, useFactory: (outbox: Outbox) => new RejectedTradeMessages(outbox), inject: [Outbox] },
    {
      provide: CaptureTradeHandler,
      useFactory: (
        trades: TradeRepository,
        parked: ParkedActionRepository,
        referenceData: ReferenceDataRepository,
        outbox: Outbox,
        acks: TradeAcknowledgements,
        rejected: RejectedTradeMessages,
        settings: HousekeepingSettings,
      ) => new CaptureTradeHandler(trades, parked, referenceData, outbox, acks, rejected, settings.parkedActionTimeoutMs),
      inject: [TradeRepository, ParkedActionRepository, ReferenceDataRepository, Outbox, TradeAcknowledgements, RejectedTradeMessages, HOUSEKEEPING_SETTINGS],
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
      useFactory: (
        ds: DataSource,
        tx: TransactionRunner,
        repository: ParkedActionRepository,
        outbox: Outbox,
        acks: TradeAcknowledgements,
        rejected: RejectedTradeMessages,
      ) => new ParkedActions(ds.manager, tx, repository, outbox, acks, rejected),
      inject: [DataSource, TransactionRunner, ParkedActionRepository, Outbox, TradeAcknowledgements, RejectedTradeMessages],
    },
    {
      provide: TradeCaptureHousekeeping,
      useFactory: (settings: HousekeepingSettings, tx: TransactionRunner, parked: ParkedActions, keys: IdempotencyKeyRepository) =>
        new TradeCaptureHousekeeping(settings, tx, parked, keys),
      inject: [HOUSEKEEPING_SETTINGS, TransactionRunner, ParkedActions, IdempotencyKeyRepository],
    },
    TradeReportedHandler,
  ],
})
export class TradeCaptureModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(TradeCaptureHousekeeping) private readonly housekeeping: TradeCaptureHousekeeping) {}

  onApplicationBootstrap(): void {
    this.housekeeping.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.housekeeping.stop();
  }
}
