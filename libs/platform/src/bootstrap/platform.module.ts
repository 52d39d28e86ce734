import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { ApiKeyRegistry } from '../auth/api-key-registry';
import { EnvSource } from '../config/env-reader';
import { PlatformConfig, ServiceIdentity } from '../config/platform-config';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { HealthController } from '../health/health.controller';
import { READINESS_CHECKS, ReadinessRegistry } from '../health/readiness';
import { rateLimitingModule } from '../http/rate-limiting';
import { MetricsController } from '../metrics/metrics.controller';
import { TraceExportFlush } from '../tracing/trace-export-flush';
import { createValidationPipe } from '../validation/validation.pipe';

export interface PlatformModuleOptions extends ServiceIdentity {
  /** Where configuration is read from; `process.env` unless a test passes its own. */
  env?: EnvSource;
}

/**
 * Everything a service gets from the platform, as one global module: `PlatformConfig`, the API key
 * guard, rate limiting, the problem+json filter, the validation pipe, `/health/*` and `/metrics`,
 * the `ReadinessRegistry` other modules register their checks with, and the flush of exported spans
 * at shutdown.
 * Import it once, in the service's root module; then run the app through `configureApp`
 * (which `bootstrapService` does).
 */
@Module({})
export class PlatformModule {
  static forService(options: PlatformModuleOptions): DynamicModule {
    const { env = process.env, name, port, httpBodyLimit } = options;
    return {
      module: PlatformModule,
      global: true,
      imports: [rateLimitingModule()],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: PlatformConfig, useFactory: () => PlatformConfig.fromEnv(env, { name, port, httpBodyLimit }) },
        ApiKeyRegistry,
        ReadinessRegistry,
        TraceExportFlush,
        { provide: READINESS_CHECKS, useExisting: ReadinessRegistry },
        // Rate limiting comes first so that floods of unauthenticated calls are limited too.
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [PlatformConfig, ApiKeyRegistry, ReadinessRegistry, READINESS_CHECKS],
    };
  }
}
