import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantRuntime } from '@postrade/persistence';
import { CSDR_CATEGORIES } from '@postrade/contracts';
import { DEFAULT_CASH_PENALTY_RATES, DEFAULT_PENALTY_RATES } from '../../domain/penalty';

/**
 * Settlement's own tables. Quantities, prices, amounts and rates are numeric, never floating point;
 * the instruction's state is stored in columns and the API resource is rendered from them.
 */
export class SettlementTables1732400000000 implements MigrationInterface {
  name = 'SettlementTables1732400000000';

  async up(q: QueryRunner): Promise<void> {
    // What settlement knows of each trade, from the three streams that gate it. A row appears with
    // whichever event arrives first; the trade's terms are null until the trade event itself does.
    await q.query(`
      create table settlement_trades (
        trade_id                 uuid primary key,
        group_key                text,
        version                  integer,
        trade_status             text,
        side                     text,
        isin                     text,
        quantity                 numeric,
        net_amount               numeric,
        accrued_interest         numeric,
        currency                 text,
        intended_settlement_date date,
        settlement_market        text,
        settlement_type          text,
        counterparty_lei         text,
        legal_entity_lei         text,
        csdr_category            text,
        price_type               text,
        our_agent_bic            text,
        our_safekeeping_account  text,
        our_cash_account         text,
        our_place_of_settlement  text,
        their_agent_bic          text,
        their_safekeeping_account text,
        their_cash_account       text,
        their_place_of_settlement text,
        match_status             text,
        compliance_outcome       text,
        compliance_version       integer,
        instruction_id           uuid,
        updated_at               timestamptz not null default now()
      )`);
    await q.query('create index settlement_trades_group on settlement_trades (group_key)');
    await q.query('create index settlement_trades_instruction on settlement_trades (instruction_id)');
    await grantRuntime(q, 'settlement_trades', 'read-write');

    await q.query(`
      create table instructions (
        instruction_id           uuid primary key,
        reference                text not null unique,
        type                     text not null,
        direction                text not null,
        cash_direction           text not null,
        isin                     text not null,
        quantity                 numeric not null,
        settlement_amount        numeric not null,
        accrued_interest         numeric not null,
        currency                 text not null,
        intended_settlement_date date not null,
        settlement_market        text not null,
        counterparty_lei         text not null,
        legal_entity_lei         text not null,
        csdr_category            text,
        price_type               text,
        netted                   boolean not null,
        our_agent_bic            text,
        our_safekeeping_account  text,
        our_cash_account         text,
        our_place_of_settlement  text,
        their_agent_bic          text,
        their_safekeeping_account text,
        their_cash_account       text,
        their_place_of_settlement text,
        processing_status        text not null,
        pending_reason           text,
        matching_status          text not null,
        settlement_status        text not null,
        failing                  boolean not null default false,
        party_hold               boolean not null default false,
        settled_quantity         numeric not null default 0,
        settled_amount           numeric not null default 0,
        failing_party            text,
        fail_reason_code         text,
        created_at               timestamptz not null default now(),
        updated_at               timestamptz not null default now()
      )`);
    await q.query('create index instructions_list on instructions (created_at, instruction_id)');
    await q.query('create index instructions_due on instructions (intended_settlement_date) where settlement_status <> \'SETTLED\'');
    await q.query('create index instructions_counterparty on instructions (counterparty_lei)');
    await grantRuntime(q, 'instructions', 'read-write');

    await q.query(`
      create table instruction_trades (
        instruction_id uuid not null references instructions (instruction_id),
        trade_id       uuid not null,
        primary key (instruction_id, trade_id)
      )`);
    await q.query('create index instruction_trades_trade on instruction_trades (trade_id)');
    await grantRuntime(q, 'instruction_trades', 'append-only');

    await q.query(`
      create table instruction_history (
        id             bigserial primary key,
        instruction_id uuid not null references instructions (instruction_id),
        at             timestamptz not null default clock_timestamp(),
        event          text not null,
        details        jsonb not null
      )`);
    await q.query('create index instruction_history_instruction on instruction_history (instruction_id, id)');
    await grantRuntime(q, 'instruction_history', 'append-only');

    // Custodian updates applied, by their id: a replay is recognised and has no second effect.
    await q.query(`
      create table status_updates (
        instruction_id uuid not null references instructions (instruction_id),
        update_id      text not null,
        content_hash   text not null,
        status         text not null,
        received_at    timestamptz not null default now(),
        primary key (instruction_id, update_id)
      )`);
    await q.query('create index status_updates_received on status_updates (received_at)');
    await grantRuntime(q, 'status_updates', 'append-and-delete');

    // Kafka updates for an instruction not (yet) known: visible, applied when it appears, expired after a horizon.
    await q.query(`
      create table parked_status_updates (
        instruction_id   uuid not null,
        update_id        text not null,
        status           text not null,
        settled_quantity numeric,
        settled_amount   numeric,
        effective_date   date,
        failing_party    text,
        reason_code      text,
        event_id         uuid,
        parked_at        timestamptz not null default now(),
        expires_at       timestamptz not null,
        expired          boolean not null default false,
        primary key (instruction_id, update_id)
      )`);
    await q.query('create index parked_status_updates_expiry on parked_status_updates (expires_at)');
    await grantRuntime(q, 'parked_status_updates', 'read-write');

    // One row per instruction and failing settlement business day: the unique key makes a second
    // close of the same day a no-op for what it already recorded.
    await q.query(`
      create table fail_days (
        instruction_id     uuid not null references instructions (instruction_id),
        day                date not null,
        unsettled_quantity numeric not null,
        failing_party      text,
        reason_code        text,
        primary key (instruction_id, day)
      )`);
    await q.query('create index fail_days_day on fail_days (day)');
    await grantRuntime(q, 'fail_days', 'append-only');

    await q.query(`
      create table penalties (
        penalty_id       uuid primary key default gen_random_uuid(),
        instruction_id   uuid not null references instructions (instruction_id),
        date             date not null,
        counterparty_lei text not null,
        isin             text not null,
        category         text not null,
        failed_quantity  numeric not null,
        reference_price  numeric not null,
        rate_bps         numeric not null,
        amount           numeric not null,
        currency         text not null,
        direction        text not null,
        assessed_at      timestamptz not null default now(),
        unique (instruction_id, date)
      )`);
    await q.query('create index penalties_date on penalties (date, penalty_id)');
    await grantRuntime(q, 'penalties', 'append-only');

    await q.query(`
      create table reference_prices (
        isin     text not null,
        date     date not null,
        price    numeric not null,
        currency text not null,
        primary key (isin, date)
      )`);
    await grantRuntime(q, 'reference_prices', 'read-write');

    await q.query(`
      create table penalty_rates (
        category       text not null,
        effective_from date not null,
        rate_bps       numeric not null,
        primary key (category, effective_from)
      )`);
    await grantRuntime(q, 'penalty_rates', 'read-write');
    for (const category of CSDR_CATEGORIES) {
      await q.query('insert into penalty_rates (category, effective_from, rate_bps) values ($1, $2, $3)', [category, '2022-02-01', DEFAULT_PENALTY_RATES[category]]);
    }

    await q.query(`
      create table cash_penalty_rates (
        currency        text not null,
        effective_from  date not null,
        annual_percent  numeric not null,
        primary key (currency, effective_from)
      )`);
    await grantRuntime(q, 'cash_penalty_rates', 'read-write');
    for (const rate of DEFAULT_CASH_PENALTY_RATES) {
      await q.query('insert into cash_penalty_rates (currency, effective_from, annual_percent) values ($1, $2, $3)', [rate.currency, rate.effectiveFrom, rate.annualPercent]);
    }

    await q.query(`
      create table netting_agreements (
        counterparty_lei text primary key,
        enabled          boolean not null,
        updated_at       timestamptz not null default now()
      )`);
    await grantRuntime(q, 'netting_agreements', 'read-write');

    await q.query(`
      create table settlement_day_closes (
        id                bigserial primary key,
        day               date not null,
        closed_at         timestamptz not null default now(),
        closed_by         text not null,
        newly_failing     integer not null,
        fail_days         integer not null,
        penalties         integer not null
      )`);
    await grantRuntime(q, 'settlement_day_closes', 'append-only');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'settlement_day_closes', 'netting_agreements', 'cash_penalty_rates', 'penalty_rates', 'reference_prices', 'penalties', 'fail_days',
      'parked_status_updates', 'status_updates', 'instruction_history', 'instruction_trades', 'instructions', 'settlement_trades',
    ]) {
      await q.query(`drop table ${table}`);
    }
  }
}
