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
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import { dlqTopicFor, type ServiceName } from '@postrade/contracts';
import { createServiceDataSource, serviceDatabaseUrl, TransactionRunner, type ServiceDatabase } from '@postrade/persistence';
import { createLogger, ListQueryDto, ReadinessRegistry, Roles, decodeCursor, pageOf, type Page } from '@postrade/platform';
import { kafkaConnectionFromEnv, type KafkaConnection } from '../kafka/kafka-client';
import { brokerAnswers } from '../kafka/topic-admin';
import { KafkajsEventPublisher } from '../kafka/event-publisher';
import { Outbox } from '../outbox/outbox';
import { OutboxRelay } from '../outbox/outbox-relay';
import { ConsumerRunner } from '../consumer/consumer-runner';
import type { EventHandler } from '../consumer/consumed-event';
import { DeadLetterStore, type DeadLetter } from '../dead-letters/dead-letter-store';
import { replayDeadLetter } from '../dead-letters/dead-letter-replay';

/** A consumer group of the service: the topics it reads and the handler providers that apply them. */
export interface ConsumerDefinition {
  /** Group id and inbox name, e.g. `settlement` or `settlement.status`. */
  consumer: string;
  topics: string[];
  handlers: Type<EventHandler>[];
}

export interface ServiceInfrastructureOptions {
  service: ServiceName;
  database: ServiceDatabase;
  consumers?: ConsumerDefinition[];
}

const OPTIONS = Symbol('SERVICE_INFRASTRUCTURE_OPTIONS');
export const KAFKA_CONNECTION = Symbol('KAFKA_CONNECTION');
const log = createLogger('service-infrastructure');

/**
 * Starts and stops the service's connections in order: database first, then the outbox relay,
 * then the consumers; on shutdown the reverse (consumers stop taking work, the relay flushes what
 * is committed, the database closes last).
 */
@Injectable()
export class ServiceInfrastructure implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly relay: OutboxRelay;
  private readonly runners: ConsumerRunner[] = [];

  constructor(
    @Inject(OPTIONS) private readonly options: ServiceInfrastructureOptions,
    @Inject(KAFKA_CONNECTION) private readonly kafka: KafkaConnection,
    private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
    readiness: ReadinessRegistry,
  ) {
    this.relay = new OutboxRelay(new KafkajsEventPublisher(kafka), {
      databaseUrl: serviceDatabaseUrl(options.database),
      schema: options.database.schema,
    });
    readiness.register({ name: 'database', check: async () => void (await dataSource.query('select 1')) });
    readiness.register({
      name: 'kafka',
      check: async () => {
        if (!(await brokerAnswers(kafka))) throw new Error(`no answer from ${kafka.brokers.join(',')}`);
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
      const runner = new ConsumerRunner(this.kafka, this.dataSource, new KafkajsEventPublisher(this.kafka), {
        consumer: definition.consumer,
        dlqTopic: dlqTopicFor(this.options.service),
        topics: definition.topics,
        handlers,
      });
      this.runners.push(runner);
    }
    await Promise.all(this.runners.map((r) => r.start()));
    log.info(
      { service: this.options.service, kafka: this.kafka.brokers, schema: this.options.database.schema, consumers: this.runners.length },
      'connected to Kafka and Postgres',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
    await this.relay.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    log.info({ service: this.options.service }, 'consumers stopped, outbox flushed, database closed');
  }
}

class DeadLetterQuery extends ListQueryDto {
  @IsOptional()
  @IsIn(['PENDING', 'REPLAYED'])
  status?: 'PENDING' | 'REPLAYED';
}

/** Operations view of what this service dead-lettered, and replay once the cause is fixed. */
@ApiTags('dead letters')
@ApiBearerAuth()
@Controller('api/v1/dead-letters')
export class DeadLettersController {
  private readonly store: DeadLetterStore;

  constructor(
    dataSource: DataSource,
    private readonly infrastructure: ServiceInfrastructure,
  ) {
    this.store = new DeadLetterStore(dataSource);
  }

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
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
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<DeadLetter> {
    const letter = await this.store.get(id);
    if (!letter) throw DomainError.notFound('Dead letter', id);
    return letter;
  }

  @Post(':id/replay')
  @Roles('ops', 'supervisor')
  replay(@Param('id', new ParseUUIDPipe()) id: string): Promise<DeadLetter> {
    return replayDeadLetter(this.store, this.infrastructure.processors, id);
  }
}

/**
 * The service's Postgres schema and Kafka wiring: DataSource, TransactionRunner, Outbox, the
 * relay, the consumers and the dead-letter endpoints. Import once in the service's root module.
 */
@Module({})
export class ServiceInfrastructureModule {
  static forService(options: ServiceInfrastructureOptions): DynamicModule {
    return {
      module: ServiceInfrastructureModule,
      global: true,
      controllers: [DeadLettersController],
      providers: [
        { provide: OPTIONS, useValue: options },
        { provide: KAFKA_CONNECTION, useFactory: () => kafkaConnectionFromEnv(options.service) },
        {
          provide: DataSource,
          useFactory: async () => {
            const dataSource = createServiceDataSource(options.database, { url: serviceDatabaseUrl(options.database) });
            await dataSource.initialize();
            return dataSource;
          },
        },
        { provide: TransactionRunner, useFactory: (ds: DataSource) => new TransactionRunner(ds), inject: [DataSource] },
        { provide: Outbox, useValue: new Outbox(options.service, options.database.schema) },
        ServiceInfrastructure,
      ],
      exports: [DataSource, TransactionRunner, Outbox, ServiceInfrastructure, KAFKA_CONNECTION],
    };
  }
}
