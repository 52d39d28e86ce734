import { LoggerService } from '@nestjs/common';
import { Logger } from 'pino';
import { createLogger } from './logger';

/**
 * Nest's start-up chatter (module loaded, route mapped, application started) is useful when
 * debugging wiring and noise otherwise: it goes to debug so `info` stays quiet.
 */
const START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

type PinoLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Adapts Nest's `LoggerService` to pino, so Nest's own log lines are JSON like the rest. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger = createLogger('nest')) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /**
   * Nest calls `log(message, context)` and `error(message, stack, context)`: the last string
   * parameter is the context, and for errors a preceding string is the stack.
   */
  private write(level: PinoLevel, message: unknown, params: unknown[]): void {
    const rest = [...params];
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const effectiveLevel = level === 'info' && context !== undefined && START_UP_CONTEXTS.has(context) ? 'debug' : level;
    const fields: Record<string, unknown> = context === undefined ? {} : { context };
    if (level === 'error' && typeof rest[0] === 'string') fields.stack = rest.shift();
    if (message instanceof Error) {
      this.logger[effectiveLevel]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[effectiveLevel]({ ...fields, ...message });
    } else {
      this.logger[effectiveLevel](fields, String(message));
    }
  }
}
