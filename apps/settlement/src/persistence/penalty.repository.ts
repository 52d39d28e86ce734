import type { EntityManager } from 'typeorm';
import type { PenaltyResource } from '@postrade/contracts';

/** What one day's close needs beyond the instructions: the day's rates and where penalties apply. */
export interface CloseParameters {
  day: string;
  /** Markets for which `day` is a settlement business day: only their instructions fail on it. */
  openMarkets: string[];
  /** Markets where CSDR-style penalties apply. */
  penaltyMarkets: string[];
  categoryRates: { category: string; rateBps: string }[];
  cashRates: { currency: string; rateBps: string }[];
  minorUnits: { currency: string; units: number }[];
}

export interface CloseChunkResult {
  /** The last instruction id of the chunk, to continue after; null when there was nothing left. */
  last: string | null;
  failDays: number;
  newlyFailing: string[];
  penalties: PenaltyResource[];
}

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
  penaltyAmount: string | null;
  penaltyDirection: string | null;
}

const PENALTY_COLUMNS = `penalty_id as "penaltyId", instruction_id as "instructionId", to_char(date, 'YYYY-MM-DD') as date, counterparty_lei as "counterpartyLei",
  isin, category, failed_quantity::text as "failedQuantity", reference_price::text as "referencePrice", rate_bps::text as "rateBps",
  amount::text as amount, currency, direction`;

/** Fail days and CSDR penalties; the end-of-day close as set-based SQL. */
export class PenaltyRepository {
  /**
   * Closes `day` for the next `limit` due instructions after `after` (in id order): records a fail
   * day for each, marks the newly failing ones FAILING, and assesses the day's penalty where it can
   * be (a failing party is known, the instrument's category and the day's reference price in the
   * instruction's currency are on file, the market applies penalties). The unique keys make re-running it safe: a fail day or a
   * penalty already recorded is left as it is. The amount is the domain formula of `penaltyAmount`:
   * quantity × price (× 0.01 for a nominal) × rate × 0.0001, rounded half away from zero.
   */
  async closeChunk(em: EntityManager, p: CloseParameters, after: string, limit: number): Promise<CloseChunkResult> {
    const rows: { last: string | null; fail_days: number; newly_failing: string[]; penalties: PenaltyResource[] | null }[] = await em.query(
      `with due as (
         select instruction_id, isin, counterparty_lei, currency, csdr_category, price_type, settlement_market,
                quantity - settled_quantity as unsettled, failing_party, fail_reason_code, failing, matching_status
           from instructions
          where intended_settlement_date <= $1::date and processing_status in ('INSTRUCTED', 'PENDING') and settlement_status <> 'SETTLED'
            and settlement_market = any($2::text[]) and instruction_id > $3::uuid
          order by instruction_id
          limit $4
          for update),
       recorded as (
         insert into fail_days (instruction_id, day, unsettled_quantity, failing_party, reason_code)
         select instruction_id, $1::date, unsettled, failing_party, fail_reason_code from due
         on conflict (instruction_id, day) do nothing
         returning 1),
       marked as (
         update instructions i set failing = true, settlement_status = 'FAILING', updated_at = now()
           from due where i.instruction_id = due.instruction_id and not due.failing
         returning i.instruction_id),
       assessed as (
         insert into penalties (instruction_id, date, counterparty_lei, isin, category, failed_quantity, reference_price, rate_bps, amount, currency, direction)
         select due.instruction_id, $1::date, due.counterparty_lei, due.isin, due.csdr_category, due.unsettled, price.price, rate.bps,
                round(due.unsettled * price.price * (case when due.price_type = 'PERCENT_OF_PAR' then 0.01 else 1 end) * rate.bps * 0.0001, minor.units),
                due.currency, case due.failing_party when 'US' then 'PAY' else 'RECEIVE' end
           from due
           join reference_prices price on price.isin = due.isin and price.date = $1::date and price.currency = due.currency
           join unnest($5::text[], $6::numeric[]) as category_rate (category, bps) on category_rate.category = due.csdr_category
           left join unnest($7::text[], $8::numeric[]) as cash_rate (currency, bps) on cash_rate.currency = due.currency
           join unnest($9::text[], $10::int[]) as minor (currency, units) on minor.currency = due.currency
           cross join lateral (select case when due.fail_reason_code in ('MONY', 'CMON') then cash_rate.bps else category_rate.bps end as bps) rate
          -- an instruction still unmatched at the depository is not penalised for a settlement fail
          where due.failing_party is not null and due.matching_status = 'MATCHED' and due.settlement_market = any($11::text[]) and rate.bps is not null and due.unsettled > 0
         on conflict (instruction_id, date) do nothing
         returning ${PENALTY_COLUMNS})
       select (select instruction_id from due order by instruction_id desc limit 1) as last,
              (select count(*)::int from recorded) as fail_days,
              array(select instruction_id::text from marked) as newly_failing,
              (select json_agg(assessed) from assessed) as penalties`,
      [
        p.day, p.openMarkets, after, limit,
        p.categoryRates.map((r) => r.category), p.categoryRates.map((r) => r.rateBps),
        p.cashRates.map((r) => r.currency), p.cashRates.map((r) => r.rateBps),
        p.minorUnits.map((m) => m.currency), p.minorUnits.map((m) => m.units),
        p.penaltyMarkets,
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

  async fails(em: EntityManager, day: string, after: string | undefined, limit: number): Promise<FailRow[]> {
    return em.query(
      `select f.instruction_id as "instructionId", to_char(f.day, 'YYYY-MM-DD') as day, to_char(i.intended_settlement_date, 'YYYY-MM-DD') as "intendedSettlementDate",
              i.settlement_market as "settlementMarket", i.counterparty_lei as "counterpartyLei", i.isin, f.unsettled_quantity::text as "unsettledQuantity",
              i.currency, f.failing_party as "failingParty", f.reason_code as "reasonCode", p.amount::text as "penaltyAmount", p.direction as "penaltyDirection"
         from fail_days f
         join instructions i on i.instruction_id = f.instruction_id
         left join penalties p on p.instruction_id = f.instruction_id and p.date = f.day
        where f.day = $1::date and f.instruction_id > $2::uuid
        order by f.instruction_id limit $3`,
      [day, after ?? '00000000-0000-0000-0000-000000000000', limit],
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
