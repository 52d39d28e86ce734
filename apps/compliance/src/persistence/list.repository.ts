import type { EntityManager } from 'typeorm';
import { Decimal } from '@postrade/kernel';
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

/** The restricted and watch lists, and exposure limits per counterparty and currency. */
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

  async limit(em: EntityManager, counterpartyLei: string, currency: string): Promise<Decimal | null> {
    const rows: { limit_amount: string }[] = await em.query(
      'select limit_amount::text from exposure_limits where counterparty_lei = $1 and currency = $2',
      [counterpartyLei, currency],
    );
    return rows[0] ? new Decimal(rows[0].limit_amount) : null;
  }

  /** Every exposure limit of the given counterparties, keyed by {@link limitKey}. */
  async limitsOf(em: EntityManager, counterpartyLeis: readonly string[]): Promise<Map<string, Decimal>> {
    const rows: { counterparty_lei: string; currency: string; limit_amount: string }[] = await em.query(
      'select counterparty_lei, currency, limit_amount::text from exposure_limits where counterparty_lei = any($1::text[])',
      [[...new Set(counterpartyLeis)]],
    );
    return new Map(rows.map((r) => [limitKey(r.counterparty_lei, r.currency), new Decimal(r.limit_amount)]));
  }

  async lockLimit(em: EntityManager, counterpartyLei: string, currency: string): Promise<Decimal | null> {
    const rows: { limit_amount: string }[] = await em.query(
      'select limit_amount::text from exposure_limits where counterparty_lei = $1 and currency = $2 for update',
      [counterpartyLei, currency],
    );
    return rows[0] ? new Decimal(rows[0].limit_amount) : null;
  }

  async saveLimit(em: EntityManager, counterpartyLei: string, currency: string, limit: Decimal): Promise<void> {
    await em.query(
      `insert into exposure_limits (counterparty_lei, currency, limit_amount, updated_at) values ($1, $2, $3, now())
       on conflict (counterparty_lei, currency) do update set limit_amount = excluded.limit_amount, updated_at = now()`,
      [counterpartyLei, currency, limit.toFixed()],
    );
  }
}
