import {
  Controller,
  DynamicModule,
  Get,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  type Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiBearerAuth, ApiTags, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import { dlqTopicFor, type ServiceName } from '@postrade/contracts';
import { isTransientDatabaseError, onCommit, serviceDatabaseUrl, ServiceDatabaseModule, type ServiceDatabase } from '@postrade/persistence';
import { createLogger, ListQueryDto, PeriodicTask, readEnv, ReadinessRegistry, Roles, decodeCursor, pageOf, treatAsUnavailable, API_KEY_SECURITY_SCHEME, ApiPageResponse, ApiProblems, type Page } from '@postrade/platform';
import { kafkaConnectionFromEnv, type KafkaConnection } from '../kafka/kafka-client';
import { BrokerAdminSession } from '../kafka/broker-admin';
import { KafkajsEventPublisher } from '../kafka/event-publisher';
import { Outbox, transactionWroteOutbox } from '../outbox/outbox';
import { OutboxRelay, outboxRelayConfigFromEnv } from '../outbox/outbox-relay';
import { ConsumerRunner, consumerConfigFromEnv } from '../consumer/consumer-runner';
import { registerMessagingStateProbe, type MessagingStateSample } from '../messaging-metrics';
import { parkedSweepIntervalMs } from '../parking/parking.module';
import { withTimeout } from '../timeouts';

// A request that meets the database away (pool timeout, connection refused, server restarting) is
// answered 503 with Retry-After, not 500: the client should wait it out, as the consumers do.
treatAsUnavailable(isTransientDatabaseError);
import { messagingRetentionRules, retentionSweepInterval, sweepRetention, type RetentionRule } from '../retention/retention';
import type { EventHandler } from '../consumer/consumed-event';
import { DeadLetterStore, type DeadLetter } from '../dead-letters/dead-letter-store';
import { replayDeadLetter } from '../dead-letters/dead-letter-replay';
import { DeadLetterDto } from './dead-letter.responses';

/** A consumer group of the service: the topics it reads and the handler providers that apply them. */
export interface ConsumerDefinition {
  /** Group id and inbox name, e.g. `settlement` or `settlement.status`. */
  consumer: string;
  topics: string[];
  handlers: Type<EventHandler>[];
  /** Types to skip on purpose that the contract does not put on these topics; any other unhandled type is dead-lettered. */
  ignoredEventTypes?: string[];
  /**
   * Partitions applied at once (default `CONSUMER_CONCURRENT_PARTITIONS`). One for a consumer whose
   * every batch must take the same lock whatever its partition: the batches then queue in Kafka
   * and grow, instead of waiting for each other in Postgres.
   */
  concurrentPartitions?: number;
}

/**
 * Every environment variable the messaging library reads, checked at once when the module is
 * built, so a service with a bad value (a zero batch size or retention, a malformed duration) stops
 * at start with one message naming each, instead of failing later or running with a surprise.
 */
export function validateMessagingEnv(source: NodeJS.ProcessEnv = process.env): void {
  outboxRelayConfigFromEnv(source);
  consumerConfigFromEnv(source);
  messagingRetentionRules(source);
  retentionSweepInterval(source);
  parkedSweepIntervalMs(source);
  shutdownBudgetMs(source);
  // The database settings libs/persistence reads when it opens sessions and pools.
  readEnv(source, (env) => {
    env.integer('DATABASE_POOL_SIZE', { default: 10, min: 1, max: 1_000 });
    env.integer('DATABASE_CONNECT_TIMEOUT_MS', { default: 5_000, min: 1 });
    env.integer('DATABASE_STATEMENT_TIMEOUT_MS', { default: 30_000, min: 1 });
    env.integer('DATABASE_LOCK_TIMEOUT_MS', { default: 10_000, min: 1 });
    env.integer('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', { default: 60_000, min: 1 });
    const cost = env.raw('DATABASE_RANDOM_PAGE_COST');
    if (cost !== undefined && !(/^\d+(\.\d+)?$/.test(cost) && Number(cost) > 0)) env.problem('DATABASE_RANDOM_PAGE_COST', `must be a positive number, not ${JSON.stringify(cost)}`);
  });
}

/** `SHUTDOWN_TIMEOUT_MS`: the whole shutdown's budget. */
export function shutdownBudgetMs(source: NodeJS.ProcessEnv = process.env): number {
  return readEnv(source, (env) => env.integer('SHUTDOWN_TIMEOUT_MS', { default: 10_000, min: 100, max: 600_000 }));
}

export interface MessagingOptions {
  service: ServiceName;
  database: ServiceDatabase;
  consumers?: ConsumerDefinition[];
  /** Dead-letter topic; `<service>.dlq.v1` unless given (test services). */
  dlqTopic?: string;
  /**
   * The service's own tables that only grow (idempotency keys, closed items…), beside the messaging
   * ones: swept with them by the one periodic retention sweep, every `RETENTION_SWEEP_INTERVAL`.
   */
  retention?: RetentionRule[];
}

const OPTIONS = Symbol('MESSAGING_OPTIONS');
export const KAFKA_CONNECTION = Symbol('KAFKA_CONNECTION');
const log = createLogger('messaging');

/**
 * The service's Kafka side, started and stopped in order: the outbox relay, then the consumers, and
 * the retention sweep; on shutdown the reverse (consumers stop taking work, the relay publishes
 * what is committed, within `SHUTDOWN_TIMEOUT_MS` in all, even with Kafka or Postgres down).
 * Readiness reports the database, the broker, the relay and every consumer partition that is
 * waiting out a fault.
 */
@Injectable()
export class MessagingRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly relay: OutboxRelay;
  private readonly runners: ConsumerRunner[] = [];
  private readonly unsubscribe: () => void;
  private retentionSweep?: PeriodicTask;
  private readonly retentionRules: RetentionRule[];
  private readonly admin: BrokerAdminSession;
  private readonly unregisterProbe: () => void;

  constructor(
    @Inject(OPTIONS) private readonly options: MessagingOptions,
    @Inject(KAFKA_CONNECTION) private readonly kafka: KafkaConnection,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly moduleRef: ModuleRef,
    readiness: ReadinessRegistry,
  ) {
    validateMessagingEnv(); // first: a bad value stops the start with one message naming each
    this.retentionRules = [...messagingRetentionRules(), ...(options.retention ?? [])];
    this.admin = new BrokerAdminSession(kafka);
    this.unregisterProbe = registerMessagingStateProbe(options.database.schema, () => sampleMessagingState(dataSource));
    this.relay = new OutboxRelay(new KafkajsEventPublisher(kafka), {
      databaseUrl: serviceDatabaseUrl(options.database),
      schema: options.database.schema,
    });
    this.unsubscribe = onCommit(dataSource, (em) => {
      if (transactionWroteOutbox(em)) this.relay.wake();
    });
    readiness.register({ name: 'database', check: async () => void (await dataSource.query('select 1')) });
    readiness.register({
      name: 'kafka',
      // One admin connection kept open (BrokerAdminSession), not a new client per probe.
      check: async () => {
        await this.admin.ping().catch((err: unknown) => {
          throw new Error(`no answer from ${kafka.brokers.join(',')}: ${err instanceof Error ? err.message : String(err)}`);
        });
      },
    });
    readiness.register({
      name: 'outbox-relay',
      check: async () => {
        const health = this.relay.health();
        if (!health.ok) throw new Error(`cannot publish since ${health.since}: ${health.error}`);
      },
    });
    readiness.register({
      name: 'outbox-parked',
      check: async () => {
        const [row]: { parked: number; first: string | null; reason: string | null }[] = await dataSource.query(
          `select count(*)::int as parked, min(position)::text as first, (array_agg(parked_reason order by position))[1] as reason
             from outbox where parked_at is not null`,
        );
        if (row.parked > 0) throw new Error(`${row.parked} outbox row(s) parked, the first at position ${row.first}: ${row.reason}`);
      },
    });
    readiness.register({
      name: 'consumers',
      check: async () => {
        const problems = this.runners.flatMap((r) => {
          const h = r.health();
          return [
            ...(h.crashed ? [`${r.consumer}: ${h.crashed}`] : []),
            ...h.waiting.map((w) => `${r.consumer} ${w.topic}/${w.partition} waiting since ${w.since}: ${w.error}`),
          ];
        });
        if (problems.length) throw new Error(problems.join('; '));
      },
    });
  }

  get processors() {
    return this.runners.map((r) => r.processor);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
    for (const definition of this.options.consumers ?? []) {
      const handlers = definition.handlers.map((h) => this.moduleRef.get(h, { strict: false }));
      this.runners.push(
        new ConsumerRunner(this.kafka, this.dataSource, {
          consumer: definition.consumer,
          dlqTopic: this.options.dlqTopic ?? dlqTopicFor(this.options.service),
          topics: definition.topics,
          handlers,
          outbox: this.outbox,
          ignoredEventTypes: definition.ignoredEventTypes,
          concurrentPartitions: definition.concurrentPartitions,
          highWatermarks: (topic) => this.admin.highWatermarks(topic),
        }),
      );
    }
    await Promise.all(this.runners.map((r) => r.start()));
    this.scheduleRetention();
    log.info(
      { service: this.options.service, kafka: this.kafka.brokers, schema: this.options.database.schema, consumers: this.runners.length },
      'connected to Kafka and Postgres',
    );
  }

  private scheduleRetention(): void {
    this.retentionSweep = new PeriodicTask('retention sweep', retentionSweepInterval(), () => this.sweepRetention());
    this.retentionSweep.start();
  }

  /**
   * One pass of the service's retention: the messaging tables' rules and the service's own, each
   * chunked. Run every `RETENTION_SWEEP_INTERVAL`; `now` is for tests that look past a horizon.
   */
  sweepRetention(now: Date = new Date()): Promise<Record<string, number>> {
    return sweepRetention(this.dataSource, this.retentionRules, now);
  }

  async onApplicationShutdown(): Promise<void> {
    const budget = shutdownBudgetMs();
    await this.retentionSweep?.stop();
    this.unsubscribe();
    this.unregisterProbe();
    await withTimeout(this.admin.close(), budget * 0.1);
    await Promise.all(this.runners.map((r) => r.stop(budget * 0.4)));
    await this.relay.stop(budget * 0.4);
    if (this.dataSource.isInitialized) await withTimeout(this.dataSource.destroy(), budget * 0.1);
    log.info({ service: this.options.service }, 'consumers stopped, outbox flushed, database closed');
  }
}

