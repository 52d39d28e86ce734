import type { EntityManager } from 'typeorm';
import type { ChainHead } from '@postrade/kernel';

interface HeadRow {
  chain_id: string;
  last_sequence: string;
  last_hash: string | null;
}

/**
 * The heads of a service's hash chains, one row per chain in a table of
 * `(chain_id text primary key, last_sequence bigint, last_hash text)`. An append locks only the
 * head of the chain it appends to, so transactions appending to different chains (batches of
 * different partitions) never wait on each other; two appends to the same chain still take turns,
 * which is what keeps that chain one unbroken line.
 */
export class HashChainHeads<G extends string | null> {
  constructor(
    private readonly table: string,
    private readonly genesis: G,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`refusing unsafe table name ${JSON.stringify(table)}`);
  }

  /**
   * Locks the head of `chain` until the transaction ends and returns it; a chain never appended to
   * starts at its genesis. Of two transactions starting the same chain, the second waits for the
   * first's row and then locks it.
   */
  async lock(em: EntityManager, chain: string): Promise<ChainHead<G>> {
    const select = `select chain_id, last_sequence, last_hash from ${this.table} where chain_id = $1 for update`;
    let rows: HeadRow[] = await em.query(select, [chain]);
    if (rows.length === 0) {
      await em.query(`insert into ${this.table} (chain_id, last_sequence, last_hash) values ($1, 0, $2) on conflict (chain_id) do nothing`, [chain, this.genesis]);
      rows = await em.query(select, [chain]);
    }
    return this.toHead(rows[0]);
  }

  /** Moves the head (locked by {@link lock} in this transaction) to the chain's new last record. */
  async advance(em: EntityManager, head: ChainHead<G>): Promise<void> {
    await em.query(`update ${this.table} set last_sequence = $2, last_hash = $3 where chain_id = $1`, [head.chain, head.lastSequence, head.lastHash]);
  }

  /** Every chain's head as committed now, in chain id order: where a verification stops. */
  async all(em: EntityManager): Promise<ChainHead<G>[]> {
    const rows: HeadRow[] = await em.query(`select chain_id, last_sequence, last_hash from ${this.table} order by chain_id`);
    return rows.map((r) => this.toHead(r));
  }

  private toHead(row: HeadRow): ChainHead<G> {
    return { chain: row.chain_id, lastSequence: Number(row.last_sequence), lastHash: row.last_hash as string | G };
  }
}
