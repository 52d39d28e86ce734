import { INestApplication, Type } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { readEnv } from '../config/env-reader';
import { PlatformConfig } from '../config/platform-config';
import { configureLogging, createLogger } from '../logging/logger';
import { PinoNestLogger } from '../logging/nest-logger';
import { configureApp, ConfigureAppOptions } from './configure-app';

export interface BootstrapOptions extends ConfigureAppOptions {
  /** The service's name, as given to `PlatformModule.forService`. */
  name: string;
  /** The service's port, as given to `PlatformModule.forService`; `PORT` overrides it. */
  defaultPort: number;
  /** The service's default body limit, as given to `PlatformModule.forService`; `HTTP_BODY_LIMIT` overrides it. */
  defaultHttpBodyLimit?: string;
}

/**
 * Starts a service: validates its configuration, creates the app with JSON logging, applies
 * `configureApp`, closes gracefully on SIGTERM/SIGINT, listens on `PORT` and logs one line
 * saying where it serves. A start-up failure is logged as one fatal line and exits the process
 * with code 1, as a misconfigured service must not keep running.
 */
export async function bootstrapService(appModule: Type<unknown>, options: BootstrapOptions): Promise<INestApplication> {
  const log = createLogger('bootstrap');
  try {
    // Read before anything else so bad configuration fails first, with a readable message.
    const config = PlatformConfig.fromEnv(process.env, { name: options.name, port: options.defaultPort, httpBodyLimit: options.defaultHttpBodyLimit });
    configureLogging({ service: config.serviceName, level: config.logLevel });
    if (config.devKeysEnabled) log.warn('development API keys are accepted (POSTRADE_DEV_KEYS=1)');

    // No default body parsers: `configureApp` installs the JSON one, and the APIs take nothing else.
    const app = await NestFactory.create<NestExpressApplication>(appModule, { logger: new PinoNestLogger(), bufferLogs: true, bodyParser: false });
    configureApp(app, options);
    app.enableShutdownHooks();
    exitWithinShutdownBudget(log);
    await app.listen(config.port);

    const { port } = app.getHttpServer().address() as AddressInfo;
    const url = `http://localhost:${port}`;
    log.info(
      { url, docs: `${url}/docs`, health: `${url}/health/ready`, metrics: `${url}/metrics` },
      `${config.serviceName} serving at ${url}`,
    );
    return app;
  } catch (error) {
    log.fatal({ err: error }, `${options.name} failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

/**
 * On SIGTERM/SIGINT the app closes gracefully (consumers stop, the outbox flushes, connections
 * close), but a peer that is down (Kafka, Postgres) must not keep the process alive: after
 * `SHUTDOWN_TIMEOUT_MS` (default 10 s) it exits anyway. Nothing committed is lost by that: what is
 * in the outbox is published by the next start, and uncommitted offsets are re-delivered.
 */
function exitWithinShutdownBudget(log: ReturnType<typeof createLogger>): void {
  const budget = readEnv(process.env, (env) => env.integer('SHUTDOWN_TIMEOUT_MS', { default: 10_000, min: 100, max: 600_000 }));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        log.warn({ budgetMs: budget, signal }, 'graceful shutdown did not finish in time; exiting');
        process.exit(1);
      }, budget).unref();
    });
  }
}
