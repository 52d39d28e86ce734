import type { EntityManager } from 'typeorm';
import type { PenaltyResource } from '@postrade/contracts';
import type { PenaltyKind } from '../domain/penalty';

/** What one day's close needs beyond the instructions: the rates, calendars and where penalties apply. */
export interface CloseParameters {
  day: string;
  /** Markets for which `day` is a settlement business day that has begun there: only their instructions fail on it. */
  openMarkets: string[];
  /** Markets where CSDR-style penalties apply. */
  penaltyMarkets: string[];
  /** Every category rate with its effective date (a late-matching penalty is charged at each day's rate). */
  categoryRates: { category: string; effectiveFrom: string; rateBps: string }[];
  /** Every cash rate in force over time: annual percent floored at 0, and as daily basis points for display. */
  cashRates: { currency: string; effectiveFrom: string; annualPercent: string; dailyRateBps: string }[];
  minorUnits: { currency: string; units: number }[];
  /** Settlement business days of the penalty markets up to `day`, for late-matching penalties. */
  penaltyBusinessDays: { market: string; day: string }[];
}

export interface CloseChunkResult {
  /** The last instruction id of the chunk, to continue after; null when there was nothing left. */
  last: string | null;
  failDays: number;
  newlyFailing: string[];
  penalties: AssessedPenaltyRow[];
}

/** A penalty as stored and published: the contract's resource plus its kind. */
export type AssessedPenaltyRow = PenaltyResource & { kind: PenaltyKind };

const PENALTY_COLUMNS = `penalty_id as "penaltyId", instruction_id as "instructionId", to_char(date, 'YYYY-MM-DD') as date, counterparty_lei as "counterpartyLei",
  isin, category, failed_quantity::text as "failedQuantity", reference_price::text as "referencePrice", rate_bps::text as "rateBps",
  amount::text as amount, currency, direction, kind`;

/**
 * Each instruction's state as of the close of `$1` (a date), from its history: what had settled by
 * then (partial settlements and a settlement in full, by their effective dates), when it matched at
 * the depository (a MATCHED report, or the first settlement, by effective date), the fail last
 * reported on or before the day, the party a MATCHED report names, and the day our instruction went
 * to the custodian. A MATCHED or FAILED report without an effective date counts for every day (as
 * if dated on or before the ISD): only a dated match after the ISD is a late match. A day closed late or again sees the
 * instruction as it was that day, not as it is now.
 */
const STATE_AS_OF = `
  select bool_or(h.event = 'custodian reported SETTLED' and e.eff <= $1::date) as settled_in_full,
         coalesce(sum((h.details->>'settledQuantity')::numeric) filter (where h.event = 'custodian reported PARTIALLY_SETTLED' and e.eff <= $1::date), 0) as partly_settled,
         min(e.eff) filter (where h.event in ('custodian reported MATCHED', 'custodian reported SETTLED', 'custodian reported PARTIALLY_SETTLED')) as matched_on,
         (array_agg(h.details->>'failingParty' order by e.eff desc, h.id desc) filter (where h.event = 'custodian reported FAILED' and e.eff <= $1::date))[1] as failing_party,
         (array_agg(h.details->>'reasonCode' order by e.eff desc, h.id desc) filter (where h.event = 'custodian reported FAILED' and e.eff <= $1::date))[1] as reason_code,
         (array_agg(h.details->>'failingParty' order by e.eff, h.id) filter (where h.event = 'custodian reported MATCHED' and h.details ? 'failingParty'))[1] as late_party_reported,
         min((h.at at time zone 'UTC')::date) filter (where h.event = 'SSIs complete: instructed' or (h.event = 'created' and h.details->>'processingStatus' = 'INSTRUCTED')) as instructed_on
    from instruction_history h
    cross join lateral (select coalesce((h.details->>'effectiveDate')::date, '-infinity'::date) as eff) e
   where h.instruction_id = l.instruction_id`;

