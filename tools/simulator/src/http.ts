/** The five services' base URLs: `<SERVICE>_URL`, else 127.0.0.1 on `<SERVICE>_PORT` or the default port (as `npm start`). */
export type ServiceName = 'trade-capture' | 'confirmation-matching' | 'settlement' | 'ledger' | 'compliance';
export const SERVICE_NAMES: readonly ServiceName[] = ['trade-capture', 'confirmation-matching', 'settlement', 'ledger', 'compliance'];
const DEFAULT_PORTS: Record<ServiceName, number> = { 'trade-capture': 3001, 'confirmation-matching': 3002, settlement: 3003, ledger: 3004, compliance: 3005 };

export type ServiceUrls = Record<ServiceName, string>;

export function serviceUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceUrls {
  const urls = {} as ServiceUrls;
  for (const service of SERVICE_NAMES) {
    const prefix = service.toUpperCase().replace(/-/g, '_');
    urls[service] = env[`${prefix}_URL`] ?? `http://127.0.0.1:${env[`${prefix}_PORT`] ?? DEFAULT_PORTS[service]}`;
  }
  return urls;
}

export interface Answer<T = any> {
  status: number;
  body: T;
}

export interface RequestOptions {
  key: string;
  body?: unknown;
  /** Raw text body with its content type (ISO 20022 XML). */
  text?: { contentType: string; value: string };
  headers?: Record<string, string>;
}

/**
 * The platform's REST APIs as the actors use them: JSON with an API key, a 429 waited out as the
 * server asks, a refused connection or 503 retried for a while (a service restarting), anything
 * else handed back with its status for the caller to judge.
 */
export class RestClient {
  requests = 0;
  /** Every 5xx answer met (retried up to three times): reported, as the platform should answer 503 for what is transient. */
  readonly serverErrors: string[] = [];

  constructor(readonly urls: ServiceUrls) {}

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
    const deadline = Date.now() + 120_000;
    let attempt = 0;
    for (;;) {
      attempt++;
      this.requests++;
      try {
        const response = await fetch(`${this.urls[service]}${path}`, { method, headers, body, signal: AbortSignal.timeout(60_000) });
        const text = await response.text();
        if (response.status >= 500 && response.status !== 503 && attempt <= 3 && Date.now() < deadline) {
          // Kept for the report: a 5xx is the platform's fault even when a retry succeeds.
          this.serverErrors.push(`${method} ${service} ${path} answered ${response.status} (attempt ${attempt}, retried): ${text.slice(0, 300)}`);
          await pause(500 * attempt);
          continue;
        }
        if ((response.status === 429 || response.status === 503) && Date.now() < deadline) {
          const retryAfter = Number(response.headers.get('retry-after') ?? '1');
          await pause(Math.min(10_000, Math.max(200, (Number.isFinite(retryAfter) ? retryAfter : 1) * 1000)));
          continue;
        }
        let parsed: unknown = text;
        if (text !== '' && /json/.test(response.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
        return { status: response.status, body: parsed as T };
      } catch (err) {
        if (Date.now() >= deadline) throw new Error(`${method} ${service}${path}: ${String(err)}`);
        await pause(Math.min(5_000, 200 * attempt));
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
