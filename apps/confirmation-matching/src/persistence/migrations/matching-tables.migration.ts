import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantRuntime } from '@postrade/persistence';

/**
 * Trades as matching sees them, confirmations, breaks, operator decisions and matching profiles.
 * Both sides are indexed by their pairing key (counterparty, ISIN, trade date, currency,
 * quantity), so matching reads one key's items and never scans what is open. Every index costs
 * each match update, so there are no others than the lists need: the hourly retention delete by
 * trade date scans instead.
 */
export class MatchingTables1733000000000 implements MigrationInterface {
  name = 'MatchingTables1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table trades (
        trade_id                      uuid primary key,
        source_trade_id               text not null,
        version                       integer not null,
        cancelled                     boolean not null,
        counterparty_lei              text not null,
        isin                          text not null,
        trade_date                    date not null,
        currency                      text not null,
        quantity                      numeric not null,
        side                          text not null,
        settlement_date               date not null,
        price                         numeric not null,
        gross_amount                  numeric not null,
        net_amount                    numeric not null,
        accrued_interest              numeric,
        match_status                  text not null,
        confirmation_id               text,
        evaluated_trade_version       integer not null default 0,
        evaluated_confirmation_version integer,
        profile                       text not null,
        profile_revision              integer not null,
        pin_kind                      text check (pin_kind in ('FORCED', 'AFFIRMED')),
        pin_confirmation_id           text,
        pin_trade_version             integer,
        pin_confirmation_version      integer,
        received_at                   timestamptz not null,
        updated_at                    timestamptz not null
      )`);
    await q.query('create index trades_pairing_key on trades (counterparty_lei, isin, trade_date, currency, quantity)');
    await q.query('create index trades_by_status on trades (match_status, updated_at, trade_id)');
    await grantRuntime(q, 'trades', 'read-write');

    await q.query(`
      create table confirmations (
        id                  uuid primary key,
        sender_lei          text not null,
        confirmation_id     text not null,
        version             integer not null,
        receiver_lei        text not null,
        trade_date          date not null,
        settlement_date     date not null,
        side                text not null,
        isin                text not null,
        quantity            numeric not null,
        price               numeric not null,
        currency            text not null,
        gross_amount        numeric,
        net_amount          numeric not null,
        accrued_interest    numeric,
        our_reference       text,
        match_status        text not null,
        trade_id            uuid,
        evaluated_version   integer not null default 0,
        profile             text,
        received_at         timestamptz not null,
        updated_at          timestamptz not null,
        unique (sender_lei, confirmation_id)
      )`);
    await q.query('create index confirmations_pairing_key on confirmations (sender_lei, isin, trade_date, currency, quantity)');
    await q.query('create index confirmations_by_status on confirmations (match_status, updated_at, id)');
    await grantRuntime(q, 'confirmations', 'read-write');

    await q.query(`
      create table match_breaks (
        trade_id     uuid not null references trades (trade_id) on delete cascade,
        position     integer not null,
        field        text not null,
        ours         text,
        theirs       text,
        rule         text not null,
        tolerance    text,
        reason_code  integer not null,
        primary key (trade_id, position)
      )`);
    await grantRuntime(q, 'match_breaks', 'read-write');

    await q.query(`
      create table match_exclusions (
        trade_id              uuid not null references trades (trade_id) on delete cascade,
        confirmation_id       text not null,
        trade_version         integer not null,
        confirmation_version  integer not null,
        primary key (trade_id, confirmation_id)
      )`);
    await grantRuntime(q, 'match_exclusions', 'read-write');

    // Who did what to which match, and why: kept for good (audit trail), so insert-only.
    await q.query(`
      create table match_actions (
        action_id        uuid primary key,
        trade_id         uuid not null,
        action           text not null check (action in ('FORCE_MATCH', 'UNMATCH', 'AFFIRM')),
        confirmation_id  text,
        reason           text,
        acted_by         text not null,
        acted_at         timestamptz not null
      )`);
    await q.query('create index match_actions_by_trade on match_actions (trade_id, acted_at)');
    await grantRuntime(q, 'match_actions', 'append-only');

    await q.query(`
      create table matching_profiles (
        name         text primary key,
        auto_affirm  boolean not null,
        revision     integer not null,
        updated_at   timestamptz not null default now()
      )`);
    await grantRuntime(q, 'matching_profiles', 'read-write');
    await q.query(`
      create table matching_profile_rules (
        profile         text not null references matching_profiles (name) on delete cascade,
        field           text not null,
        rule            text not null,
        tolerance       numeric,
        cap             numeric,
        tier_above      numeric[] not null default '{}',
        tier_tolerance  numeric[] not null default '{}',
        primary key (profile, field)
      )`);
    await grantRuntime(q, 'matching_profile_rules', 'read-write');
    await q.query(`
      create table matching_profile_assignments (
        kind     text not null check (kind in ('COUNTERPARTY', 'CURRENCY')),
        value    text not null,
        profile  text not null references matching_profiles (name) on delete cascade,
        primary key (kind, value)
      )`);
    await grantRuntime(q, 'matching_profile_assignments', 'read-write');

    // DOMAIN.md's default profile.
    await q.query(`insert into matching_profiles (name, auto_affirm, revision) values ('DEFAULT', true, 1)`);
    await q.query(`
      insert into matching_profile_rules (profile, field, rule, tolerance, tier_above, tier_tolerance) values
        ('DEFAULT', 'settlementDate', 'EXACT', null, '{}', '{}'),
        ('DEFAULT', 'price', 'PERCENT', 0, '{}', '{}'),
        ('DEFAULT', 'netAmount', 'ABSOLUTE', 2, '{100000}', '{25}'),
        ('DEFAULT', 'grossAmount', 'IGNORE', null, '{}', '{}'),
        ('DEFAULT', 'accruedInterest', 'ABSOLUTE', 2, '{100000}', '{25}')`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'matching_profile_assignments',
      'matching_profile_rules',
      'matching_profiles',
      'match_actions',
      'match_exclusions',
      'match_breaks',
      'confirmations',
      'trades',
    ]) {
      await q.query(`drop table ${table}`);
    }
  }
}
