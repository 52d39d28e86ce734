import pino, { DestinationStream, Logger } from 'pino';
import { activeSpanContext } from '../tracing/tracing';
import { currentCorrelationId } from './correlation-context';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

export type { Logger } from 'pino';

/** Process-wide logging settings; `configureLogging` changes them for loggers already created too. */
interface LoggingSettings {
  service: string;
  level: LogLevel;
  destination: DestinationStream;
}

const settings: LoggingSettings = {
  service: process.env.SERVICE_NAME ?? 'postrade',
  // Tools and tests log before any service config is read; they honour LOG_LEVEL too.
  level: (LOG_LEVELS as readonly string[]).includes(process.env.LOG_LEVEL ?? '') ? (process.env.LOG_LEVEL as LogLevel) : 'info',
  destination: process.stdout,
};

/**
 * One pino root per process. It writes through `settings.destination` and adds `service`, the
 * correlation id and the active span's `traceId` and `spanId` to every line at write time, so
 * loggers created at import time (before the service has read its configuration) still log
 * correctly.
 */
const rootLogger = pino(
  {
    level: settings.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const fields: { service: string; correlationId?: string; traceId?: string; spanId?: string } = { service: settings.service };
      const correlationId = currentCorrelationId();
      if (correlationId !== undefined) fields.correlationId = correlationId;
      const span = activeSpanContext();
      if (span !== undefined) {
        fields.traceId = span.traceId;
        fields.spanId = span.spanId;
      }
      return fields;
    },
  },
  { write: (line: string) => settings.destination.write(line) },
);

const namedLoggers = new Set<Logger>([rootLogger]);

/**
 * Sets the service name, level and (for tests) destination of every logger in the process.
 * `bootstrapService` and `configureApp` call it from the service's `PlatformConfig`.
 */
export function configureLogging(changes: Partial<LoggingSettings>): void {
  Object.assign(settings, changes);
  if (changes.level !== undefined) namedLoggers.forEach((logger) => (logger.level = settings.level));
}

/**
 * A JSON logger for code outside HTTP handling (consumers, relays, jobs): each line carries
 * `service`, `logger: name` and, inside `correlationContext.run`, the correlation id.
 */
export function createLogger(name: string): Logger {
  const logger = rootLogger.child({ logger: name });
  logger.level = settings.level;
  namedLoggers.add(logger);
  return logger;
}
