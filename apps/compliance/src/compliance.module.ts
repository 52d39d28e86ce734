import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Topics } from '@postrade/contracts';
import { anchoredAuditTrailProviders, MessagingModule, Outbox, ParkingLot, ParkingModule } from '@postrade/messaging';
import { AuditQueries, AuditTrail, AuditTrailRepository, TransactionRunner, IdempotencyKeyRepository } from '@postrade/persistence';
import { AuditController, PlatformModule } from '@postrade/platform';
import { AlertWorkController, DecisionsController, HoldsController } from './api/holds.controller';
import { ControlChangesController, ExposureLimitsController, LargeTraderThresholdsController, RestrictedListController, SanctionsListsController } from './api/lists.controller';
import { SanctionsFalsePositivesController, SanctionsListLoadsController } from './api/sanctions-reviews.controller';
import { COMPLIANCE_CONFIG, complianceConfigFromEnv, complianceRetentionRules, type ComplianceConfig } from './application/compliance-config';
import { AlertWork } from './application/alerts/alert-work';
import { ComplianceLists } from './application/lists/compliance-lists';
import { DecisionQueries } from './application/query-decisions/decision-queries';
import { RecordSettlement } from './application/record-settlement/record-settlement';
import { RecordReferenceData } from './application/reference-data/record-reference-data';
import { ReleaseRequests } from './application/release-holds/release-requests';
import { SanctionsFalsePositives } from './application/sanctions/false-positives';
import { LoadSanctionsListHandler } from './application/sanctions/load-sanctions-list.command-handler';
import { CounterpartyRescreening } from './application/sanctions/rescreen-counterparty';
import { SanctionsScreening } from './application/sanctions/sanctions-screening';
import { ScreenTradeHandler } from './application/screen-trade/screen-trade.command-handler';
import { ReferenceDataEventsHandler } from './messaging/reference-data-events.handler';
import { SettlementEventsHandler } from './messaging/settlement-events.handler';
import { TradeEventsHandler } from './messaging/trade-events.handler';
import { complianceDatabase } from './persistence/compliance.database';
import { ControlChangeRepository } from './persistence/control-change.repository';
import { DecisionRepository } from './persistence/decision.repository';
import { ListRepository } from './persistence/list.repository';
import { ReferenceDataRepository } from './persistence/reference-data.repository';
import { ReleaseRequestRepository } from './persistence/release-request.repository';
import { SanctionsRepository } from './persistence/sanctions.repository';
import { SanctionsReviewRepository } from './persistence/sanctions-review.repository';
import { ScreenedTradeRepository } from './persistence/screened-trade.repository';

const repositories = [
  AuditTrailRepository,
  ControlChangeRepository,
  DecisionRepository,
  IdempotencyKeyRepository,
  ListRepository,
  ReferenceDataRepository,
  ReleaseRequestRepository,
  SanctionsRepository,
  SanctionsReviewRepository,
  ScreenedTradeRepository,
].map((type) => ({ provide: type, useValue: new type() }));

