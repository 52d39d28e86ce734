import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { text } from 'express';
import { DataSource } from 'typeorm';
import { Topics } from '@postrade/contracts';
import { Outbox, MessagingModule, ParkingLot, ParkingModule } from '@postrade/messaging';
import { TransactionRunner } from '@postrade/persistence';
import { PlatformModule, readEnv } from '@postrade/platform';
import { InstructionsController } from './api/instructions.controller';
import { SettlementDaysController, SettlementReferenceDataController } from './api/settlement-days.controller';
import { CashPenaltyRatesController, FailsController } from './api/penalties.controller';
import { STATUS_MESSAGES_PATH, StatusMessagesController, XML_CONTENT_TYPES } from './api/status-messages.controller';
import { ApplyStatusUpdateHandler } from './application/apply-status-update/apply-status-update.command-handler';
import { CloseSettlementDayHandler } from './application/close-settlement-day/close-settlement-day.command-handler';
import { GateTradesHandler } from './application/gate-trades/gate-trades.command-handler';
import { InstructionEvents } from './application/instruction-resource';
import { CashPenaltyRateChanges } from './application/maintain-cash-penalty-rates/cash-penalty-rate-changes';
import { SettlementReferenceDataHandler } from './application/maintain-reference-data/settlement-reference-data.command-handler';
import { FailsQueries } from './application/query-settlement/fails-queries';
import { SettlementQueries } from './application/query-settlement/settlement-queries';
import { settlementRetentionRules } from './application/retention/settlement-retention';
import type { GatePolicy } from './domain/settlement-gate';
import { ComplianceDecisionHandler, MatchResultHandler, SsiUpsertedHandler, StatusReportedHandler, TradeEventHandler } from './messaging/settlement-input.handlers';
import { CashPenaltyRateRepository } from './persistence/cash-penalty-rate.repository';
import { InstructionRepository } from './persistence/instruction.repository';
import { PenaltyRepository } from './persistence/penalty.repository';
import { ReferenceRepository } from './persistence/reference.repository';
import { settlementDatabase } from './persistence/settlement.database';
import { StatusUpdateRepository } from './persistence/status-update.repository';
import { TradeGateRepository } from './persistence/trade-gate.repository';

const GATE_POLICY = Symbol('GATE_POLICY');

/** `SETTLEMENT_REQUIRE_AFFIRMATION=false` lets a MATCHED trade settle without waiting for AFFIRMED. */
const gatePolicyFromEnv = (): GatePolicy => ({ affirmationRequired: process.env.SETTLEMENT_REQUIRE_AFFIRMATION !== 'false' });

/** How long a custodian update waits for an instruction we do not know before it goes to the dead letters: SETTLEMENT_PARKED_EXPIRY (default 7d). */
const parkedExpiryMs = () => readEnv(process.env, (env) => env.duration('SETTLEMENT_PARKED_EXPIRY', { default: '7d', min: '1s' }));