/** The service's messaging state in one round trip, for the gauges sampled at scrape (see messaging-metrics). */
async function sampleMessagingState(dataSource: DataSource): Promise<MessagingStateSample> {
  if (!dataSource.isInitialized) throw new Error('database not initialised');
  const [row]: { backlog: number; oldest_age: number | null; parked: number; pending: Record<string, number> }[] = await dataSource.query(
    `select (select count(*)::int from outbox where sent_at is null and parked_at is null) as backlog,
            (select extract(epoch from now() - created_at)::float8 from outbox where sent_at is null and parked_at is null order by position limit 1) as oldest_age,
            (select count(*)::int from outbox where parked_at is not null) as parked,
            (select coalesce(jsonb_object_agg(consumer, n), '{}'::jsonb) from (select consumer, count(*)::int as n from dead_letters where status = 'PENDING' group by consumer) d) as pending`,
  );
  return { backlog: row.backlog, oldestUnsentAgeSeconds: Math.max(0, row.oldest_age ?? 0), parked: row.parked, deadLettersPending: row.pending };
}

class DeadLetterQuery extends ListQueryDto {
  @IsOptional()
  @IsIn(['PENDING', 'REPLAYED'])
  status?: 'PENDING' | 'REPLAYED';
}

/** Operations view of what this service dead-lettered, and replay once the cause is fixed. */
@ApiTags('dead letters')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/dead-letters')
export class DeadLettersController {
  private readonly store: DeadLetterStore;

