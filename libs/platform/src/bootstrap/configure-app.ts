import { INestApplication } from '@nestjs/common';
import { PlatformConfig } from '../config/platform-config';
import { useLimitedBodyParsers, type NonJsonBodyRoute } from '../http/body-parsing';
import { useSecurityHeaders } from '../http/security-headers';
import { correlationIdMiddleware } from '../logging/correlation-id.middleware';
import { configureLogging } from '../logging/logger';
import { PinoNestLogger } from '../logging/nest-logger';
import { httpMetricsMiddleware } from '../metrics/http-metrics.middleware';
import { useOpenApiDocs } from '../openapi/openapi';
import { httpTracingMiddleware } from '../tracing/http-tracing.middleware';
import { configureTracing } from '../tracing/tracing';

export interface ConfigureAppOptions {
  /** Version in the OpenAPI document; `1.0.0` unless given. */
  apiVersion?: string;
  /** Description in the OpenAPI document. */
  description?: string;
  /**
   * Routes that take a body other than JSON (e.g. ISO 20022 XML), let past the JSON-only gate for
   * exactly these media types; the service parses that body itself, on that route only.
   */
  nonJsonBodyRoutes?: NonJsonBodyRoute[];
}

/**
 * Applies the platform's HTTP set-up to an app whose root module imports
 * `PlatformModule.forService`: JSON logging, correlation ids, trace context (and span export when
 * configured), request metrics, security headers, the body size limit and the OpenAPI docs. Call it
 * before `app.init()` / `app.listen()`; integration tests call it on `createNestApplication()` to
 * get the same behaviour as production.
 */
export function configureApp(app: INestApplication, options: ConfigureAppOptions = {}): INestApplication {
  const config = platformConfigOf(app);
  configureLogging({ service: config.serviceName, level: config.logLevel });
  app.useLogger(new PinoNestLogger());
  void configureTracing({ serviceName: config.serviceName, tracesUrl: config.tracesUrl });

  // Order matters: correlation, the request's span and metrics wrap everything, including body-parser failures.
  app.use(correlationIdMiddleware());
  app.use(httpTracingMiddleware());
  app.use(httpMetricsMiddleware());
  useSecurityHeaders(app);
  useLimitedBodyParsers(app, { bytes: config.httpBodyLimitBytes, asWritten: config.httpBodyLimit }, options.nonJsonBodyRoutes);
  useOpenApiDocs(app, { serviceName: config.serviceName, version: options.apiVersion ?? '1.0.0', description: options.description });
  return app;
}

function platformConfigOf(app: INestApplication): PlatformConfig {
  try {
    return app.get(PlatformConfig, { strict: false });
  } catch {
    throw new Error('configureApp: the root module must import PlatformModule.forService({ name, port }).');
  }
}