/** One fail of a day, as the fails view shows it. */
export interface FailRow {
  instructionId: string;
  day: string;
  intendedSettlementDate: string;
  settlementMarket: string;
  counterpartyLei: string;
  isin: string;
  unsettledQuantity: string;
  currency: string;
  failingParty: string | null;
  reasonCode: string | null;
  /** Matched at the depository at the day's close. */
  matched: boolean;
  /** The day's penalty, if one was raised. */
  penaltyAmount: string | null;
  penaltyDirection: string | null;
  penaltyKind: PenaltyKind | null;
  /** Penalties of the instruction up to and including the day. */
  penaltiesToDate: { pay: string; receive: string; penalties: number };
  /** The next settlement business day's penalty if the fail goes on as it is; null where none would be raised. */
  forecast: { date: string; amount: string; direction: string; rateBps: string; referencePrice: string } | null;
}

/** What the fails view needs: the next business day of each market, the rates, where penalties apply. */
export interface FailViewParameters {
  asOf: string;
  penaltyMarkets: string[];
  nextDays: { market: string; day: string }[];
  categoryRates: { category: string; effectiveFrom: string; rateBps: string }[];
  cashRates: { currency: string; effectiveFrom: string; annualPercent: string; dailyRateBps: string }[];
  minorUnits: { currency: string; units: number }[];
}

