import type { TransactionRunner, IdempotencyKeyRepository } from '@postrade/persistence';
import { PeriodicTask, readEnv, type EnvSource } from '@postrade/platform';
import { DEFAULT_PARKED_ACTION_TIMEOUT_MS } from '../capture-trade/capture-trade.command-handler';
import type { ParkedActions } from '../parked-actions/parked-actions';

/** Timeouts and retention horizons of trade-capture's own tables. */
export interface HousekeepingSettings {
  /** How long a parked action waits for its NEW (default 10 minutes). */
  parkedActionTimeoutMs: number;
  /** How long an Idempotency-Key is remembered (default 7 days). */
  idempotencyKeyRetentionMs: number;
  /** How often the job runs (default 5 s). */
  intervalMs: number;
}

export function housekeepingSettingsFromEnv(source: EnvSource): HousekeepingSettings {
  return readEnv(source, (env) => ({
    parkedActionTimeoutMs: env.integer('TRADE_CAPTURE_PARKED_ACTION_TIMEOUT_MS', { default: DEFAULT_PARKED_ACTION_TIMEOUT_MS, min: 1 }),
    idempotencyKeyRetentionMs: env.integer('TRADE_CAPTURE_IDEMPOTENCY_KEY_RETENTION_MS', { default: 7 * 24 * 60 * 60 * 1000, min: 1 }),
    intervalMs: env.integer('TRADE_CAPTURE_HOUSEKEEPING_INTERVAL_MS', { default: 5000, min: 10 }),
  }));
}

/**
 * The scheduled jobs of trade-capture's tables: expire parked actions (to the DLQ, acknowledged
 * REJECTED) and delete Idempotency-Keys older than their retention. Trades and their version
 * history are kept: they are the books and their audit trail.
 */
export class TradeCaptureHousekeeping {
  private readonly task: PeriodicTask;

  constructor(
    private readonly settings: HousekeepingSettings,
    private readonly transactions: TransactionRunner,
    private readonly parkedActions: ParkedActions,
    private readonly idempotencyKeys: IdempotencyKeyRepository,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.task = new PeriodicTask('trade-capture housekeeping', settings.intervalMs, () => this.runOnce());
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One pass: expired parked actions rejected, old idempotency keys deleted. */
  async runOnce(): Promise<{ expiredParkedActions: number; deletedIdempotencyKeys: number }> {
    const expiredParkedActions = await this.parkedActions.expireDue();
    const horizon = new Date(this.now().getTime() - this.settings.idempotencyKeyRetentionMs);
    const deletedIdempotencyKeys = await this.transactions.run((em) => this.idempotencyKeys.deleteClaimedBefore(em, horizon));
    return { expiredParkedActions, deletedIdempotencyKeys };
  }
}
