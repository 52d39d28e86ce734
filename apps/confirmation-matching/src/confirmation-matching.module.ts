import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Topics } from '@postrade/contracts';
import { Outbox, ServiceInfrastructureModule } from '@postrade/messaging';
import { TransactionRunner } from '@postrade/persistence';
import { PlatformModule } from '@postrade/platform';
import { ConfirmationsController } from './api/confirmations.controller';
import { MatchesController } from './api/matches.controller';
import { MatchingProfilesController } from './api/matching-profiles.controller';
import { ApplyTradeVersionsHandler } from './application/apply-trade-events/apply-trade-versions.command-handler';
import { MatchingProfiles } from './application/manage-profiles/matching-profiles';
import { OperateMatchHandler } from './application/operate-match/operate-match.command-handler';
import { MatchQueries } from './application/query-matches/match-queries';
import { ReceiveConfirmationsHandler } from './application/receive-confirmations/receive-confirmations.command-handler';
import { PairingKeyMatcher } from './application/rematch/pairing-key-matcher';
import { MatchingRetention } from './application/retention/matching-retention';
import { RetentionSchedule } from './application/retention/retention-schedule';
import { ConfirmationReceivedHandler } from './messaging/confirmation-received.handler';
import { TradeEventsHandler } from './messaging/trade-events.handler';
import { ConfirmationRepository } from './persistence/confirmation.repository';
import { confirmationMatchingDatabase } from './persistence/confirmation-matching.database';
import { MatchingProfileRepository } from './persistence/matching-profile.repository';
import { PairingLocks } from './persistence/pairing-locks';
import { TradeRepository } from './persistence/trade.repository';

/** MATCHING_RETENTION_DAYS (default 90): how long after their trade date trades and confirmations are kept. */
const retentionDays = () => Number(process.env.MATCHING_RETENTION_DAYS ?? 90);
const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** Wiring only: the platform, this service's schema and Kafka connections, and its features. */
@Module({
  imports: [
    PlatformModule.forService({ name: 'confirmation-matching', port: 3002 }),
    ServiceInfrastructureModule.forService({
      service: 'confirmation-matching',
      database: confirmationMatchingDatabase,
      consumers: [
        { consumer: 'confirmation-matching.trades', topics: [Topics.tradeCaptureTrades], handlers: [TradeEventsHandler] },
        { consumer: 'confirmation-matching.confirmations', topics: [Topics.confirmationsInbound], handlers: [ConfirmationReceivedHandler] },
      ],
    }),
  ],
  controllers: [ConfirmationsController, MatchesController, MatchingProfilesController],
  providers: [
    { provide: TradeRepository, useValue: new TradeRepository() },
    { provide: ConfirmationRepository, useValue: new ConfirmationRepository() },
    { provide: MatchingProfileRepository, useValue: new MatchingProfileRepository() },
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
      useFactory: (tx: TransactionRunner, trades: TradeRepository, confirmations: ConfirmationRepository, matcher: PairingKeyMatcher, queries: MatchQueries) =>
        new OperateMatchHandler(tx, trades, confirmations, matcher, queries),
      inject: [TransactionRunner, TradeRepository, ConfirmationRepository, PairingKeyMatcher, MatchQueries],
    },
    {
      provide: MatchingProfiles,
      useFactory: (tx: TransactionRunner, repository: MatchingProfileRepository, ds: DataSource) => new MatchingProfiles(tx, repository, () => repository.all(ds.manager)),
      inject: [TransactionRunner, MatchingProfileRepository, DataSource],
    },
    {
      provide: RetentionSchedule,
      useFactory: (tx: TransactionRunner, trades: TradeRepository, confirmations: ConfirmationRepository) =>
        new RetentionSchedule(new MatchingRetention(tx, trades, confirmations, retentionDays()), RETENTION_INTERVAL_MS),
      inject: [TransactionRunner, TradeRepository, ConfirmationRepository],
    },
    TradeEventsHandler,
    ConfirmationReceivedHandler,
  ],
})
export class ConfirmationMatchingModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(RetentionSchedule) private readonly retention: RetentionSchedule) {}

  onApplicationBootstrap(): void {
    this.retention.start();
  }

  onApplicationShutdown(): void {
    this.retention.stop();
  }
}