/** Fail days and CSDR penalties; the end-of-day close as set-based SQL. */
export class PenaltyRepository {
  /**
   * Closes `day` for the next `limit` candidate instructions after `after` (in id order). The
   * candidates are those due on or before the day and not settled now, and those whose settlement
   * was recorded since the day before (they may have been unsettled at the day's close). Each is
   * judged on its state as of the day (STATE_AS_OF): unsettled then, it gets a fail day (with what
   * was unsettled, the fail reported and whether it was matched), is marked FAILING if it still is
   * not settled and was not already, and where the market applies penalties:
   * - a settlement-fail penalty for the day if it was matched by then and a failing party was reported;
   * - once matched after its ISD, late-matching penalties for the business days from its ISD to the
   *   day before it matched, charged to the party that instructed last.
   * amount = quantity × the day's reference price (× 0.01 for a nominal) × rate, rounded half away
   * from zero to the minor unit (amounts are positive: half-up), the rate a category's bps / 10,000 or
   * for a lack of cash the currency's annual percent / 36,500, divided last; one that rounds to zero is
   * not raised. The unique keys make re-running it safe: a fail day or a penalty already recorded is
   * left as it is, so a day closed again never charges twice.
   */
  async closeChunk(em: EntityManager, p: CloseParameters, after: string, limit: number): Promise<CloseChunkResult> {
    const rows: { last: string | null; fail_days: number; newly_failing: string[]; penalties: AssessedPenaltyRow[] | null }[] = await em.query(
      `with candidates as (
         select instruction_id from (
           select instruction_id from instructions
            where intended_settlement_date <= $1::date and settlement_status <> 'SETTLED' and processing_status in ('INSTRUCTED', 'PENDING')
              and settlement_market = any($2::text[]) and instruction_id > $3::uuid
           union
           select su.instruction_id from status_updates su
            where su.received_at >= ($1::date - 1)::timestamp at time zone 'UTC' and su.status in ('SETTLED', 'PARTIALLY_SETTLED') and su.instruction_id > $3::uuid
              and exists (select 1 from instruction_history h
                           where h.instruction_id = su.instruction_id and h.event in ('custodian reported SETTLED', 'custodian reported PARTIALLY_SETTLED')
                             and (h.details->>'effectiveDate')::date > $1::date)
         ) c
         order by instruction_id
         limit $4),
       locked as (
         select i.instruction_id, i.isin, i.counterparty_lei, i.currency, i.csdr_category, i.price_type, i.settlement_market,
                i.intended_settlement_date as isd, i.quantity, i.settlement_status, i.failing
           from instructions i
          where i.instruction_id in (select instruction_id from candidates)
            and i.intended_settlement_date <= $1::date and i.processing_status in ('INSTRUCTED', 'PENDING') and i.settlement_market = any($2::text[])
          for update),
       due as (
         select l.*, s.matched_on, s.failing_party, s.reason_code, s.late_party_reported, s.instructed_on,
                case when s.settled_in_full then 0 else l.quantity - s.partly_settled end as unsettled,
                coalesce(s.matched_on <= $1::date, false) as matched
           from locked l cross join lateral (${STATE_AS_OF}) s),
       failing_due as (select * from due where unsettled > 0),
       recorded as (
         insert into fail_days (instruction_id, day, unsettled_quantity, failing_party, reason_code, matched)
         select instruction_id, $1::date, unsettled, failing_party, reason_code, matched from failing_due
         on conflict (instruction_id, day) do nothing
         returning 1),
       marked as (
         update instructions i set failing = true, settlement_status = 'FAILING', updated_at = now()
           from failing_due d where i.instruction_id = d.instruction_id and not d.failing and d.settlement_status <> 'SETTLED'
         returning i.instruction_id),
       category_rates as (select * from unnest($5::text[], $6::date[], $7::numeric[]) as r (category, effective_from, bps)),
       cash_rates as (select * from unnest($8::text[], $9::date[], $10::numeric[], $11::numeric[]) as c (currency, effective_from, annual, daily_bps)),
       minor as (select * from unnest($12::text[], $13::int[]) as m (currency, units)),
       assessable as (
         -- a settlement fail: matched by the day's close (an unmatched instruction is not penalised for settlement fail), a failing party reported
         select d.instruction_id, $1::date as date, d.counterparty_lei, d.isin, d.csdr_category, d.price_type, d.currency, d.unsettled as quantity,
                d.failing_party as party, coalesce(d.reason_code in ('MONY', 'CMON'), false) as cash_fail, 'SETTLEMENT_FAIL'::text as kind
           from failing_due d
          where d.matched and d.failing_party is not null and d.settlement_market = any($14::text[])
         union all
         -- a late-matching fail: each business day from the ISD to the day before it matched, on the quantity instructed (nothing settles unmatched)
         select d.instruction_id, bd.day, d.counterparty_lei, d.isin, d.csdr_category, d.price_type, d.currency, d.quantity,
                coalesce(d.late_party_reported, case when d.instructed_on < d.matched_on then 'COUNTERPARTY' else 'US' end), false, 'LATE_MATCHING'::text
           from due d
           join unnest($15::text[], $16::date[]) as bd (market, day) on bd.market = d.settlement_market and bd.day >= d.isd and bd.day < d.matched_on
          where d.matched and d.matched_on > d.isd and d.settlement_market = any($14::text[])),
       priced as (
         select a.*, price.price, m.units,
                case when a.cash_fail then cr.annual else r.bps end as numerator,
                case when a.cash_fail then 36500 else 10000 end as divisor,
                case when a.cash_fail then cr.daily_bps else r.bps end as rate_bps
           from assessable a
           join reference_prices price on price.isin = a.isin and price.date = a.date and price.currency = a.currency
           join minor m on m.currency = a.currency
           left join lateral (select bps from category_rates cr where cr.category = a.csdr_category and cr.effective_from <= a.date order by cr.effective_from desc limit 1) r on true
           left join lateral (select annual, daily_bps from cash_rates c where c.currency = a.currency and c.effective_from <= a.date order by c.effective_from desc limit 1) cr on true),
       amounts as (
         select p.*, round((p.quantity * p.price * (case when p.price_type = 'PERCENT_OF_PAR' then 0.01 else 1 end) * p.numerator) / p.divisor::numeric(40, 20), p.units) as amount
           from priced p where p.numerator is not null),
       assessed as (
         insert into penalties (instruction_id, date, counterparty_lei, isin, category, failed_quantity, reference_price, rate_bps, amount, currency, direction, kind)
         select instruction_id, date, counterparty_lei, isin, csdr_category, quantity, price, rate_bps, amount, currency,
                case party when 'US' then 'PAY' else 'RECEIVE' end, kind
           from amounts
          where amount > 0
         on conflict (instruction_id, date) do nothing
         returning ${PENALTY_COLUMNS})
       select (select instruction_id from candidates order by instruction_id desc limit 1) as last,
              (select count(*)::int from recorded) as fail_days,
              array(select instruction_id::text from marked) as newly_failing,
              (select json_agg(assessed) from assessed) as penalties`,
      [
        p.day, p.openMarkets, after, limit,
        p.categoryRates.map((r) => r.category), p.categoryRates.map((r) => r.effectiveFrom), p.categoryRates.map((r) => r.rateBps),
        p.cashRates.map((r) => r.currency), p.cashRates.map((r) => r.effectiveFrom), p.cashRates.map((r) => r.annualPercent), p.cashRates.map((r) => r.dailyRateBps),
        p.minorUnits.map((m) => m.currency), p.minorUnits.map((m) => m.units),
        p.penaltyMarkets,
        p.penaltyBusinessDays.map((d) => d.market), p.penaltyBusinessDays.map((d) => d.day),
      ],
    );
    const row = rows[0];
    return { last: row.last, failDays: row.fail_days, newlyFailing: row.newly_failing, penalties: row.penalties ?? [] };
  }

