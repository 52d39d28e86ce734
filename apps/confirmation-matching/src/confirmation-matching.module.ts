import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Topics } from '@postrade/contracts';
import { MessagingModule, Outbox } from '@postrade/messaging';
import { AuditQueries, AuditTrail, AuditTrailRepository, TransactionRunner, IdempotencyKeyRepository } from '@postrade/persistence';
import { AUDIT_TRAIL_READER, AuditController, PlatformModule } from '@postrade/platform';
import { ConfirmationsController } from './api/confirmations.controller';
import { MatchesController } from './api/matches.controller';
import { MatchingProfileChangesController, MatchingProfilesController } from './api/matching-profiles.controller';
import { ApplyTradeVersionsHandler } from './application/apply-trade-events/apply-trade-versions.command-handler';
import { MatchingProfiles } from './application/manage-profiles/matching-profiles';
import { ProfileChangeSchedule } from './application/manage-profiles/profile-change-schedule';
import { OperateMatchHandler } from './application/operate-match/operate-match.command-handler';
import { MatchQueries } from './application/query-matches/match-queries';
import { CounterpartyActionsHandler } from './application/counterparty-actions/counterparty-actions.command-handler';
import { ReceiveConfirmationsHandler } from './application/receive-confirmations/receive-confirmations.command-handler';
import { SubmitConfirmationHandler } from './application/submit-confirmation/submit-confirmation.command-handler';
import { PairingKeyMatcher } from './application/rematch/pairing-key-matcher';
import { matchingRetentionRules } from './application/retention/matching-retention';
import { ConfirmationReceivedHandler } from './messaging/confirmation-received.handler';
import { TradeEventsHandler } from './messaging/trade-events.handler';
import { ConfirmationRepository } from './persistence/confirmation.repository';
import { confirmationMatchingDatabase } from './persistence/confirmation-matching.database';
import { MatchingProfileRepository } from './persistence/matching-profile.repository';
import { PairingLocks } from './persistence/pairing-locks';
import { ProfileChangeRepository } from './persistence/profile-change.repository';
import { TradeRepository } from './persistence/trade.repository';

/** Wiring only: the platform, this service's schema and Kafka connections, and its features. */
@Module({
  imports: [
    PlatformModule.forService({ name: 'confirmation-matching', port: 3002 }),
    MessagingModule.forService({
      service: 'confirmation-matching',
      database: confirmationMatchingDatabase,
      consumers: [
        { consumer: 'confirmation-matching.trades', topics: [Topics.tradeCaptureTrades], handlers: [TradeEventsHandler] },
        { consumer: 'confirmation-matching.confirmations', topics: [Topics.confirmationsInbound], handlers: [ConfirmationReceivedHandler] },
      ],
      retention: matchingRetentionRules(),
    }),
  ],
  controllers: [ConfirmationsController, MatchesController, MatchingProfilesController, MatchingProfileChangesController, AuditController],
  providers: [
    { provide: TradeRepository, useValue: new TradeRepository() },
    { provide: ConfirmationRepository, useValue: new ConfirmationRepository() },
    { provide: MatchingProfileRepository, useValue: new MatchingProfileRepository() },
    { provide: IdempotencyKeyRepository, useValue: new IdempotencyKeyRepository() },
    { provide: ProfileChangeRepository, useValue: new ProfileChangeRepository() },
    { provide: AuditTrailRepository, useValue: new AuditTrailRepository() },
    { provide: AuditTrail, useFactory: (records: AuditTrailRepository) => new AuditTrail(records), inject: [AuditTrailRepository] },
    { provide: AuditQueries, useFactory: (db: DataSource, records: AuditTrailRepository) => new AuditQueries(db, records), inject: [DataSource, AuditTrailRepository] },
    { provide: AUDIT_TRAIL_READER, useExisting: AuditQueries },
    {
      provide: PairingKeyMatcher,
      useFactory: (trades: TradeRepository, confirmations: ConfirmationRepository, profiles: MatchingProfileRepository, outbox: Outbox) =>
        new PairingKeyMatcher(trades, confirmations, profiles, new PairingLocks(), outbox),
      inject: [TradeRepository, ConfirmationRepository, MatchingProfileRepository, Outbox],
    },
    {
      provide: ReceiveConfirmationsHandler,
      useFactory: (confirmations: ConfirmationRepository, matcher: PairingKeyMatcher) => new ReceiveConfirmationsHandler(confirmations, matcher),
      inject: [ConfirmationRepository, PairingKeyMatcher],
    },
    {
      provide: SubmitConfirmationHandler,
      useFactory: (tx: TransactionRunner, receive: ReceiveConfirmationsHandler, keys: IdempotencyKeyRepository) => new SubmitConfirmationHandler(tx, receive, keys),
      inject: [TransactionRunner, ReceiveConfirmationsHandler, IdempotencyKeyRepository],
    },
    {
      provide: ApplyTradeVersionsHandler,
      useFactory: (trades: TradeRepository, matcher: PairingKeyMatcher) => new ApplyTradeVersionsHandler(trades, matcher),
      inject: [TradeRepository, PairingKeyMatcher],
    },
    {
      provide: MatchQueries,
      useFactory: (ds: DataSource, trades: TradeRepository, confirmations: ConfirmationRepository) => new MatchQueries(ds.manager, trades, confirmations),
      inject: [DataSource, TradeRepository, ConfirmationRepository],
    },
    {
      provide: OperateMatchHandler,
      useFactory: (
        tx: TransactionRunner,
        trades: TradeRepository,
        confirmations: ConfirmationRepository,
        matcher: PairingKeyMatcher,
        queries: MatchQueries,
        profiles: MatchingProfileRepository,
      ) => new OperateMatchHandler(tx, trades, confirmations, matcher, queries, profiles),
      inject: [TransactionRunner, TradeRepository, ConfirmationRepository, PairingKeyMatcher, MatchQueries, MatchingProfileRepository],
    },
    {
      provide: CounterpartyActionsHandler,
      useFactory: (tx: TransactionRunner, trades: TradeRepository, confirmations: ConfirmationRepository, matcher: PairingKeyMatcher, queries: MatchQueries) =>
        new CounterpartyActionsHandler(tx, trades, confirmations, matcher, queries),
      inject: [TransactionRunner, TradeRepository, ConfirmationRepository, PairingKeyMatcher, MatchQueries],
    },
    {
      provide: MatchingProfiles,
      useFactory: (tx: TransactionRunner, repository: MatchingProfileRepository, changes: ProfileChangeRepository, audit: AuditTrail, matcher: PairingKeyMatcher) =>
        new MatchingProfiles(tx, repository, changes, audit, matcher),
      inject: [TransactionRunner, MatchingProfileRepository, ProfileChangeRepository, AuditTrail, PairingKeyMatcher],
    },
    { provide: ProfileChangeSchedule, useFactory: (profiles: MatchingProfiles) => new ProfileChangeSchedule(profiles), inject: [MatchingProfiles] },
    TradeEventsHandler,
    ConfirmationReceivedHandler,
  ],
})
export class ConfirmationMatchingModule {}
