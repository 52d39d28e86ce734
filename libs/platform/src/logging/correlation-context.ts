import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The HTTP header that carries a correlation id in and out of every service. */
export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/** Accepted incoming ids: short and printable, so a caller cannot inject into logs. */
const CORRELATION_ID_SHAPE = /^[A-Za-z0-9._:-]{1,128}$/;

const storage = new AsyncLocalStorage<string>();

/**
 * The correlation id of the work in progress (an HTTP request, a consumed message), carried
 * through async calls so every log line and every produced event can name it.
 */
export const correlationContext = {
  /** Runs `fn` with `correlationId` as the current id, for `fn` and everything it awaits. */
  run<T>(correlationId: string, fn: () => T): T {
    return storage.run(correlationId, fn);
  },
};

/** The current correlation id, or `undefined` outside {@link correlationContext.run}. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

/** The caller's correlation id if it is well-formed, else a new UUID. */
export function correlationIdFrom(incoming: string | string[] | undefined): string {
  const candidate = Array.isArray(incoming) ? incoming[0] : incoming;
  return candidate !== undefined && CORRELATION_ID_SHAPE.test(candidate) ? candidate : randomUUID();
}
