import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantRuntime } from '@postrade/persistence';

/**
 * The ledger books what settled, as the depository says (issue 17):
 * - `booked_trades.free_of_payment`: a FOP trade books no cash on any path;
 * - `ledger_exceptions`: what operations must look at when the depository's fact and the trade
 *   disagree (a trade cancelled after part of it settled, a settlement reported after the
 *   cancellation); append-only, listed by `GET /api/v1/exceptions`;
 * - `penalty_accruals`, `penalty_collections`, `penalty_collection_items`: assessed penalties
 *   kept per CSD and month until the CSD's monthly collection moves them to cash; append-only
 *   (a penalty is collected by the item that names it, never by changing its row);
 * - `daily_balances` is written by the database, never by the service: a statement trigger on
 *   `postings` (security definer, owned by the schema's owner) adds each insert's net movement
 *   per account, asset and effective date, in key order, within the insert. The runtime role keeps
 *   select only, so the balances the queries read can change only with the journal; the journal
 *   verification also recomputes them from the postings.
 */
export class LedgerSettledAsDepository1798300000000 implements MigrationInterface {
  name = 'LedgerSettledAsDepository1798300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table booked_trades add column free_of_payment boolean not null default false');

    await q.query(`
      create table ledger_exceptions (
        exception_id    uuid primary key,
        sequence        bigint generated always as identity unique,
        event_id        uuid not null,
        kind            text not null check (kind in ('SETTLED_BEFORE_CANCELLATION', 'SETTLED_AFTER_CANCELLATION')),
        trade_id        uuid not null,
        instruction_id  text,
        book            text not null,
        isin            text not null,
        currency        text not null,
        quantity        numeric not null,
        amount          numeric not null,
        effective_date  date not null,
        detail          text not null,
        raised_at       timestamptz not null default now(),
        unique (event_id, kind, trade_id)
      )`);
    await q.query('create index ledger_exceptions_trade on ledger_exceptions (trade_id, sequence)');
    await grantRuntime(q, 'ledger_exceptions', 'append-only');

    await q.query(`
      create table penalty_accruals (
        penalty_id       text primary key,
        event_id         uuid not null,
        instruction_id   text not null,
        csd              text,
        month            text not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
        counterparty_lei text not null,
        currency         text not null,
        direction        text not null check (direction in ('PAY', 'RECEIVE')),
        amount           numeric not null check (amount > 0),
        penalty_date     date not null,
        booked_at        timestamptz not null default now()
      )`);
    await q.query('create index penalty_accruals_collection on penalty_accruals (csd, month, currency)');
    await grantRuntime(q, 'penalty_accruals', 'append-only');

    await q.query(`
      create table penalty_collections (
        collection_id   uuid primary key,
        csd             text not null,
        month           text not null,
        currency        text not null,
        direction       text not null check (direction in ('PAY', 'RECEIVE')),
        amount          numeric not null check (amount >= 0),
        effective_date  date not null,
        penalties       integer not null,
        recorded_by     text not null,
        recorded_at     timestamptz not null default now()
      )`);
    await q.query('create index penalty_collections_month on penalty_collections (csd, month, currency)');
    await grantRuntime(q, 'penalty_collections', 'append-only');

    await q.query(`
      create table penalty_collection_items (
        penalty_id     text primary key,
        collection_id  uuid not null
      )`);
    await grantRuntime(q, 'penalty_collection_items', 'append-only');

    const [{ schema }]: { schema: string }[] = await q.query('select current_schema() as schema');
    await q.query(`
      create function daily_balances_from_postings() returns trigger
        language plpgsql security definer set search_path = ${quoteIdent(schema)}, pg_temp as $$
      begin
        insert into daily_balances (account, asset, effective_date, movement)
        select p.account, p.asset, e.effective_date, sum(p.amount)
          from inserted_postings p join journal_entries e on e.entry_id = p.entry_id
         group by p.account, p.asset, e.effective_date
        having sum(p.amount) <> 0
         order by p.account, p.asset, e.effective_date
        on conflict (account, asset, effective_date) do update set movement = daily_balances.movement + excluded.movement;
        return null;
      end $$`);
    await q.query('revoke all on function daily_balances_from_postings() from public');
    await q.query(`
      create trigger postings_move_daily_balances
        after insert on postings
        referencing new table as inserted_postings
        for each statement execute function daily_balances_from_postings()`);
    await grantRuntime(q, 'daily_balances', 'read-only');
  }

  async down(q: QueryRunner): Promise<void> {
    await grantRuntime(q, 'daily_balances', 'read-write');
    await q.query('drop trigger postings_move_daily_balances on postings');
    await q.query('drop function daily_balances_from_postings()');
    for (const table of ['penalty_collection_items', 'penalty_collections', 'penalty_accruals', 'ledger_exceptions']) await q.query(`drop table ${table}`);
    await q.query('alter table booked_trades drop column free_of_payment');
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
