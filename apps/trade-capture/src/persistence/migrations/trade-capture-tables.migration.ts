import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reference data, trades with their version history, actions parked until their NEW arrives, and
 * Idempotency-Key records. Quantities, prices and amounts are numeric, never floating point.
 */
export class TradeCaptureTables1732300000000 implements MigrationInterface {
  name = 'TradeCaptureTables1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table instruments (
        isin               text primary key,
        description        text not null,
        currency           text not null,
        asset_class        text not null,
        price_type         text not null,
        settlement_market  text not null,
        csdr_category      text not null,
        updated_at         timestamptz not null default now()
      )`);
    await q.query(`
      create table counterparties (
        lei         text primary key,
        name        text not null,
        aliases     text[] not null default '{}',
        country     text not null,
        bic         text not null,
        updated_at  timestamptz not null default now()
      )`);
    await q.query(`
      create table legal_entities (
        lei         text primary key,
        name        text not null,
        bic         text not null,
        updated_at  timestamptz not null default now()
      )`);
    await q.query(`
      create table ssis (
        lei                  text not null,
        settlement_market    text not null,
        currency             text not null,
        agent_bic            text not null,
        safekeeping_account  text not null,
        cash_account         text not null,
        place_of_settlement  text not null,
        updated_at           timestamptz not null default now(),
        primary key (lei, settlement_market, currency)
      )`);
    await q.query(`
      create table trades (
        trade_id          uuid primary key,
        source_system     text not null,
        source_trade_id   text not null,
        version           integer not null,
        status            text not null,
        trade_date        date not null,
        settlement_date   date not null,
        side              text not null,
        isin              text not null,
        quantity          numeric not null,
        price             numeric not null,
        currency          text not null,
        net_amount        numeric not null,
        counterparty_lei  text not null,
        legal_entity_lei  text not null,
        book              text not null,
        resource          jsonb not null,
        created_at        timestamptz not null,
        updated_at        timestamptz not null,
        unique (source_system, source_trade_id)
      )`);
    await q.query('create index trades_list on trades (created_at, trade_id)');
    await q.query('create index trades_counterparty on trades (counterparty_lei)');
    await q.query('create index trades_isin on trades (isin)');
    await q.query('create index trades_trade_date on trades (trade_date)');
    await q.query(`
      create table trade_versions (
        trade_id      uuid not null references trades (trade_id),
        version       integer not null,
        action        text not null,
        content_hash  text not null,
        resource      jsonb not null,
        recorded_at   timestamptz not null default now(),
        primary key (trade_id, version)
      )`);
    await q.query(`
      create table parked_trade_actions (
        source_system    text not null,
        source_trade_id  text not null,
        version          integer not null,
        action           text not null,
        payload          jsonb not null,
        event_id         uuid,
        parked_at        timestamptz not null default now(),
        primary key (source_system, source_trade_id, version)
      )`);
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
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['idempotency_keys', 'parked_trade_actions', 'trade_versions', 'trades', 'ssis', 'legal_entities', 'counterparties', 'instruments']) {
      await q.query(`drop table ${table}`);
    }
  }
}
