import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantRuntime } from '@postrade/persistence';

/**
 * Compliance's own copy of the reference data it screens with, the trades it screened, decisions
 * and alerts, four-eyes release requests, the lists (restricted/watch, sanctions), exposure
 * limits and the hash-chained audit trail. Amounts are numeric, never floating point.
 */
export class ComplianceTables1732400000000 implements MigrationInterface {
  name = 'ComplianceTables1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table counterparties (
        lei         text primary key,
        name        text not null,
        aliases     text[] not null default '{}',
        updated_at  timestamptz not null default now()
      )`);
    await grantRuntime(q, 'counterparties', 'read-write');
    await q.query(`
      create table our_legal_entities (
        lei         text primary key,
        name        text not null,
        updated_at  timestamptz not null default now()
      )`);
    await grantRuntime(q, 'our_legal_entities', 'read-write');
    await q.query(`
      create table instruments (
        isin         text primary key,
        asset_class  text not null,
        updated_at   timestamptz not null default now()
      )`);
    await grantRuntime(q, 'instruments', 'read-write');

    await q.query(`
      create table screened_trades (
        trade_id          uuid primary key,
        version           integer not null,
        status            text not null,
        trade_date        date not null,
        executed_at       timestamptz not null,
        side              text not null,
        isin              text not null,
        quantity          numeric not null,
        price             numeric not null,
        currency          text not null,
        gross_amount      numeric not null,
        net_amount        numeric not null,
        unsettled_amount  numeric not null,
        book              text not null,
        counterparty_lei  text not null,
        legal_entity_lei  text not null,
        updated_at        timestamptz not null,
        -- set once the trade is cancelled or fully settled: it no longer counts towards exposure
        closed_at         timestamptz
      )`);
    await q.query('create index screened_trades_open_exposure on screened_trades (counterparty_lei, currency) where closed_at is null');
    await q.query('create index screened_trades_wash on screened_trades (book, isin, quantity, executed_at) where status <> \'CANCELLED\'');
    await q.query('create index screened_trades_book_day on screened_trades (book, trade_date) where status <> \'CANCELLED\'');
    await q.query('create index screened_trades_closed on screened_trades (closed_at) where closed_at is not null');
    await grantRuntime(q, 'screened_trades', 'read-write');

    // A settlement of trades compliance has not seen yet waits here until they arrive.
    await q.query(`
      create table parked_settlements (
        event_id         uuid primary key,
        trade_ids        uuid[] not null,
        settled_amount   numeric not null,
        settled_in_full  boolean not null,
        parked_at        timestamptz not null default now()
      )`);
    await q.query('create index parked_settlements_trades on parked_settlements using gin (trade_ids)');
    await grantRuntime(q, 'parked_settlements', 'append-and-delete');

    await q.query(`
      create table book_days (
        book        text not null,
        trade_date  date not null,
        primary key (book, trade_date)
      )`);
    await grantRuntime(q, 'book_days', 'read-write');

    await q.query(`
      create table decisions (
        trade_id          uuid primary key,
        trade_version     integer not null,
        outcome           text not null,
        counterparty_lei  text not null,
        decided_at        timestamptz not null
      )`);
    await q.query('create index decisions_counterparty on decisions (counterparty_lei)');
    await grantRuntime(q, 'decisions', 'read-write');
    await q.query(`
      create table alerts (
        alert_id       uuid primary key,
        trade_id       uuid not null,
        trade_version  integer not null,
        rule           text not null,
        severity       text not null,
        status         text not null,
        details        jsonb not null,
        raised_at      timestamptz not null,
        closed_at      timestamptz,
        close_reason   text
      )`);
    await q.query('create index alerts_trade on alerts (trade_id, trade_version)');
    await q.query('create index alerts_list on alerts (raised_at, alert_id)');
    await q.query('create index alerts_status_rule on alerts (status, rule, raised_at)');
    await grantRuntime(q, 'alerts', 'read-write');

    await q.query(`
      create table release_requests (
        request_id    uuid primary key,
        trade_id      uuid not null,
        action        text not null,
        reason        text not null,
        requested_by  text not null,
        status        text not null,
        created_at    timestamptz not null,
        decided_by    text,
        decided_at    timestamptz
      )`);
    await q.query(`create unique index release_requests_one_pending on release_requests (trade_id) where status = 'PENDING'`);
    await grantRuntime(q, 'release_requests', 'read-write');

    await q.query(`
      create table restricted_list (
        isin        text primary key,
        kind        text not null,
        from_date   date not null,
        to_date     date,
        reason      text not null,
        updated_at  timestamptz not null default now()
      )`);
    await grantRuntime(q, 'restricted_list', 'read-write');
    await q.query(`
      create table exposure_limits (
        counterparty_lei  text not null,
        currency          text not null,
        limit_amount      numeric not null,
        updated_at        timestamptz not null default now(),
        primary key (counterparty_lei, currency)
      )`);
    await grantRuntime(q, 'exposure_limits', 'read-write');

    await q.query(`
      create table sanctions_lists (
        source       text primary key,
        version      text not null,
        loaded_at    timestamptz not null,
        loaded_by    text not null,
        entry_count  integer not null
      )`);
    await grantRuntime(q, 'sanctions_lists', 'read-write');
    await q.query(`
      create table sanctions_entries (
        source    text not null references sanctions_lists (source),
        entry_id  text not null,
        name      text not null,
        aliases   text[] not null default '{}',
        program   text not null,
        country   text not null,
        primary key (source, entry_id)
      )`);
    await grantRuntime(q, 'sanctions_entries', 'read-write');
    await q.query(`
      create table sanctions_hits (
        counterparty_lei  text not null,
        source            text not null,
        entry_id          text not null,
        list_version      text not null,
        score             numeric not null,
        matched_name      text not null,
        screened_name     text not null,
        found_at          timestamptz not null,
        primary key (counterparty_lei, source, entry_id)
      )`);
    await grantRuntime(q, 'sanctions_hits', 'read-write');

    // Idempotency-Key of creating POSTs: per principal and key, the request's hash and the first response.
    await q.query(`
      create table idempotency_keys (
        principal      text not null,
        key            text not null,
        request_hash   text not null,
        status         text not null,
        response_code  integer,
        response_body  jsonb,
        created_at     timestamptz not null default now(),
        primary key (principal, key)
      )`);
    await q.query('create index idempotency_keys_created on idempotency_keys (created_at)');
    await grantRuntime(q, 'idempotency_keys', 'read-write');

    await q.query(`
      create table audit_records (
        sequence       bigint primary key,
        record_id      uuid not null unique,
        recorded_at    timestamptz not null,
        actor          text not null,
        action         text not null,
        entity_type    text not null,
        entity_id      text not null,
        before         jsonb,
        after          jsonb,
        previous_hash  text not null,
        hash           text not null
      )`);
    await q.query('create index audit_records_entity on audit_records (entity_id, sequence)');
    await q.query('create index audit_records_recorded_at on audit_records (recorded_at, sequence)');
    await grantRuntime(q, 'audit_records', 'append-only');
    // One row: the end of the chain. Appends lock it, so records chain in one order.
    await q.query(`
      create table audit_chain_head (
        only_row       boolean primary key default true check (only_row),
        last_sequence  bigint not null,
        last_hash      text not null
      )`);
    await q.query(`insert into audit_chain_head (last_sequence, last_hash) values (0, '${'0'.repeat(64)}')`);
    await grantRuntime(q, 'audit_chain_head', 'read-write');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_chain_head', 'audit_records', 'idempotency_keys', 'sanctions_hits', 'sanctions_entries', 'sanctions_lists', 'exposure_limits', 'restricted_list',
      'release_requests', 'alerts', 'decisions', 'book_days', 'parked_settlements', 'screened_trades', 'instruments', 'our_legal_entities', 'counterparties',
    ]) {
      await q.query(`drop table ${table}`);
    }
  }
}
