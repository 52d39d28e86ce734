import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The current version of a trade is stored in columns and the resource rendered from them (the
 * jsonb copy was the source of truth before). The instrument, parties and SSIs are snapshots taken
 * at capture, so that a later change of reference data never rewrites a booked trade; an SSI side
 * is null while it is missing. `trade_versions` keeps each version as it was published (history).
 */
export class TradeCaptureTradeColumns1764460900000 implements MigrationInterface {
  name = 'TradeCaptureTradeColumns1764460900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table trades
        add column execution_time                timestamptz,
        add column gross_amount                  numeric,
        add column accrued_days                  integer not null default 0,
        add column commission                    numeric,
        add column fees                          numeric,
        add column settlement_cycle              text,
        add column settlement_type               text,
        add column instrument_description        text,
        add column instrument_asset_class        text,
        add column instrument_price_type         text,
        add column instrument_csdr_category      text,
        add column coupon_rate                   numeric,
        add column coupon_frequency              integer,
        add column day_count                     text,
        add column issue_date                    date,
        add column first_coupon_date             date,
        add column maturity_date                 date,
        add column minimum_denomination          numeric,
        add column denomination_increment        numeric,
        add column ex_coupon_days                integer,
        add column counterparty_name             text,
        add column counterparty_bic              text,
        add column counterparty_country          text,
        add column legal_entity_name             text,
        add column legal_entity_bic              text,
        add column our_agent_bic                 text,
        add column our_safekeeping_account       text,
        add column our_cash_account              text,
        add column our_place_of_settlement       text,
        add column their_agent_bic               text,
        add column their_safekeeping_account     text,
        add column their_cash_account            text,
        add column their_place_of_settlement     text`);
    await q.query(`
      update trades set
        execution_time = (resource->>'executionTime')::timestamptz,
        gross_amount = (resource->>'grossAmount')::numeric,
        accrued_interest = coalesce((resource->>'accruedInterest')::numeric, 0),
        accrued_days = coalesce((resource->>'accruedDays')::int, 0),
        commission = (resource->>'commission')::numeric,
        fees = (resource->>'fees')::numeric,
        settlement_cycle = resource->>'settlementCycle',
        settlement_type = resource->>'settlementType',
        instrument_description = coalesce(resource#>>'{instrument,description}', isin),
        instrument_asset_class = coalesce(resource#>>'{instrument,assetClass}', 'EQUITY'),
        instrument_price_type = coalesce(resource#>>'{instrument,priceType}', 'UNIT'),
        instrument_csdr_category = coalesce(resource#>>'{instrument,csdrCategory}', 'OTHER'),
        coupon_rate = (resource#>>'{instrument,couponRate}')::numeric,
        coupon_frequency = (resource#>>'{instrument,couponFrequency}')::int,
        day_count = resource#>>'{instrument,dayCount}',
        issue_date = (resource#>>'{instrument,issueDate}')::date,
        first_coupon_date = (resource#>>'{instrument,firstCouponDate}')::date,
        maturity_date = (resource#>>'{instrument,maturityDate}')::date,
        minimum_denomination = (resource#>>'{instrument,minimumDenomination}')::numeric,
        denomination_increment = (resource#>>'{instrument,denominationIncrement}')::numeric,
        ex_coupon_days = (resource#>>'{instrument,exCouponDays}')::int,
        counterparty_name = resource#>>'{counterparty,name}',
        counterparty_bic = resource#>>'{counterparty,bic}',
        counterparty_country = resource#>>'{counterparty,country}',
        legal_entity_name = resource#>>'{legalEntity,name}',
        legal_entity_bic = resource#>>'{legalEntity,bic}',
        our_agent_bic = resource#>>'{ssis,ours,agentBic}',
        our_safekeeping_account = resource#>>'{ssis,ours,safekeepingAccount}',
        our_cash_account = resource#>>'{ssis,ours,cashAccount}',
        our_place_of_settlement = resource#>>'{ssis,ours,placeOfSettlement}',
        their_agent_bic = resource#>>'{ssis,theirs,agentBic}',
        their_safekeeping_account = resource#>>'{ssis,theirs,safekeepingAccount}',
        their_cash_account = resource#>>'{ssis,theirs,cashAccount}',
        their_place_of_settlement = resource#>>'{ssis,theirs,placeOfSettlement}',
        exceptions = array_remove(array[
          case when resource#>'{ssis,ours}' is null or jsonb_typeof(resource#>'{ssis,ours}') = 'null' then 'MISSING_OUR_SSI' end,
          case when resource#>'{ssis,theirs}' is null or jsonb_typeof(resource#>'{ssis,theirs}') = 'null' then 'MISSING_COUNTERPARTY_SSI' end], null)`);
    for (const column of [
      'gross_amount', 'commission', 'fees', 'settlement_cycle', 'settlement_type', 'instrument_description', 'instrument_asset_class',
      'instrument_price_type', 'instrument_csdr_category', 'counterparty_name', 'counterparty_bic', 'counterparty_country',
      'legal_entity_name', 'legal_entity_bic',
    ]) {
      await q.query(`alter table trades alter column ${column} set not null`);
    }
    await q.query('alter table trades drop column resource');
  }

  async down(_q: QueryRunner): Promise<void> {
    // The columns are the source of truth; going back would need the resource rebuilt by the service.
    throw new Error(`${this.name} cannot be reverted`);
  }
}
