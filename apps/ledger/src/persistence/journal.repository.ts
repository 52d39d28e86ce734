import type { EntityManager } from 'typeorm';
import type { ChainHead } from '@postrade/kernel';
import { HashChainHeads } from '@postrade/persistence';
import type { Account } from '../domain/accounts';

/** A journal entry row as stored (dates as YYYY-MM-DD text, instants as Date). */
export interface JournalEntryRow {
  entry_id: string;
  sequence: string;
  chain_id: string;
  chain_sequence: string;
  event_id: string;
  event_part: number;
  event_type: string;
  trade_id: string | null;
  instruction_id: string | null;
  effective_date: string;
  posted_at: Date;
  previous_hash: string | null;
  hash: string;
}

export interface PostingRow {
  entry_id: string;
  leg: number;
  account: string;
  asset: string;
  amount: string;
}

/** A new entry; its global `sequence` is drawn by the database. */
export interface NewEntryRow {
  entryId: string;
  chain: string;
  chainSequence: number;
  eventId: string;
  eventPart: number;
  eventType: string;
  tradeId: string | null;
  instructionId: string | null;
  effectiveDate: string;
  postedAt: string;
  previousHash: string | null;
  hash: string;
}

export interface NewPostingRow {
  entryId: string;
  leg: number;
  account: string;
  asset: string;
  amount: string;
}

const ENTRY_COLUMNS = `entry_id, sequence, chain_id, chain_sequence, event_id, event_part, event_type, trade_id, instruction_id, effective_date::text as effective_date, posted_at, previous_hash, hash`;

/**
 * The journal's SQL. Every write is one statement for the whole batch, its rows sent as one JSON
 * parameter (`json_to_recordset`), so a batch of thousands of postings costs a handful of round
 * trips and no per-element array encoding in the driver.
 */
export class JournalRepository {
  private readonly chains = new HashChainHeads('journal_chains', null);

  async bookedEventIds(em: EntityManager, eventIds: string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows: { event_id: string }[] = await em.query('select distinct event_id from journal_entries where event_id = any($1::uuid[])', [eventIds]);
    return new Set(rows.map((r) => r.event_id));
  }

  /**
   * Locks the end of one chain for this transaction: appends to that chain are serialised per
   * batch, while batches appending to other chains (other partitions) go on at the same time.
   */
  lockChain(em: EntityManager, chain: string): Promise<ChainHead<null>> {
    return this.chains.lock(em, chain);
  }

  advanceChain(em: EntityManager, head: ChainHead<null>): Promise<void> {
    return this.chains.advance(em, head);
  }

  /** Every chain's head as committed now: what a verification checks up to. */
  chainHeads(em: EntityManager): Promise<ChainHead<null>[]> {
    return this.chains.all(em);
  }

  /** The stored hash of the entry at `chainSequence` of `chain` (what an anchor is compared with), or null when there is none. */
  async hashAt(em: EntityManager, chain: string, chainSequence: number): Promise<string | null> {
    const rows: { hash: string }[] = await em.query('select hash from journal_entries where chain_id = $1 and chain_sequence = $2', [chain, chainSequence]);
    return rows[0]?.hash ?? null;
  }

  /** Opens the accounts not opened yet (the chart of accounts grows on first use), in code order. */
  async openAccounts(em: EntityManager, accounts: Account[]): Promise<void> {
    if (accounts.length === 0) return;
    const sorted = [...new Map(accounts.map((a) => [a.code, a])).values()].sort((a, b) => (a.code < b.code ? -1 : 1));
    await em.query(
      `insert into accounts (code, owner_kind, holder, kind)
       select * from json_to_recordset($1::json) as a(code text, owner_kind text, holder text, kind text)
       on conflict (code) do nothing`,
      [JSON.stringify(sorted.map((a) => ({ code: a.code, owner_kind: a.owner, holder: a.holder, kind: a.kind })))],
    );
  }

  /**
   * Inserts the entries; the global `sequence` (the journal's listing order) comes from a Postgres
   * sequence, which takes no row lock, drawn in chain order (a volatile default is computed after
   * the sort).
   */
  async insertEntries(em: EntityManager, entries: NewEntryRow[]): Promise<void> {
    await em.query(
      `insert into journal_entries (entry_id, chain_id, chain_sequence, event_id, event_part, event_type, trade_id, instruction_id, effective_date, posted_at, previous_hash, hash)
       select entry_id, chain_id, chain_sequence, event_id, event_part, event_type, trade_id, instruction_id, effective_date, posted_at, previous_hash, hash
         from json_to_recordset($1::json) as e(
           entry_id uuid, chain_id text, chain_sequence bigint, event_id uuid, event_part smallint, event_type text, trade_id uuid, instruction_id text,
           effective_date date, posted_at timestamptz, previous_hash text, hash text)
        order by chain_sequence`,
      [
        JSON.stringify(
          entries.map((e) => ({
            entry_id: e.entryId,
            chain_id: e.chain,
            chain_sequence: e.chainSequence,
            event_id: e.eventId,
            event_part: e.eventPart,
            event_type: e.eventType,
            trade_id: e.tradeId,
            instruction_id: e.instructionId,
            effective_date: e.effectiveDate,
            posted_at: e.postedAt,
            previous_hash: e.previousHash,
            hash: e.hash,
          })),
        ),
      ],
    );
  }

  /**
   * Inserts the batch's postings in one statement. The database adds their net movement per
   * account, asset and effective date to `daily_balances` within this statement (a statement
   * trigger, in key order): the service cannot write balances itself.
   */
  async insertPostings(em: EntityManager, postings: NewPostingRow[]): Promise<void> {
    // Amounts travel as JSON strings, never JSON numbers, and are read as numeric: no float on the way.
    await em.query(
      `insert into postings (entry_id, leg, account, asset, amount)
       select * from json_to_recordset($1::json) as p(entry_id uuid, leg smallint, account text, asset text, amount numeric)`,
      [JSON.stringify(postings.map((p) => ({ entry_id: p.entryId, leg: p.leg, account: p.account, asset: p.asset, amount: p.amount })))],
    );
  }

  /** One chain's entries in chain order, with positions in (`after`, `through`]. */
  async chainPage(em: EntityManager, chain: string, after: number, through: number, limit: number): Promise<JournalEntryRow[]> {
    return em.query(
      `select ${ENTRY_COLUMNS} from journal_entries where chain_id = $1 and chain_sequence > $2 and chain_sequence <= $3 order by chain_sequence limit $4`,
      [chain, after, through, limit],
    );
  }

  async entries(
    em: EntityManager,
    filter: { tradeId?: string; from?: string; to?: string; afterSequence?: number; limit: number },
  ): Promise<JournalEntryRow[]> {
    return em.query(
      `select ${ENTRY_COLUMNS} from journal_entries
        where ($1::uuid is null or trade_id = $1)
          and ($2::date is null or effective_date >= $2)
          and ($3::date is null or effective_date <= $3)
          and ($4::bigint is null or sequence > $4)
        order by sequence
        limit $5`,
      [filter.tradeId ?? null, filter.from ?? null, filter.to ?? null, filter.afterSequence ?? null, filter.limit],
    );
  }

  async postingsOf(em: EntityManager, entryIds: string[]): Promise<PostingRow[]> {
    if (entryIds.length === 0) return [];
    return em.query('select entry_id, leg, account, asset, amount::text as amount from postings where entry_id = any($1::uuid[]) order by entry_id, leg', [entryIds]);
  }
}
