import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantRuntime } from '@postrade/persistence';
import { CASH_PENALTY_RATE_SEED, SEED_PRINCIPAL } from '../../domain/penalty-seed';

/**
 * CSDR penalties as DOMAIN.md has them (issue 17):
 * - cash penalty rates become effective-dated changes with four eyes (`cash_penalty_rate_changes`:
 *   proposed, then approved or declined by another person; every change kept). Seeded with the ECB
 *   marginal lending facility history to 2025-06-11 (apps/settlement/data/csdr), and whatever the
 *   old `cash_penalty_rates` table held (set through the former direct PUT) is carried over as
 *   approved, after the seed so that it wins for the same date; that table is then dropped.
 * - a penalty records its kind: a settlement fail or a late-matching fail;
 * - a fail day records whether the instruction was matched at the depository at that day's close.
 */
export class SettlementPenaltyRules1798300000000 implements MigrationInterface {
  name = 'SettlementPenaltyRules1798300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table cash_penalty_rate_changes (
        change_id       uuid primary key default gen_random_uuid(),
        currency        text not null,
        effective_from  date not null,
        annual_percent  numeric not null,
        reason          text,
        status          text not null check (status in ('PENDING', 'APPROVED', 'DECLINED')),
        proposed_by     text not null,
        proposed_at     timestamptz not null default clock_timestamp(),
        decided_by      text,
        decided_at      timestamptz
      )`);
    await q.query('create index cash_penalty_rate_changes_currency on cash_penalty_rate_changes (currency, effective_from)');
    await grantRuntime(q, 'cash_penalty_rate_changes', 'read-write');
    await q.query(
      `insert into cash_penalty_rate_changes (currency, effective_from, annual_percent, reason, status, proposed_by, decided_by, decided_at)
       select currency, effective_from, annual_percent, 'ECB key interest rates snapshot (apps/settlement/data/csdr)', 'APPROVED', $4, $4, clock_timestamp()
         from unnest($1::text[], $2::date[], $3::numeric[]) as seed (currency, effective_from, annual_percent)`,
      [CASH_PENALTY_RATE_SEED.map((r) => r.currency), CASH_PENALTY_RATE_SEED.map((r) => r.effectiveFrom), CASH_PENALTY_RATE_SEED.map((r) => r.annualPercent), SEED_PRINCIPAL],
    );
    await q.query(
      `insert into cash_penalty_rate_changes (currency, effective_from, annual_percent, reason, status, proposed_by, decided_by, decided_at)
       select old.currency, old.effective_from, old.annual_percent, 'set before four eyes (cash_penalty_rates)', 'APPROVED', 'migration', 'migration', clock_timestamp()
         from cash_penalty_rates old
        where not exists (select 1 from cash_penalty_rate_changes c
                           where c.currency = old.currency and c.effective_from = old.effective_from and c.annual_percent = old.annual_percent)`,
    );
    await q.query('drop table cash_penalty_rates');

    await q.query(`alter table penalties add column kind text not null default 'SETTLEMENT_FAIL'`);
    await q.query('alter table fail_days add column matched boolean');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table fail_days drop column matched');
    await q.query('alter table penalties drop column kind');
    await q.query(`
      create table cash_penalty_rates (
        currency        text not null,
        effective_from  date not null,
        annual_percent  numeric not null,
        primary key (currency, effective_from)
      )`);
    await grantRuntime(q, 'cash_penalty_rates', 'read-write');
    await q.query(
      `insert into cash_penalty_rates (currency, effective_from, annual_percent)
       select distinct on (currency, effective_from) currency, effective_from, annual_percent
         from cash_penalty_rate_changes where status = 'APPROVED' order by currency, effective_from, decided_at desc`,
    );
    await q.query('drop table cash_penalty_rate_changes');
  }
}
