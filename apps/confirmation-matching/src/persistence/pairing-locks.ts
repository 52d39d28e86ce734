import type { EntityManager } from 'typeorm';

/**
 * Transaction-scoped advisory locks that serialise matching. Every writer takes, in this order,
 * the locks of the items it changes (a trade id, a sender's confirmation id) and then the locks of
 * every pairing key it reads or re-matches, each set in hash order; row writes come after. One
 * global order means two writers can wait for each other but never deadlock, and a pairing key's
 * items never change under a transaction that is matching them. Advisory locks, because a pairing
 * key has no row of its own to lock before its first item arrives.
 */
export class PairingLocks {
  async lockItems(em: EntityManager, itemIds: readonly string[]): Promise<void> {
    await this.lock(em, 'matching:item:', itemIds);
  }

  async lockPairingKeys(em: EntityManager, keys: readonly string[]): Promise<void> {
    await this.lock(em, 'matching:key:', keys);
  }

  private async lock(em: EntityManager, namespace: string, names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await em.query(
      `select pg_advisory_xact_lock(k) from (
         select distinct hashtextextended($1 || name, 0) as k from unnest($2::text[]) as name order by 1
       ) as ordered`,
      [namespace, [...new Set(names)]],
    );
  }
}