  constructor(
    dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
  ) {
    this.store = new DeadLetterStore(dataSource);
  }

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Messages this service dead-lettered, filtered by status' })
  @ApiPageResponse(DeadLetterDto)
  @ApiProblems(400, 401, 403)
  async list(@Query() query: DeadLetterQuery): Promise<Page<DeadLetter>> {
    const after = query.cursor
      ? decodeCursor<{ createdAt: string; id: string }>(query.cursor, (v): v is { createdAt: string; id: string } =>
          typeof (v as { id?: unknown })?.id === 'string' && typeof (v as { createdAt?: unknown })?.createdAt === 'string',
        )
      : undefined;
    const rows = await this.store.list({ status: query.status, limit: query.limit + 1, after });
    return pageOf(rows, query.limit, { positionOf: (letter) => ({ createdAt: letter.createdAt, id: letter.id }) });
  }

  @Get(':id')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'One dead letter' })
  @ApiOkResponse({ type: DeadLetterDto })
  @ApiProblems(400, 401, 403, 404)
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<DeadLetter> {
    const letter = await this.store.get(id);
    if (!letter) throw DomainError.notFound('Dead letter', id);
    return letter;
  }

  @Post(':id/replay')
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Replay a dead letter once its cause is fixed' })
  @ApiCreatedResponse({ type: DeadLetterDto })
  @ApiProblems(400, 401, 403, 404, 422)
  replay(@Param('id', new ParseUUIDPipe()) id: string): Promise<DeadLetter> {
    return replayDeadLetter(this.store, this.messaging.processors, id);
  }
}

/**
 * The service's messaging: its schema (through ServiceDatabaseModule), the Outbox, the relay, the
 * consumers, the retention sweep and the dead-letter endpoints. Import once in the root module.
 */
@Module({})
export class MessagingModule {
  static forService(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [ServiceDatabaseModule.forService(options.database)],
      controllers: [DeadLettersController],
      providers: [
        { provide: OPTIONS, useValue: options },
        { provide: KAFKA_CONNECTION, useFactory: () => kafkaConnectionFromEnv(options.service) },
        { provide: Outbox, useValue: new Outbox(options.service, options.database.schema) },
        MessagingRuntime,
      ],
      exports: [Outbox, MessagingRuntime, KAFKA_CONNECTION],
    };
  }
}
