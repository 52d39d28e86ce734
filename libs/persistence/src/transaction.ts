import type { DataSource, EntityManager } from 'typeorm';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

/**
 * The one way to open a transaction: the callback gets the EntityManager that both the business
 * change and the outbox/inbox writes go through, so they commit or roll back together.
 * Serialization failures and deadlocks are retried a few times; everything else propagates.
 */
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (em: EntityManager) => Promise<T>, isolation: IsolationLevel = 'READ COMMITTED'): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(isolation, work);
      } catch (err) {
        const code = (err as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (err as { code?: string }).code;
        if (!code || !RETRYABLE.has(code) || attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 10 * 2 ** attempt + Math.floor(Math.random() * 10)));
      }
    }
  }
}