/** Wiring only: the platform, this service's schema and Kafka connections, and its features. */
@Module({
  imports: [
    PlatformModule.forService({ name: 'settlement', port: 3003 }),
    MessagingModule.forService({
      service: 'settlement',
      database: settlementDatabase,
      consumers: [
        {
          consumer: 'settlement',
          topics: [Topics.tradeCaptureTrades, Topics.matchingResults, Topics.complianceDecisions],
          handlers: [TradeEventHandler, MatchResultHandler, ComplianceDecisionHandler],
        },
        { consumer: 'settlement.status', topics: [Topics.settlementStatusInbound], handlers: [StatusReportedHandler] },
        // SSIs corrected: an instruction the custodian rejected goes out again (issue 17).
        { consumer: 'settlement.reference-data', topics: [Topics.tradeCaptureReferenceData], handlers: [SsiUpsertedHandler] },
      ],
      retention: settlementRetentionRules(),
    }),
    // Custodian updates waiting for their instruction: GET /api/v1/parked, and to the dead letters after SETTLEMENT_PARKED_EXPIRY.
    ParkingModule.forService({ service: 'settlement', consumer: 'settlement.status' }),
  ],
  controllers: [InstructionsController, StatusMessagesController, SettlementDaysController, SettlementReferenceDataController, FailsController, CashPenaltyRatesController],
  providers: [
    { provide: GATE_POLICY, useFactory: gatePolicyFromEnv },
    { provide: TradeGateRepository, useValue: new TradeGateRepository() },
    { provide: InstructionRepository, useValue: new InstructionRepository() },
    { provide: StatusUpdateRepository, useValue: new StatusUpdateRepository() },
    { provide: PenaltyRepository, useValue: new PenaltyRepository() },
    { provide: ReferenceRepository, useValue: new ReferenceRepository() },
    { provide: CashPenaltyRateRepository, useValue: new CashPenaltyRateRepository() },
    {
      provide: CashPenaltyRateChanges,
      useFactory: (tx: TransactionRunner, dataSource: DataSource, rates: CashPenaltyRateRepository) => new CashPenaltyRateChanges(tx, dataSource.manager, rates),
      inject: [TransactionRunner, DataSource, CashPenaltyRateRepository],
    },
    {
      provide: FailsQueries,
      useFactory: (dataSource: DataSource, penalties: PenaltyRepository, reference: ReferenceRepository, rates: CashPenaltyRateRepository) =>
        new FailsQueries(dataSource.manager, penalties, reference, rates),
      inject: [DataSource, PenaltyRepository, ReferenceRepository, CashPenaltyRateRepository],
    },
    {
      provide: InstructionEvents,
      useFactory: (instructions: InstructionRepository, outbox: Outbox) => new InstructionEvents(instructions, outbox),
      inject: [InstructionRepository, Outbox],
    },
    {
      provide: ApplyStatusUpdateHandler,
      useFactory: (tx: TransactionRunner, instructions: InstructionRepository, updates: StatusUpdateRepository, events: InstructionEvents, parking: ParkingLot) =>
        new ApplyStatusUpdateHandler(tx, instructions, updates, events, parking, parkedExpiryMs()),
      inject: [TransactionRunner, InstructionRepository, StatusUpdateRepository, InstructionEvents, ParkingLot],
    },
    {
      provide: GateTradesHandler,
      useFactory: (
        trades: TradeGateRepository,
        instructions: InstructionRepository,
        reference: ReferenceRepository,
        events: InstructionEvents,
        statusUpdates: ApplyStatusUpdateHandler,
        policy: GatePolicy,
      ) => new GateTradesHandler(trades, instructions, reference, events, statusUpdates, policy),
      inject: [TradeGateRepository, InstructionRepository, ReferenceRepository, InstructionEvents, ApplyStatusUpdateHandler, GATE_POLICY],
    },
    {
      provide: CloseSettlementDayHandler,
      useFactory: (tx: TransactionRunner, dataSource: DataSource, penalties: PenaltyRepository, reference: ReferenceRepository, events: InstructionEvents) =>
        new CloseSettlementDayHandler(tx, dataSource.manager, penalties, reference, events),
      inject: [TransactionRunner, DataSource, PenaltyRepository, ReferenceRepository, InstructionEvents],
    },
    {
      provide: SettlementQueries,
      useFactory: (
        dataSource: DataSource,
        instructions: InstructionRepository,
        penalties: PenaltyRepository,
        trades: TradeGateRepository,
        reference: ReferenceRepository,
        policy: GatePolicy,
      ) => new SettlementQueries(dataSource.manager, instructions, penalties, trades, reference, policy),
      inject: [DataSource, InstructionRepository, PenaltyRepository, TradeGateRepository, ReferenceRepository, GATE_POLICY],
    },
    {
      provide: SettlementReferenceDataHandler,
      useFactory: (tx: TransactionRunner, reference: ReferenceRepository) => new SettlementReferenceDataHandler(tx, reference),
      inject: [TransactionRunner, ReferenceRepository],
    },
    TradeEventHandler,
    MatchResultHandler,
    ComplianceDecisionHandler,
    StatusReportedHandler,
    SsiUpsertedHandler,
  ],
})
export class SettlementModule implements NestModule {
  /**
   * The platform parses JSON bodies only. ISO 20022 status messages arrive as XML, so this one
   * route gets a raw text parser for XML content types, with the same size limit as JSON.
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(text({ type: XML_CONTENT_TYPES, limit: process.env.HTTP_BODY_LIMIT ?? '1mb' }))
      .forRoutes({ path: STATUS_MESSAGES_PATH, method: RequestMethod.POST });
  }
}
