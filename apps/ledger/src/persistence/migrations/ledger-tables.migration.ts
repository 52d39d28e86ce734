import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantRuntime } from '@postrade/persistence';

/**
 * The books: the chart of accounts, the hash-chained journal and its postings (append-only for the
 * service's runtime role), daily balance movements for as-of queries, what the ledger booked per
 * trade, and settlements parked until their trade arrives.
 *
 * Double entry per asset is enforced by the database too: a deferred constraint trigger on
 * postings checks at commit that every entry touched sums to zero in each asset.
 */
export class LedgerTables1732600000000 implements MigrationInterface {
  name = 'LedgerTables1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table accounts (
        code        text primary key,
        owner_kind  text not null check (owner_kind in ('BOOK', 'COUNTERPARTY', 'HOUSE')),
        holder      text not null,
        kind        text not null,
        opened_at   timestamptz not null default now()
      )`);
    await q.query('create index accounts_holder on accounts (owner_kind, holder, kind)');
    await grantRuntime(q, 'accounts', 'append-only');

    // One row: the end of the chain. A batch locks it once, so chain appends are serialised
    // per batch, not per entry.
    await q.query(`
      create table journal_chain_head (
        id             smallint primary key check (id = 1),
        last_sequence  bigint not null,
        last_hash      text
      )`);
    await q.query('insert into journal_chain_head (id, last_sequence, last_hash) values (1, 0, null)');
    await grantRuntime(q, 'journal_chain_head', 'read-write');

    await q.query(`
      create table journal_entries (
        entry_id        uuid primary key,
        sequence        bigint not null unique,
        event_id        uuid not null,
        event_part      smallint not null,
        event_type      text not null,
        trade_id        uuid,
        instruction_id  text,
        effective_date  date not null,
        posted_at       timestamptz not null,
        previous_hash   text,
        hash            text not null,
        unique (event_id, event_part)
      )`);
    await q.query('create index journal_entries_trade on journal_entries (trade_id, sequence) where trade_id is not null');
    await q.query('create index journal_entries_effective_date on journal_entries (effective_date, sequence)');
    await grantRuntime(q, 'journal_entries', 'append-only');

    // No foreign keys on postings: a key check per row would also lock the referenced entry and
    // account rows (a hot account's row on every posting). The deferred trigger below checks, once
    // per entry at commit, that the entry exists, that it balances per asset and that every
    // account it names is open; entries and accounts can never be deleted by the runtime role.
    await q.query(`
      create table postings (
        entry_id  uuid not null,
        leg       smallint not null,
        account   text not null,
        asset     text not null,
        amount    numeric not null check (amount <> 0),
        primary key (entry_id, leg)
      )`);
    await grantRuntime(q, 'postings', 'append-only');

    // Postings of one entry are inserted together, so the trigger remembers (transaction-locally)
    // the entry it checked last and checks each entry once, however many legs it has.
    await q.query(`
      create function postings_balance_per_asset() returns trigger language plpgsql as $$
      declare
        off_asset text;
        unknown_account text;
      begin
        if current_setting('ledger.checked_entry', true) = new.entry_id::text then
          return null;
        end if;
        if not exists (select 1 from journal_entries where entry_id = new.entry_id) then
          raise exception 'posting of journal entry % which does not exist', new.entry_id using errcode = '23503';
        end if;
        select asset into off_asset from postings where entry_id = new.entry_id group by asset having sum(amount) <> 0 limit 1;
        if found then
          raise exception 'journal entry % does not balance in %', new.entry_id, off_asset using errcode = '23514';
        end if;
        select p.account into unknown_account from postings p where p.entry_id = new.entry_id and not exists (select 1 from accounts a where a.code = p.account) limit 1;
        if found then
          raise exception 'journal entry % posts to account % which is not open', new.entry_id, unknown_account using errcode = '23503';
        end if;
        perform set_config('ledger.checked_entry', new.entry_id::text, true);
        return null;
      end $$`);
    await q.query(`
      create constraint trigger postings_balance_per_asset
        after insert on postings
        deferrable initially deferred
        for each row execute function postings_balance_per_asset()`);

    // Balance movements per account, asset and effective date: an as-of balance is the sum up to
    // that date. Updated once per batch with the batch's net movement per row, in key order.
    await q.query(`
      create table daily_balances (
        account         text not null,
        asset           text not null,
        effective_date  date not null,
        movement        numeric not null,
        primary key (account, asset, effective_date)
      )`);
    await grantRuntime(q, 'daily_balances', 'read-write');

    await q.query(`
      create table booked_trades (
        trade_id          uuid primary key,
        version           integer not null,
        cancelled         boolean not null,
        side              text not null check (side in ('BUY', 'SELL')),
        book              text not null,
        isin              text not null,
        currency          text not null,
        counterparty_lei  text not null,
        quantity          numeric not null,
        net_amount        numeric not null,
        trade_date        date not null,
        settled_quantity  numeric not null,
        settled_amount    numeric not null,
        updated_at        timestamptz not null default now()
      )`);
    await grantRuntime(q, 'booked_trades', 'read-write');

    await q.query(`
      create table parked_settlements (
        event_id          uuid primary key,
        event_type        text not null,
        instruction_id    text not null,
        waiting_for       uuid[] not null,
        message           jsonb not null,
        rejection         text,
        parked_at         timestamptz not null,
        expires_at        timestamptz not null
      )`);
    await q.query('create index parked_settlements_waiting_for on parked_settlements using gin (waiting_for)');
    await q.query('create index parked_settlements_expiry on parked_settlements (expires_at)');
    await grantRuntime(q, 'parked_settlements', 'append-and-delete');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['parked_settlements', 'booked_trades', 'daily_balances', 'postings', 'journal_entries', 'journal_chain_head', 'accounts']) {
      await q.query(`drop table ${table}`);
    }
    await q.query('drop function postings_balance_per_asset()');
  }
}