  async recordClose(em: EntityManager, day: string, by: string, totals: { newlyFailing: number; failDays: number; penalties: number }): Promise<void> {
    await em.query('insert into settlement_day_closes (day, closed_by, newly_failing, fail_days, penalties) values ($1, $2, $3, $4, $5)', [
      day, by, totals.newlyFailing, totals.failDays, totals.penalties,
    ]);
  }

  /**
   * The fails of a closed day, as the close recorded them (the state as of that day), with what they
   * cost: the day's penalty, the penalties to date (paid and received, up to and including the day),
   * and a forecast of the next settlement business day's penalty if the fail goes on unchanged (the
   * same unsettled quantity, the latest reference price on file up to the day, the rate in force on
   * the next day; none where no penalty would be raised). `page` pages by instruction id; without it,
   * every fail of the day is read (for the summary).
   */
  async fails(em: EntityManager, p: FailViewParameters, page?: { after?: string; limit: number }): Promise<FailRow[]> {
    const params: unknown[] = [
      p.asOf,
      p.penaltyMarkets,
      p.nextDays.map((d) => d.market), p.nextDays.map((d) => d.day),
      p.categoryRates.map((r) => r.category), p.categoryRates.map((r) => r.effectiveFrom), p.categoryRates.map((r) => r.rateBps),
      p.cashRates.map((r) => r.currency), p.cashRates.map((r) => r.effectiveFrom), p.cashRates.map((r) => r.annualPercent), p.cashRates.map((r) => r.dailyRateBps),
      p.minorUnits.map((m) => m.currency), p.minorUnits.map((m) => m.units),
    ];
    let paging = 'order by f.instruction_id';
    if (page !== undefined) {
      params.push(page.after ?? '00000000-0000-0000-0000-000000000000', page.limit);
      paging = `and f.instruction_id > $${params.length - 1}::uuid order by f.instruction_id limit $${params.length}`;
    }
    return em.query(
      `with category_rates as (select * from unnest($5::text[], $6::date[], $7::numeric[]) as r (category, effective_from, bps)),
            cash_rates as (select * from unnest($8::text[], $9::date[], $10::numeric[], $11::numeric[]) as c (currency, effective_from, annual, daily_bps)),
            minor as (select * from unnest($12::text[], $13::int[]) as m (currency, units)),
            fails as (
              select f.instruction_id, f.day, f.unsettled_quantity, f.failing_party, f.reason_code,
                     coalesce(f.matched, i.matching_status = 'MATCHED') as matched,
                     i.intended_settlement_date, i.settlement_market, i.counterparty_lei, i.isin, i.currency, i.csdr_category, i.price_type
                from fail_days f
                join instructions i on i.instruction_id = f.instruction_id
               where f.day = $1::date ${paging}),
            forecast as (
              select f.instruction_id, nd.day as date, lp.price, m.units,
                     case when f.reason_code in ('MONY', 'CMON') then cr.annual else r.bps end as numerator,
                     case when f.reason_code in ('MONY', 'CMON') then 36500 else 10000 end as divisor,
                     case when f.reason_code in ('MONY', 'CMON') then cr.daily_bps else r.bps end as rate_bps,
                     case f.failing_party when 'US' then 'PAY' else 'RECEIVE' end as direction
                from fails f
                join unnest($3::text[], $4::date[]) as nd (market, day) on nd.market = f.settlement_market
                join minor m on m.currency = f.currency
                join lateral (select price from reference_prices rp where rp.isin = f.isin and rp.currency = f.currency and rp.date <= $1::date order by rp.date desc limit 1) lp on true
                left join lateral (select bps from category_rates cr where cr.category = f.csdr_category and cr.effective_from <= nd.day order by cr.effective_from desc limit 1) r on true
                left join lateral (select annual, daily_bps from cash_rates c where c.currency = f.currency and c.effective_from <= nd.day order by c.effective_from desc limit 1) cr on true
               where f.matched and f.failing_party is not null and f.settlement_market = any($2::text[]) and f.unsettled_quantity > 0),
            forecast_amounts as (
              select fc.*, round((f.unsettled_quantity * fc.price * (case when f.price_type = 'PERCENT_OF_PAR' then 0.01 else 1 end) * fc.numerator) / fc.divisor::numeric(40, 20), fc.units) as amount
                from forecast fc join fails f using (instruction_id)
               where fc.numerator is not null)
       select f.instruction_id as "instructionId", to_char(f.day, 'YYYY-MM-DD') as day, to_char(f.intended_settlement_date, 'YYYY-MM-DD') as "intendedSettlementDate",
              f.settlement_market as "settlementMarket", f.counterparty_lei as "counterpartyLei", f.isin, f.unsettled_quantity::text as "unsettledQuantity",
              f.currency, f.failing_party as "failingParty", f.reason_code as "reasonCode", f.matched,
              today.amount::text as "penaltyAmount", today.direction as "penaltyDirection", today.kind as "penaltyKind",
              json_build_object('pay', coalesce(so_far.pay, 0)::text, 'receive', coalesce(so_far.receive, 0)::text, 'penalties', coalesce(so_far.penalties, 0)) as "penaltiesToDate",
              case when fa.amount > 0 then json_build_object('date', to_char(fa.date, 'YYYY-MM-DD'), 'amount', fa.amount::text, 'direction', fa.direction, 'rateBps', fa.rate_bps::text, 'referencePrice', fa.price::text) end as forecast
         from fails f
         left join penalties today on today.instruction_id = f.instruction_id and today.date = f.day
         left join lateral (
           select sum(amount) filter (where direction = 'PAY') as pay, sum(amount) filter (where direction = 'RECEIVE') as receive, count(*)::int as penalties
             from penalties p where p.instruction_id = f.instruction_id and p.date <= $1::date) so_far on true
         left join forecast_amounts fa on fa.instruction_id = f.instruction_id
        order by f.instruction_id`,
      params,
    );
  }

