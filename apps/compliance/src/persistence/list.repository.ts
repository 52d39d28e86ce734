import type { EntityManager } from 'typeorm';
import { Decimal, toDecimalString } from '@postrade/kernel';
import type { ExposureLimitSetting, LargeTraderThresholds } from '../domain/control-change';
import { currentOrNextEntry, RESTRICTION_KINDS, type RestrictedListEntry, type RestrictionPeriod } from '../domain/restricted-list';

interface RestrictedRow {
  isin: string;
  kind: RestrictedListEntry['kind'];
  from_date: string;
  to_date: string | null;
  reason: string;
}

const toEntry = (r: RestrictedRow): RestrictedListEntry => ({ isin: r.isin, kind: r.kind, from: r.from_date, to: r.to_date, reason: r.reason });
const COLUMNS = `isin, kind, to_char(from_date, 'YYYY-MM-DD') as from_date, to_char(to_date, 'YYYY-MM-DD') as to_date, reason`;

export const limitKey = (counterpartyLei: string, currency: string): string => `${counterpartyLei}\u0000${currency}`;

/** The counterparties that have a limit in some currency, from {@link ListRepository.limitsOf}'s answer. */
export const limitedCounterparties = (limits: ReadonlyMap<string, unknown>): Set<string> => new Set([...limits.keys()].map((key) => key.split('\u0000')[0]));

/** The restricted and watch lists, exposure limits per counterparty and currency (effective-dated), and the large-trader thresholds (effective-dated). */
export class ListRepository {
  /** The ISIN's entry in force on `today` (or the next one recorded for a later date), or null; `lock` serialises changes of the ISIN. */
  async restriction(em: EntityManager, isin: string, today: string, lock = false): Promise<RestrictedListEntry | null> {
    if (lock) await em.query('select pg_advisory_xact_lock(hashtext($1))', [`restricted-list/${isin}`]);
    return currentOrNextEntry((await this.periodsOf(em, [isin])).get(isin) ?? [], today);
  }

  /** Every recorded period of the given ISINs (removals included), by ISIN, in the order they were recorded. */
  async periodsOf(em: EntityManager, isins: readonly string[]): Promise<Map<string, RestrictionPeriod[]>> {
    const rows: (RestrictedRow & { lifted: boolean })[] = await em.query(
      `select ${COLUMNS}, lifted from restricted_list where isin = any($1::text[]) order by isin, period_id`,
      [[...new Set(isins)]],
    );
    const periods = new Map<string, RestrictionPeriod[]>();
    for (const row of rows) {
      const list = periods.get(row.isin) ?? [];
      list.push({ ...toEntry(row), lifted: row.lifted });
      periods.set(row.isin, list);
    }
    return periods;
  }

  /** Records a period (nothing recorded before is changed: on a date the latest-recorded period of a kind wins). */
  async saveRestriction(em: EntityManager, entry: RestrictedListEntry): Promise<void> {
    await em.query(
      `insert into restricted_list (isin, kind, from_date, to_date, reason, updated_at, lifted) values ($1, $2, $3, $4, $5, now(), false)`,
      [entry.isin, entry.kind, entry.from, entry.to, entry.reason],
    );
  }

  /** Takes the ISIN off both lists from `from` on, by recording a removal of each kind (its earlier periods stay). */
  async deleteRestriction(em: EntityManager, isin: string, from: string, reason: string): Promise<void> {
    await em.query(
      `insert into restricted_list (isin, kind, from_date, to_date, reason, updated_at, lifted)
       select $1, kind, $2::date, null, $3, now(), true from unnest($4::text[]) as kind`,
      [isin, from, reason, [...RESTRICTION_KINDS]],
    );
  }

  /** Entries in force on `asOf` (at most one per ISIN and kind), in ISIN and kind order after the position `after`. */
  async restrictionsInForce(em: EntityManager, asOf: string, limit: number, after?: { isin: string; kind: string }): Promise<RestrictedListEntry[]> {
    const rows: RestrictedRow[] = await em.query(
      `select isin, kind, from_date, to_date, reason from (
         select distinct on (isin, kind) ${COLUMNS}, lifted from restricted_list
          where from_date <= $1 and (to_date is null or to_date >= $1) and (isin, kind) > ($2, $3)
          order by isin, kind, period_id desc
       ) latest where not lifted order by isin, kind limit $4`,
      [asOf, after?.isin ?? '', after?.kind ?? '', limit],
    );
    return rows.map(toEntry);
  }

  /** Every exposure limit in force on `date` (today) of the given counterparties, keyed by {@link limitKey}. */
  async limitsOf(em: EntityManager, counterpartyLeis: readonly string[], date: string): Promise<Map<string, Decimal>> {
    const rows: { counterparty_lei: string; currency: string; limit_amount: string }[] = await em.query(
      `select distinct on (counterparty_lei, currency) counterparty_lei, currency, limit_amount::text
         from exposure_limits where counterparty_lei = any($1::text[]) and effective_from <= $2::date
        order by counterparty_lei, currency, effective_from desc`,
      [[...new Set(counterpartyLeis)], date],
    );
    return new Map(rows.map((r) => [limitKey(r.counterparty_lei, r.currency), new Decimal(r.limit_amount)]));
  }

  /** The limit of a counterparty and currency in force on `date` (with its periods locked), or null. */
  async lockLimit(em: EntityManager, counterpartyLei: string, currency: string, date: string): Promise<ExposureLimitSetting | null> {
    const rows: { limit_amount: string; effective_from: string }[] = await em.query(
      `select limit_amount::text, to_char(effective_from, 'YYYY-MM-DD') as effective_from from exposure_limits
        where counterparty_lei = $1 and currency = $2 order by effective_from for update`,
      [counterpartyLei, currency],
    );
    const inForce = rows.filter((r) => r.effective_from <= date).pop();
    return inForce ? { counterpartyLei, currency, limit: toDecimalString(new Decimal(inForce.limit_amount)), effectiveFrom: inForce.effective_from } : null;
  }

  /** Sets the limit from its effective date on (a limit set for the same day is replaced; earlier periods stay). */
  async saveLimit(em: EntityManager, limit: ExposureLimitSetting): Promise<void> {
    await em.query(
      `insert into exposure_limits (counterparty_lei, currency, limit_amount, effective_from, updated_at) values ($1, $2, $3, $4, now())
       on conflict (counterparty_lei, currency, effective_from) do update set limit_amount = excluded.limit_amount, updated_at = now()`,
      [limit.counterpartyLei, limit.currency, limit.limit, limit.effectiveFrom],
    );
  }

  /** Every period of the large-trader thresholds (few: one per change). */
  async largeTraderThresholds(em: EntityManager, lock = false): Promise<LargeTraderThresholds[]> {
    const rows: { shares: string; usd_notional: string; effective_from: string }[] = await em.query(
      `select shares::text, usd_notional::text, to_char(effective_from, 'YYYY-MM-DD') as effective_from from large_trader_thresholds order by effective_from ${lock ? 'for update' : ''}`,
    );
    return rows.map((r) => ({ shares: r.shares, usdNotional: r.usd_notional, effectiveFrom: r.effective_from }));
  }

  async saveLargeTraderThresholds(em: EntityManager, thresholds: LargeTraderThresholds): Promise<void> {
    await em.query(
      `insert into large_trader_thresholds (effective_from, shares, usd_notional, updated_at) values ($1, $2, $3, now())
       on conflict (effective_from) do update set shares = excluded.shares, usd_notional = excluded.usd_notional, updated_at = now()`,
      [thresholds.effectiveFrom, thresholds.shares, thresholds.usdNotional],
    );
  }
}