/** Wiring only: the platform, this service's schema and Kafka connections, and its features. */
@Module({
  imports: [
    PlatformModule.forService({ name: 'compliance', port: 3005 }),
    MessagingModule.forService({
      service: 'compliance',
      database: complianceDatabase,
      retention: complianceRetentionRules(complianceConfigFromEnv()),
      consumers: [
        { consumer: 'compliance.reference-data', topics: [Topics.tradeCaptureReferenceData], handlers: [ReferenceDataEventsHandler] },
        // Every batch locks its book-days for the large-trader check (SEC 13h-1: only the trade that
        // crosses a threshold alerts, so a book-day's trades need one order), and a bank's trades fall
        // on a handful of books: batches of different partitions would wait for each other there.
        { consumer: 'compliance.trades', topics: [Topics.tradeCaptureTrades], handlers: [TradeEventsHandler], concurrentPartitions: 1 },
        { consumer: 'compliance.settlement', topics: [Topics.settlementEvents], handlers: [SettlementEventsHandler] },
      ],
    }),
    // Settlements waiting for trades not screened yet: GET /api/v1/parked, and to the dead letters after COMPLIANCE_PARKED_EXPIRY.
    ParkingModule.forService({ service: 'compliance', consumer: 'compliance.settlement' }),
  ],
  controllers: [RestrictedListController, ExposureLimitsController, LargeTraderThresholdsController, ControlChangesController, AlertWorkController, SanctionsListsController, SanctionsListLoadsController, SanctionsFalsePositivesController, DecisionsController, HoldsController, AuditController],
  providers: [
    ...repositories,
    { provide: COMPLIANCE_CONFIG, useFactory: () => complianceConfigFromEnv() },
    { provide: AuditTrail, useFactory: (records: AuditTrailRepository) => new AuditTrail(records), inject: [AuditTrailRepository] },
    {
      provide: SanctionsScreening,
      useFactory: (sanctions: SanctionsRepository, config: ComplianceConfig, reviews: SanctionsReviewRepository) => new SanctionsScreening(sanctions, config.sanctionsThreshold, reviews),
      inject: [SanctionsRepository, COMPLIANCE_CONFIG, SanctionsReviewRepository],
    },
    {
      provide: CounterpartyRescreening,
      useFactory: (
        screening: SanctionsScreening,
        sanctions: SanctionsRepository,
        trades: ScreenedTradeRepository,
        decisions: DecisionRepository,
        outbox: Outbox,
        requests: ReleaseRequestRepository,
      ) => new CounterpartyRescreening(screening, sanctions, trades, decisions, outbox, requests),
      inject: [SanctionsScreening, SanctionsRepository, ScreenedTradeRepository, DecisionRepository, Outbox, ReleaseRequestRepository],
    },
    {
      provide: RecordSettlement,
      useFactory: (trades: ScreenedTradeRepository, parking: ParkingLot, config: ComplianceConfig) => new RecordSettlement(trades, parking, config.parkedExpiryMs),
      inject: [ScreenedTradeRepository, ParkingLot, COMPLIANCE_CONFIG],
    },
    {
      provide: ScreenTradeHandler,
      useFactory: (
        trades: ScreenedTradeRepository,
        referenceData: ReferenceDataRepository,
        lists: ListRepository,
        decisions: DecisionRepository,
        requests: ReleaseRequestRepository,
        sanctions: SanctionsRepository,
        screening: SanctionsScreening,
        outbox: Outbox,
        audit: AuditTrail,
        settlements: RecordSettlement,
      ) => new ScreenTradeHandler(trades, referenceData, lists, decisions, requests, sanctions, screening, outbox, audit, settlements),
      inject: [
        ScreenedTradeRepository,
        ReferenceDataRepository,
        ListRepository,
        DecisionRepository,
        ReleaseRequestRepository,
        SanctionsRepository,
        SanctionsScreening,
        Outbox,
        AuditTrail,
        RecordSettlement,
      ],
    },
    {
      provide: RecordReferenceData,
      useFactory: (referenceData: ReferenceDataRepository, rescreening: CounterpartyRescreening, audit: AuditTrail) => new RecordReferenceData(referenceData, rescreening, audit),
      inject: [ReferenceDataRepository, CounterpartyRescreening, AuditTrail],
    },
    {
      provide: LoadSanctionsListHandler,
      useFactory: (
        tx: TransactionRunner,
        sanctions: SanctionsRepository,
        referenceData: ReferenceDataRepository,
        screening: SanctionsScreening,
        rescreening: CounterpartyRescreening,
        audit: AuditTrail,
        reviews: SanctionsReviewRepository,
        config: ComplianceConfig,
      ) => new LoadSanctionsListHandler(tx, sanctions, referenceData, screening, rescreening, audit, undefined, reviews, config.listRemovalApprovalShare),
      inject: [TransactionRunner, SanctionsRepository, ReferenceDataRepository, SanctionsScreening, CounterpartyRescreening, AuditTrail, SanctionsReviewRepository, COMPLIANCE_CONFIG],
    },
    {
      provide: SanctionsFalsePositives,
      useFactory: (
        tx: TransactionRunner,
        reviews: SanctionsReviewRepository,
        sanctions: SanctionsRepository,
        referenceData: ReferenceDataRepository,
        screening: SanctionsScreening,
        audit: AuditTrail,
      ) => new SanctionsFalsePositives(tx, reviews, sanctions, referenceData, screening, audit),
      inject: [TransactionRunner, SanctionsReviewRepository, SanctionsRepository, ReferenceDataRepository, SanctionsScreening, AuditTrail],
    },
    {
      provide: ComplianceLists,
      useFactory: (tx: TransactionRunner, lists: ListRepository, changes: ControlChangeRepository, audit: AuditTrail) => new ComplianceLists(tx, lists, changes, audit),
      inject: [TransactionRunner, ListRepository, ControlChangeRepository, AuditTrail],
    },
    {
      provide: ReleaseRequests,
      useFactory: (
        tx: TransactionRunner,
        decisions: DecisionRepository,
        requests: ReleaseRequestRepository,
        outbox: Outbox,
        audit: AuditTrail,
        keys: IdempotencyKeyRepository,
        trades: ScreenedTradeRepository,
      ) => new ReleaseRequests(tx, decisions, requests, outbox, audit, keys, trades),
      inject: [TransactionRunner, DecisionRepository, ReleaseRequestRepository, Outbox, AuditTrail, IdempotencyKeyRepository, ScreenedTradeRepository],
    },
    {
      provide: AlertWork,
      useFactory: (tx: TransactionRunner, decisions: DecisionRepository, audit: AuditTrail) => new AlertWork(tx, decisions, audit),
      inject: [TransactionRunner, DecisionRepository, AuditTrail],
    },
    {
      provide: DecisionQueries,
      useFactory: (db: DataSource, decisions: DecisionRepository, trades: ScreenedTradeRepository) => new DecisionQueries(db, decisions, trades),
      inject: [DataSource, DecisionRepository, ScreenedTradeRepository],
    },
    { provide: AuditQueries, useFactory: (db: DataSource, records: AuditTrailRepository) => new AuditQueries(db, records), inject: [DataSource, AuditTrailRepository] },
    // AUDIT_TRAIL_READER: the trail, anchored to audit.anchors.v1 (docs/anchors.md).
    ...anchoredAuditTrailProviders('compliance', complianceDatabase.schema),
    TradeEventsHandler,
    ReferenceDataEventsHandler,
    SettlementEventsHandler,
  ],
})
export class ComplianceModule {}
