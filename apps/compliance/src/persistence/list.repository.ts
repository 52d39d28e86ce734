import type { EntityManager } from 'typeorm';
import { Decimal, toDecimalString } from '@postrade/kernel';
import type { ExposureLimitSetting, LargeTraderThresholds } from '../domain/control-change';
import type { RestrictedListEntry } from '../domain/restricted-list';

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
  async restriction(em: EntityManager, isin: string, lock = false): Promise<RestrictedListEntry | null> {
    const rows: RestrictedRow[] = await em.query(`select ${COLUMNS} from restricted_list where isin = $1 ${lock ? 'for update' : ''}`, [isin]);
    return rows[0] ? toEntry(rows[0]) : null;
  }

  /** The restricted/watch-list entries of the given ISINs, by ISIN. */
  async restrictionsOf(em: EntityManager, isins: readonly string[]): Promise<Map<string, RestrictedListEntry>> {
    const rows: RestrictedRow[] = await em.query(`select ${COLUMNS} from restricted_list where isin = any($1::text[])`, [[...new Set(isins)]]);
    return new Map(rows.map((r) => [r.isin, toEntry(r)]));
  }

  async saveRestriction(em: EntityManager, entry: RestrictedListEntry): Promise<void> {
    await em.query(
      `insert into restricted_list (isin, kind, from_date, to_date, reason, updated_at) values ($1, $2, $3, $4, $5, now())
       on conflict (isin) do update set kind = excluded.kind, from_date = excluded.from_date, to_date = excluded.to_date,
         reason = excluded.reason, updated_at = now()`,
      [entry.isin, entry.kind, entry.from, entry.to, entry.reason],
    );
  }

  async deleteRestriction(em: EntityManager, isin: string): Promise<void> {
    await em.query('delete from restricted_list where isin = $1', [isin]);
  }

  /** Entries in force on `asOf`, in ISIN order after `afterIsin`. */
  async restrictionsInForce(em: EntityManager, asOf: string, limit: number, afterIsin?: string): Promise<RestrictedListEntry[]> {
    const rows: RestrictedRow[] = await em.query(
      `select ${COLUMNS} from restricted_list
       where from_date <= $1 and (to_date is null or to_date >= $1) and isin > $2 order by isin limit $3`,
      [asOf, afterIsin ?? '', limit],
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
