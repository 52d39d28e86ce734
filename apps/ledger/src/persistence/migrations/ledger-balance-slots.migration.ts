import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `daily_balances` without a hot row: a bank books through one house cash account per currency, so
 * every batch of every partition moved the same (account, asset, date) row and waited for the
 * batch before it to commit. Each row now carries a slot picked by the writing transaction
 * (its id modulo 16): two batches meet on a row only when their ids share a slot, and a balance
 * is the sum over slots, as it already was the sum over dates.
 */
export class LedgerBalanceSlots1798400000000 implements MigrationInterface {
  name = 'LedgerBalanceSlots1798400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table daily_balances add column slot smallint not null default 0');
    await q.query('alter table daily_balances drop constraint daily_balances_pkey');
    await q.query('alter table daily_balances add primary key (account, asset, effective_date, slot)');
    await q.query(`
      create or replace function daily_balances_from_postings() returns trigger
        language plpgsql security definer set search_path = ${await schemaOf(q)}, pg_temp as $$
      begin
        insert into daily_balances (account, asset, effective_date, slot, movement)
        select p.account, p.asset, e.effective_date, (txid_current() % 16)::smallint, sum(p.amount)
          from inserted_postings p join journal_entries e on e.entry_id = p.entry_id
         group by p.account, p.asset, e.effective_date
        having sum(p.amount) <> 0
         order by p.account, p.asset, e.effective_date
        on conflict (account, asset, effective_date, slot) do update set movement = daily_balances.movement + excluded.movement;
        return null;
      end $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      create table daily_balances_merged as
        select account, asset, effective_date, sum(movement) as movement from daily_balances group by account, asset, effective_date`);
    await q.query('truncate daily_balances');
    await q.query('alter table daily_balances drop constraint daily_balances_pkey');
    await q.query('alter table daily_balances drop column slot');
    await q.query('insert into daily_balances (account, asset, effective_date, movement) select account, asset, effective_date, movement from daily_balances_merged');
    await q.query('drop table daily_balances_merged');
    await q.query('alter table daily_balances add primary key (account, asset, effective_date)');
    await q.query(`
      create or replace function daily_balances_from_postings() returns trigger
        language plpgsql security definer set search_path = ${await schemaOf(q)}, pg_temp as $$
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
  }
}

async function schemaOf(q: QueryRunner): Promise<string> {
  const [{ schema }]: { schema: string }[] = await q.query('select current_schema() as schema');
  return `"${schema.replace(/"/g, '""')}"`;
}
