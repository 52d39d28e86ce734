import { Controller, DynamicModule, Get, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { dlqTopicFor, type ServiceName } from '@postrade/contracts';
import { ApiPageResponse, ApiProblems, ListQueryDto, metricsRegistry, paged, PeriodicTask, readEnv, Roles, type Page } from '@postrade/platform';
import { Outbox } from '../outbox/outbox';
import { ParkedInputDto } from './parked-input.responses';
import { ParkingLot, type ParkedInput, type ParkedPosition } from './parking-lot';

export interface ParkingOptions {
  service: ServiceName;
  /** The consumer group a parked message is dead-lettered under when it was parked without one. */
  consumer: string;
  /** `<service>.dlq.v1` unless given (test services). */
  dlqTopic?: string;
}

const OPTIONS = Symbol('PARKING_OPTIONS');

/** A parked input as `GET /api/v1/parked` lists it. */
export interface ParkedInputView {
  id: string;
  kind: string;
  inputKey: string;
  waitingFor: string[];
  reason: string;
  eventId: string | null;
  eventType: string | null;
  topic: string | null;
  /** What re-applying it needs (the parked input itself, e.g. the status update). */
  payload: unknown;
  parkedAt: string;
  expiresAt: string;
  /** Seconds since it was parked. */
  ageSeconds: number;
}

/** The view of a parked input, its age counted at `now`. */
export function parkedInputView(parked: ParkedInput, now: Date = new Date()): ParkedInputView {
  return {
    id: parked.id,
    kind: parked.kind,
    inputKey: parked.inputKey,
    waitingFor: parked.waitingFor,
    reason: parked.reason,
    eventId: parked.eventId,
    eventType: parked.eventType,
    topic: parked.topic,
    payload: parked.payload,
    parkedAt: parked.parkedAt,
    expiresAt: parked.expiresAt,
    ageSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(parked.parkedAt)) / 1000)),
  };
}

/** Whether a decoded cursor is a position of a parked-input list. */
export const isParkedPosition = (v: unknown): v is ParkedPosition =>
  typeof (v as ParkedPosition)?.parkedAt === 'string' &&
  !Number.isNaN(Date.parse((v as ParkedPosition).parkedAt)) &&
  typeof (v as ParkedPosition)?.id === 'string' &&
  /^[0-9a-f-]{36}$/.test((v as ParkedPosition).id);

export class ParkedInputsQuery extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Only inputs of this kind, e.g. `SETTLEMENT`.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/^[A-Za-z0-9_.-]+$/)
  kind?: string;
}

/**
 * Input waiting for its counterpart, oldest first: what it is, what it waits for (key and
 * reason), its age and when it expires to the dead letters. One controller for every service
 * that parks, so that the API is the same everywhere.
 */
@ApiTags('parked')
@ApiBearerAuth()
@Controller('api/v1/parked')
export class ParkedInputsController {
  constructor(
    private readonly lot: ParkingLot,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Inputs waiting for their counterpart, oldest first, with their age and expiry' })
  @ApiPageResponse(ParkedInputDto)
  @ApiProblems(400, 401, 403)
  list(@Query() query: ParkedInputsQuery): Promise<Page<ParkedInputView>> {
    const now = new Date();
    return paged(query, (after, limit) => this.lot.list(this.dataSource.manager, { kind: query.kind, after, limit }), {
      isPosition: isParkedPosition,
      positionOf: (p): ParkedPosition => ({ parkedAt: p.parkedAt, id: p.id }),
      toItem: (p) => parkedInputView(p, now),
    });
  }
}

const parkedGauge = new Gauge({
  name: 'postrade_parked_inputs',
  help: 'Inputs waiting for their counterpart, by kind, at the last expiry sweep',
  labelNames: ['service', 'kind'],
  registers: [metricsRegistry],
});
const oldestGauge = new Gauge({
  name: 'postrade_parked_oldest_age_seconds',
  help: 'Age of the oldest input waiting for its counterpart, by kind, at the last expiry sweep',
  labelNames: ['service', 'kind'],
  registers: [metricsRegistry],
});

/** How often parked inputs past their expiry move to the dead letters: PARKED_SWEEP_INTERVAL (default 1m). */
export function parkedSweepIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  return readEnv(env, (e) => e.duration('PARKED_SWEEP_INTERVAL', { default: '1m', min: '100ms' }));
}

/** Runs the expiry sweep every PARKED_SWEEP_INTERVAL, then publishes the lot's figures as metrics. */
@Injectable()
export class ParkingSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    @Inject(OPTIONS) private readonly options: ParkingOptions,
    private readonly lot: ParkingLot,
    private readonly dataSource: DataSource,
  ) {
    this.task = new PeriodicTask('parked input expiry', parkedSweepIntervalMs(), () => this.sweep());
  }

  /** One pass: expired inputs dead-lettered; returns how many. */
  async sweep(): Promise<number> {
    const expired = await this.lot.expireDue(this.dataSource);
    const now = Date.now();
    parkedGauge.reset();
    oldestGauge.reset();
    for (const s of await this.lot.stats(this.dataSource.manager)) {
      parkedGauge.set({ service: this.options.service, kind: s.kind }, s.count);
      oldestGauge.set({ service: this.options.service, kind: s.kind }, Math.max(0, (now - Date.parse(s.oldestParkedAt)) / 1000));
    }
    return expired;
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }
}

/**
 * The service's parking lot: {@link ParkingLot} for its handlers, the expiry sweep, and
 * `GET /api/v1/parked`. Import it beside `MessagingModule.forService` (whose Outbox it uses); the
 * service's migrations create the table with `createParkedInputsTable`.
 */
@Module({})
export class ParkingModule {
  static forService(options: ParkingOptions): DynamicModule {
    return {
      module: ParkingModule,
      global: true,
      controllers: [ParkedInputsController],
      providers: [
        { provide: OPTIONS, useValue: options },
        {
          provide: ParkingLot,
          useFactory: (outbox: Outbox) => new ParkingLot({ consumer: options.consumer, dlqTopic: options.dlqTopic ?? dlqTopicFor(options.service), outbox }),
          inject: [Outbox],
        },
        ParkingSweeper,
      ],
      exports: [ParkingLot, ParkingSweeper],
    };
  }
}
