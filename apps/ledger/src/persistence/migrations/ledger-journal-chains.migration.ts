import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantRuntime } from '@postrade/persistence';

/**
 * One hash chain per partition instead of one for the whole journal. With a single head row
 * (`journal_chain_head`) locked from the start of every batch to its commit, the batches of all
 * partitions booked one after another. Now:
 * - `journal_chains` holds a head per chain; a batch locks only its partition's;
 * - every entry names its chain and its position in it (`chain_id`, `chain_sequence`); the entries
 *   booked so far, and the old head, become chain `main`, unchanged (their hashes never covered the
 *   sequence, so they verify as before);
 * - the global `sequence` (the journal's listing order) is drawn from a Postgres sequence, which
 *   takes no row lock, instead of from the head.
 */
export class LedgerJournalChains1796600000000 implements MigrationInterface {
  name = 'LedgerJournalChains1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table journal_chains (
        chain_id       text primary key,
        last_sequence  bigint not null,
        last_hash      text
      )`);
    await q.query(`insert into journal_chains (chain_id, last_sequence, last_hash) select 'main', last_sequence, last_hash from journal_chain_head where id = 1`);
    await grantRuntime(q, 'journal_chains', 'read-write');

    await q.query('alter table journal_entries add column chain_id text, add column chain_sequence bigint');
    await q.query(`update journal_entries set chain_id = 'main', chain_sequence = sequence`);
    await q.query('alter table journal_entries alter column chain_id set not null, alter column chain_sequence set not null');
    await q.query('alter table journal_entries add constraint journal_entries_chain_position unique (chain_id, chain_sequence)');

    // The global order; the migration runner lets the runtime role draw from it (as from every sequence of the schema).
    await q.query('create sequence journal_entries_sequence as bigint owned by journal_entries.sequence');
    await q.query(`select setval('journal_entries_sequence', coalesce((select max(sequence) from journal_entries), 0) + 1, false)`);
    await q.query(`alter table journal_entries alter column sequence set default nextval('journal_entries_sequence')`);

    await q.query('drop table journal_chain_head');
  }

  /** Back to one chain: possible only while `main` is the only chain (nothing was booked since). */
  async down(q: QueryRunner): Promise<void> {
    const others: unknown[] = await q.query(`select 1 from journal_chains where chain_id <> 'main' limit 1`);
    if (others.length > 0) throw new Error('the journal has chains other than main: one head row cannot hold them');
    await q.query(`
      create table journal_chain_head (
        id             smallint primary key check (id = 1),
        last_sequence  bigint not null,
        last_hash      text
      )`);
    await q.query(`insert into journal_chain_head (id, last_sequence, last_hash) select 1, coalesce(max(last_sequence), 0), max(last_hash) from journal_chains`);
    await grantRuntime(q, 'journal_chain_head', 'read-write');
    await q.query('alter table journal_entries alter column sequence drop default');
    await q.query('drop sequence journal_entries_sequence');
    await q.query('alter table journal_entries drop constraint journal_entries_chain_position, drop column chain_id, drop column chain_sequence');
    await q.query('drop table journal_chains');
  }
}
