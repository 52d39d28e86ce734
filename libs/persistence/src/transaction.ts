import type { DataSource, EntityManager } from 'typeorm';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/** Called after a transaction of the data source commits, with the EntityManager it used. */
export type CommitListener = (em: EntityManager) => void;

const commitListeners = new WeakMap<DataSource, Set<CommitListener>>();

/**
 * Registers a listener for every commit made through a TransactionRunner on `dataSource` (the
 * outbox relay uses it to publish as soon as an event is committed, without a database-wide
 * NOTIFY). Returns the function that unregisters it.
 */
export function onCommit(dataSource: DataSource, listener: CommitListener): () => void {
  let set = commitListeners.get(dataSource);
  if (!set) commitListeners.set(dataSource, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/**
 * The one way to open a transaction: the callback gets the EntityManager that both the business
 * change and the outbox/inbox writes go through, so they commit or roll back together.
 * READ COMMITTED (the server default, so no `SET TRANSACTION` round trip) with row locks on the
 * aggregate is the rule; a stricter level is sent only when asked for. Serialization failures and
 * deadlocks are retried a few times here; other transient faults (the database away) propagate to
 * the caller, whose job it is to wait them out (the consumer runner does, without limit).
 */
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (em: EntityManager) => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        let used: EntityManager | undefined;
        const wrapped = (em: EntityManager) => {
          used = em;
          return work(em);
        };
        const result = isolation && isolation !== 'READ COMMITTED' ? await this.dataSource.transaction(isolation, wrapped) : await this.dataSource.transaction(wrapped);
        const listeners = commitListeners.get(this.dataSource);
        if (listeners && used) for (const listener of listeners) listener(used);
        return result;
      } catch (err) {
        if (!isRetryableConflict(err) || attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 10 * 2 ** attempt + Math.floor(Math.random() * 10)));
      }
    }
  }
}

function isRetryableConflict(err: unknown): boolean {
  const code = (err as { driverError?: { code?: string } }).driverError?.code ?? (err as { code?: string }).code;
  return code === '40001' || code === '40P01';
}
