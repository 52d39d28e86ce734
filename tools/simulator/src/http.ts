import { SERVICE_NAMES, SERVICE_PORTS, type ServiceName } from '@postrade/contracts';

export { SERVICE_NAMES, type ServiceName };

/** The services' base URLs: `<SERVICE>_URL`, else 127.0.0.1 on `<SERVICE>_PORT` or the service's port (as `npm start`). */

export type ServiceUrls = Record<ServiceName, string>;

export function serviceUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceUrls {
  const urls = {} as ServiceUrls;
  for (const service of SERVICE_NAMES) {
    const prefix = service.toUpperCase().replace(/-/g, '_');
    urls[service] = env[`${prefix}_URL`] ?? `http://127.0.0.1:${env[`${prefix}_PORT`] ?? SERVICE_PORTS[service]}`;
  }
  return urls;
}

export interface Answer<T = any> {
  status: number;
  body: T;
  /**
   * An earlier attempt of this call may have reached the service and been applied before its
   * answer was lost (the connection broke, or it answered 5xx): a 409 then may be the call's own
   * effect, which the caller checks.
   */
  uncertain: boolean;
}

export interface RequestOptions {
  key: string;
  body?: unknown;
  /** Raw text body with its content type (ISO 20022 XML). */
  text?: { contentType: string; value: string };
  headers?: Record<string, string>;
}

/** Whether a failed fetch certainly never reached the service (nothing listening: it is away or restarting). */
function refused(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } })?.cause;
  return cause?.code === 'ECONNREFUSED';
}

/**
 * The platform's REST APIs as the actors use them: JSON with an API key, a 429 waited out as the
 * server asks, a service away (connection refused or broken, a restart) or answering 503 retried
 * with backoff until it is back or `deadlineMs` has passed, another 5xx retried three times,
 * anything else handed back with its status for the caller to judge.
 */
export class RestClient {
  requests = 0;
  /** Every 5xx answer met (retried up to three times): reported, as the platform should answer 503 for what is transient. */
  readonly serverErrors: string[] = [];

  constructor(
    readonly urls: ServiceUrls,
    private readonly deadlineMs = 120_000,
  ) {}

  async call<T = any>(service: ServiceName, method: string, path: string, options: RequestOptions): Promise<Answer<T>> {
    const headers: Record<string, string> = { Authorization: `Bearer ${options.key}`, ...options.headers };
    let body: string | undefined;
    if (options.text) {
      headers['Content-Type'] = options.text.contentType;
      body = options.text.value;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const deadline = Date.now() + this.deadlineMs;
    let attempt = 0;
    let serverErrors = 0;
    let uncertain = false;
    for (;;) {
      attempt++;
      this.requests++;
      try {
        const response = await fetch(`${this.urls[service]}${path}`, { method, headers, body, signal: AbortSignal.timeout(60_000) });
        const text = await response.text();
        if (response.status >= 500 && response.status !== 503 && ++serverErrors <= 3 && Date.now() < deadline) {
          // Kept for the report: a 5xx is the platform's fault even when a retry succeeds.
          this.serverErrors.push(`${method} ${service} ${path} answered ${response.status} (attempt ${attempt}, retried): ${text.slice(0, 300)}`);
          uncertain = true;
          await pause(500 * serverErrors);
          continue;
        }
        if ((response.status === 429 || response.status === 503) && Date.now() < deadline) {
          const retryAfter = Number(response.headers.get('retry-after') ?? '1');
          await pause(Math.min(10_000, Math.max(200, (Number.isFinite(retryAfter) ? retryAfter : 1) * 1000)));
          continue;
        }
        let parsed: unknown = text;
        if (text !== '' && /json/.test(response.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
        return { status: response.status, body: parsed as T, uncertain };
      } catch (err) {
        // Refused: nothing is listening (the service is away or restarting). Anything else (reset,
        // socket closed, timeout) may have come after the request reached the service.
        if (!refused(err)) uncertain = true;
        if (Date.now() >= deadline) throw new Error(`${method} ${service}${path}: ${String(err)}${(err as { cause?: unknown }).cause ? ` (${String((err as { cause?: unknown }).cause)})` : ''}`);
        await pause(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)));
      }
    }
  }

  /** A call that must answer with one of `statuses`; anything else is an error naming what came back. */
  async expect<T = any>(statuses: number[], service: ServiceName, method: string, path: string, options: RequestOptions): Promise<T> {
    const answer = await this.call<T>(service, method, path, options);
    if (!statuses.includes(answer.status)) {
      throw new Error(`${method} ${service} ${path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 600)}`);
    }
    return answer.body;
  }

  /**
   * A command that must answer with one of `statuses`, or that a retry found already done: a 409
   * after an attempt whose answer was lost (a service killed mid-request) is accepted when
   * `applied()` finds the command's effect in place. Null then, as there is no answer to hand back.
   */
  async command<T = any>(statuses: number[], service: ServiceName, method: string, path: string, options: RequestOptions, applied: () => Promise<boolean>): Promise<T | null> {
    const answer = await this.call<T>(service, method, path, options);
    if (statuses.includes(answer.status)) return answer.body;
    if (answer.status === 409 && answer.uncertain && (await applied())) return null;
    throw new Error(`${method} ${service} ${path} answered ${answer.status}${answer.uncertain ? ' (after a retry)' : ''}: ${JSON.stringify(answer.body).slice(0, 600)}`);
  }

  /** Every item of a paginated list. */
  async all<T = any>(service: ServiceName, path: string, key: string, limit = 500): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page: { items: T[]; nextCursor: string | null } = await this.expect([200], service, 'GET', `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `work` over the items, at most `concurrency` at a time. */
export async function inPool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Polls `probe` until `done` holds or the deadline passes; returns whether it held. */
export async function pollUntil(probe: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() >= deadline) return false;
    await pause(intervalMs);
  }
}