  async penalties(
    em: EntityManager,
    filter: { from?: string; to?: string; counterpartyLei?: string; instructionId?: string; after?: { date: string; penaltyId: string }; limit: number },
  ): Promise<PenaltyResource[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.from) add('date >= ?::date', filter.from);
    if (filter.to) add('date <= ?::date', filter.to);
    if (filter.counterpartyLei) add('counterparty_lei = ?', filter.counterpartyLei);
    if (filter.instructionId) add('instruction_id = ?::uuid', filter.instructionId);
    if (filter.after) {
      params.push(filter.after.date, filter.after.penaltyId);
      where.push(`(date, penalty_id) > ($${params.length - 1}::date, $${params.length}::uuid)`);
    }
    params.push(filter.limit);
    return em.query(`select ${PENALTY_COLUMNS} from penalties ${where.length ? `where ${where.join(' and ')}` : ''} order by date, penalty_id limit $${params.length}`, params);
  }

  /** Per counterparty and currency for one month: what we pay, what we receive, and the net. */
  async monthly(em: EntityManager, month: string): Promise<{ counterpartyLei: string; currency: string; penalties: number; pay: string; receive: string; net: string }[]> {
    return em.query(
      `select counterparty_lei as "counterpartyLei", currency, count(*)::int as penalties,
              coalesce(sum(amount) filter (where direction = 'PAY'), 0)::text as pay,
              coalesce(sum(amount) filter (where direction = 'RECEIVE'), 0)::text as receive,
              (coalesce(sum(amount) filter (where direction = 'RECEIVE'), 0) - coalesce(sum(amount) filter (where direction = 'PAY'), 0))::text as net
         from penalties
        where date >= $1::date and date < ($1::date + interval '1 month')
        group by counterparty_lei, currency
        order by counterparty_lei, currency`,
      [`${month}-01`],
    );
  }
}
