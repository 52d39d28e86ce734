/**
 * A tiny service used by this library's tests: one controller exercising the decorators, a DTO
 * with a nested object, and the platform set up exactly as `bootstrapService` sets it up.
 */
import { Body, Controller, Get, INestApplication, Injectable, OnModuleInit, Param, Post, Query } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DomainError, DomainErrorKind } from '@postrade/kernel';
import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsNumberString, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { AnyAuthenticated, CurrentPrincipal, Public, Roles } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { configureApp, type ConfigureAppOptions } from '../bootstrap/configure-app';
import { PlatformModule } from '../bootstrap/platform.module';
import { EnvSource } from '../config/env-reader';
import { ReadinessCheck, ReadinessRegistry } from '../health/readiness';
import { currentCorrelationId } from '../logging/correlation-context';
import { createLogger } from '../logging/logger';
import { ListQueryDto } from '../pagination/list-query.dto';
import { decodeCursor, encodeCursor, Page } from '../pagination/page';

export const COUNTERPARTY_LEI = '5493001KJTIIGC8Y1R12';

export class CounterpartyRefDto {
  @IsString()
  @Length(20, 20)
  lei!: string;
}

export class SubmitTradeDto {
  @IsString()
  @IsNotEmpty()
  sourceTradeId!: string;

  @IsNumberString()
  quantity!: string;

  // @ValidateNested alone lets a missing object through; @IsDefined makes it required.
  @IsDefined()
  @ValidateNested()
  @Type(() => CounterpartyRefDto)
  counterparty!: CounterpartyRefDto;

  @IsOptional()
  @IsString()
  note?: string;
}

const DOMAIN_ERRORS: Record<DomainErrorKind, () => DomainError> = {
  invalid: () => DomainError.invalid('settlementDate', 'is not a settlement business day'),
  'not-found': () => DomainError.notFound('Trade', 'T-404'),
  conflict: () => DomainError.conflict('version 2 is stale', 'stale-version'),
  unprocessable: () => DomainError.unprocessable('would settle more than instructed'),
  forbidden: () => DomainError.forbidden('the requester may not approve their own request'),
};

@Controller('api/v1')
export class SampleController {
  /** No policy: the default read rule. */
  @Get('trades')
  listTrades(@Query() query: ListQueryDto): Page<{ position: unknown }> & { limit: number } {
    const position = query.cursor === undefined ? null : decodeCursor(query.cursor);
    return { items: [{ position }], nextCursor: encodeCursor({ after: 'T-1' }), limit: query.limit };
  }

  @Post('trades')
  @Roles('upstream', 'ops')
  submitTrade(@Body() trade: SubmitTradeDto, @CurrentPrincipal() by: Principal): { trade: SubmitTradeDto; by: Principal } {
    return { trade, by };
  }

  /** No policy: the default write rule. */
  @Post('trades/:tradeId/cancel')
  cancelTrade(@Param('tradeId') tradeId: string): { tradeId: string } {
    return { tradeId };
  }

  @Get('me')
  @AnyAuthenticated()
  whoAmI(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('ping')
  @Public()
  ping(): { pong: true } {
    return { pong: true };
  }

  /** Reports the correlation id the handler sees, after the body was parsed and a tick awaited. */
  @Post('correlation')
  @Public()
  async correlation(@Body() _body: CounterpartyRefDto): Promise<{ correlationId: string | undefined }> {
    await new Promise((resolve) => setImmediate(resolve));
    createLogger('sample').info('handling correlation request');
    return { correlationId: currentCorrelationId() };
  }

  @Get('domain-errors/:kind')
  @Public()
  domainError(@Param('kind') kind: DomainErrorKind): never {
    throw DOMAIN_ERRORS[kind]();
  }

  @Get('bug')
  @Public()
  bug(): never {
    throw new Error('connection to postgres://admin:hunter2@db failed');
  }
}

/** The checks the next sample app starts with; each test sets its own. */
export const sampleReadinessChecks: ReadinessCheck[] = [];

@Injectable()
class SampleReadinessChecks implements OnModuleInit {
  constructor(private readonly readiness: ReadinessRegistry) {}

  onModuleInit(): void {
    sampleReadinessChecks.forEach((check) => this.readiness.register(check));
  }
}

/** Development keys on and logs off unless `env` says otherwise. */
export async function createSampleApp(env: EnvSource = {}, options: ConfigureAppOptions = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [PlatformModule.forService({ name: 'sample', port: 0, env: { POSTRADE_DEV_KEYS: '1', LOG_LEVEL: 'silent', ...env } })],
    controllers: [SampleController],
    providers: [SampleReadinessChecks],
  }).compile();
  const app = moduleRef.createNestApplication();
  configureApp(app, options);
  await app.init();
  return app;
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
