import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';

/** Something the service needs before it can take traffic (the database, the Kafka producer). */
export interface ReadinessCheck {
  /** Short and stable: it is the key in `/health/ready`'s `checks`. */
  name: string;
  /** Resolves when ready; rejects (with a reason) when not. */
  check(): Promise<void>;
}

export interface ReadinessCheckResult {
  status: 'up' | 'down';
  durationMs: number;
  error?: string;
}

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, ReadinessCheckResult>;
}

/** A check that takes longer than this counts as down, so a hung dependency cannot hang the probe. */
export const READINESS_CHECK_TIMEOUT_MS = 3000;

/**
 * The readiness checks of this process. Other libraries register theirs when their module starts:
 *
 * ```ts
 * constructor(readiness: ReadinessRegistry) {
 *   readiness.register({ name: 'database', check: () => this.dataSource.query('select 1').then(() => undefined) });
 * }
 * ```
 *
 * Once the application starts shutting down the service reports itself not ready, so a load
 * balancer stops sending it traffic while it drains.
 */
@Injectable()
export class ReadinessRegistry implements BeforeApplicationShutdown {
  private readonly checks = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  /** Adds a check; a second check with the same name replaces the first. */
  register(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
  }

  /** The names of the registered checks. */
  names(): string[] {
    return [...this.checks.keys()];
  }

  /** Runs every check concurrently, each with {@link READINESS_CHECK_TIMEOUT_MS}. */
  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all([...this.checks.values()].map(async (check) => [check.name, await runCheck(check)] as const));
    const checks: Record<string, ReadinessCheckResult> = Object.fromEntries(entries);
    if (this.shuttingDown) checks.shutdown = { status: 'down', durationMs: 0, error: 'the service is shutting down' };
    const ready = Object.values(checks).every((result) => result.status === 'up');
    return { status: ready ? 'ok' : 'unavailable', checks };
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}

/**
 * Injection token for the same {@link ReadinessRegistry}, for code that prefers a token:
 * `@Inject(READINESS_CHECKS) readiness: ReadinessRegistry`.
 */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

async function runCheck(check: ReadinessCheck): Promise<ReadinessCheckResult> {
  const startedAt = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${READINESS_CHECK_TIMEOUT_MS} ms`)), READINESS_CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { status: 'up', durationMs: Math.round(performance.now() - startedAt) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'down', durationMs: Math.round(performance.now() - startedAt), error: message };
  } finally {
    clearTimeout(timer);
  }
}
