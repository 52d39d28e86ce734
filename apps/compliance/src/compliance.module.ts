import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Topics } from '@postrade/contracts';
import { MessagingModule, Outbox } from '@postrade/messaging';
import { AuditQueries, AuditTrail, AuditTrailRepository, TransactionRunner, IdempotencyKeyRepository } from '@postrade/persistence';
import { AUDIT_TRAIL_READER, AuditController, PlatformModule, type AuditTrailReader } from '@postrade/platform';
import { DecisionsController, HoldsController } from './api/holds.controller';
import { ExposureLimitsController, RestrictedListController, SanctionsListsController } from './api/lists.controller';
import { COMPLIANCE_CONFIG, complianceConfigFromEnv, complianceRetentionRules, type ComplianceConfig } from './application/compliance-config';
import { ComplianceLists } from './application/lists/compliance-lists';
import { DecisionQueries } from './application/query-decisions/decision-queries';
import { RecordSettlement } from './application/record-settlement/record-settlement';
import { RecordReferenceData } from './application/reference-data/record-reference-data';
import { ReleaseRequests } from './application/release-holds/release-requests';
import { LoadSanctionsListHandler } from './application/sanctions/load-sanctions-list.command-handler';
import { CounterpartyRescreening } from './application/sanctions/rescreen-counterparty';
import { SanctionsScreening } from './application/sanctions/sanctions-screening';
import { ScreenTradeHandler } from './application/screen-trade/screen-trade.command-handler';
import { ReferenceDataEventsHandler } from './messaging/reference-data-events.handler';
import { SettlementEventsHandler } from './messaging/settlement-events.handler';
import { TradeEventsHandler } from './messaging/trade-events.handler';
import { complianceDatabase } from './persistence/compliance.database';
import { DecisionRepository } from './persistence/decision.repository';
import { ListRepository } from './persistence/list.repository';
import { ReferenceDataRepository } from './persistence/reference-data.repository';
import { ReleaseRequestRepository } from './persistence/release-request.repository';
import { SanctionsRepository } from './persistence/sanctions.repository';
import { ScreenedTradeRepository } from './persistence/screened-trade.repository';

const repositories = [
  AuditTrailRepository,
  DecisionRepository,
  IdempotencyKeyRepository,
  ListRepository,
  ReferenceDataRepository,
  ReleaseRequestRepository,
  SanctionsRepository,
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
        { consumer: 'compliance.trades', topics: [Topics.tradeCaptureTrades], handlers: [TradeEventsHandler] },
        { consumer: 'compliance.settlement', topics: [Topics.settlementEvents], handlers: [SettlementEventsHandler] },
      ],
    }),
  ],
  controllers: [RestrictedListController, ExposureLimitsController, SanctionsListsController, DecisionsController, HoldsController, AuditController],
  providers: [
    ...repositories,
    { provide: COMPLIANCE_CONFIG, useFactory: () => complianceConfigFromEnv() },
    { provide: AuditTrail, useFactory: (records: AuditTrailRepository) => new AuditTrail(records), inject: [AuditTrailRepository] },
    {
      provide: SanctionsScreening,
      useFactory: (sanctions: SanctionsRepository, config: ComplianceConfig) => new SanctionsScreening(sanctions, config.sanctionsThreshold),
      inject: [SanctionsRepository, COMPLIANCE_CONFIG],
    },
    {
      provide: CounterpartyRescreening,
      useFactory: (screening: SanctionsScreening, sanctions: SanctionsRepository, trades: ScreenedTradeRepository, decisions: DecisionRepository, outbox: Outbox) =>
        new CounterpartyRescreening(screening, sanctions, trades, decisions, outbox),
      inject: [SanctionsScreening, SanctionsRepository, ScreenedTradeRepository, DecisionRepository, Outbox],
    },
    { provide: RecordSettlement, useFactory: (trades: ScreenedTradeRepository) => new RecordSettlement(trades), inject: [ScreenedTradeRepository] },
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
      ) => new LoadSanctionsListHandler(tx, sanctions, referenceData, screening, rescreening, audit),
      inject: [TransactionRunner, SanctionsRepository, ReferenceDataRepository, SanctionsScreening, CounterpartyRescreening, AuditTrail],
    },
    {
      provide: ComplianceLists,
      useFactory: (tx: TransactionRunner, lists: ListRepository, audit: AuditTrail) => new ComplianceLists(tx, lists, audit),
      inject: [TransactionRunner, ListRepository, AuditTrail],
    },
    {
      provide: ReleaseRequests,
      useFactory: (tx: TransactionRunner, decisions: DecisionRepository, requests: ReleaseRequestRepository, outbox: Outbox, audit: AuditTrail, keys: IdempotencyKeyRepository) =>
        new ReleaseRequests(tx, decisions, requests, outbox, audit, keys),
      inject: [TransactionRunner, DecisionRepository, ReleaseRequestRepository, Outbox, AuditTrail, IdempotencyKeyRepository],
    },
    {
      provide: DecisionQueries,
      useFactory: (db: DataSource, decisions: DecisionRepository, trades: ScreenedTradeRepository) => new DecisionQueries(db, decisions, trades),
      inject: [DataSource, DecisionRepository, ScreenedTradeRepository],
    },
    { provide: AuditQueries, useFactory: (db: DataSource, records: AuditTrailRepository) => new AuditQueries(db, records), inject: [DataSource, AuditTrailRepository] },
    // Typed, so that the compiler checks AuditQueries against the reader the shared controller expects.
    { provide: AUDIT_TRAIL_READER, useFactory: (queries: AuditQueries): AuditTrailReader => queries, inject: [AuditQueries] },
    TradeEventsHandler,
    ReferenceDataEventsHandler,
    SettlementEventsHandler,
  ],
})
export class ComplianceModule {}
