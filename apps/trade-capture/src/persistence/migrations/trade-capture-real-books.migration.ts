import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantRuntime } from '@postrade/persistence';

/**
 * Bond coupon terms on instruments; the trade's settlement market, accrued interest, SSI exceptions
 * and cancel reason as columns (they are filtered on); parked actions that know their content and
 * when they expire; retention indexes. No new tables: the grants of TradeCaptureRuntimeAccess cover
 * the new columns, except that parked actions are narrowed to what the service does with them.
 */
export class TradeCaptureRealBooks1764460800000 implements MigrationInterface {
  name = 'TradeCaptureRealBooks1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table instruments
        add column coupon_rate             numeric,
        add column coupon_frequency        integer,
        add column day_count               text,
        add column issue_date              date,
        add column first_coupon_date       date,
        add column maturity_date           date,
        add column minimum_denomination    numeric,
        add column denomination_increment  numeric,
        add column ex_coupon_days          integer`);

    await q.query(`
      alter table trades
        add column settlement_market  text,
        add column accrued_interest   numeric not null default 0,
        add column exceptions         text[] not null default '{}',
        add column cancel_reason      text`);
    await q.query(`update trades set settlement_market = resource->>'settlementMarket'`);
    await q.query('alter table trades alter column settlement_market set not null');
    await q.query('create index trades_settlement_date on trades (settlement_date)');
    await q.query('create index trades_missing_ssi on trades using gin (exceptions)');

    await q.query(`
      alter table parked_trade_actions
        add column content_hash  text not null default '',
        add column message_key   text,
        add column message       jsonb,
        add column expires_at    timestamptz`);
    await q.query(`update parked_trade_actions set expires_at = parked_at + interval '10 minutes'`);
    await q.query('alter table parked_trade_actions alter column expires_at set not null');
    await q.query('create index parked_trade_actions_expiry on parked_trade_actions (expires_at)');

    await q.query('create index idempotency_keys_created on idempotency_keys (created_at)');

    // Parked actions are only ever added and taken away (released, expired), never changed.
    await grantRuntime(q, 'parked_trade_actions', 'append-and-delete');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index idempotency_keys_created');
    await q.query('alter table parked_trade_actions drop column content_hash, drop column message_key, drop column message, drop column expires_at');
    await q.query('drop index trades_missing_ssi');
    await q.query('drop index trades_settlement_date');
    await q.query('alter table trades drop column settlement_market, drop column accrued_interest, drop column exceptions, drop column cancel_reason');
    await q.query(`alter table instruments drop column coupon_rate, drop column coupon_frequency, drop column day_count, drop column issue_date,
      drop column first_coupon_date, drop column maturity_date, drop column minimum_denomination, drop column denomination_increment, drop column ex_coupon_days`);
  }
}
