import type { EntityManager } from 'typeorm';
import type { CsdrCategory } from '@postrade/contracts';
import type { PenaltyRate } from '../domain/penalty';

export interface ReferencePrice {
  isin: string;
  date: string;
  price: string;
  currency: string;
}

/** Settlement's own reference data: netting agreements, penalty rates, reference prices. */
export class ReferenceRepository {
  /** Which of these counterparties net their trades with us, in one query. */
  async nettingEnabledFor(em: EntityManager, counterpartyLeis: readonly string[]): Promise<Set<string>> {
    if (counterpartyLeis.length === 0) return new Set();
    const rows: { counterparty_lei: string }[] = await em.query('select counterparty_lei from netting_agreements where counterparty_lei = any($1::text[]) and enabled', [
      [...new Set(counterpartyLeis)],
    ]);
    return new Set(rows.map((r) => r.counterparty_lei));
  }

  async saveNettingAgreement(em: EntityManager, counterpartyLei: string, enabled: boolean): Promise<void> {
    await em.query(
      `insert into netting_agreements (counterparty_lei, enabled) values ($1, $2)
       on conflict (counterparty_lei) do update set enabled = $2, updated_at = now()`,
      [counterpartyLei, enabled],
    );
  }

  async penaltyRates(em: EntityManager): Promise<PenaltyRate[]> {
    return em.query(`select category, to_char(effective_from, 'YYYY-MM-DD') as "effectiveFrom", rate_bps::text as "rateBps" from penalty_rates order by category, effective_from`);
  }

  async savePenaltyRate(em: EntityManager, category: CsdrCategory, effectiveFrom: string, rateBps: string): Promise<void> {
    await em.query(
      `insert into penalty_rates (category, effective_from, rate_bps) values ($1, $2, $3)
       on conflict (category, effective_from) do update set rate_bps = $3`,
      [category, effectiveFrom, rateBps],
    );
  }

  async saveReferencePrice(em: EntityManager, price: ReferencePrice): Promise<void> {
    await em.query(
      `insert into reference_prices (isin, date, price, currency) values ($1, $2, $3, $4)
       on conflict (isin, date) do update set price = $3, currency = $4`,
      [price.isin, price.date, price.price, price.currency],
    );
  }

  async referencePrice(em: EntityManager, isin: string, date: string): Promise<ReferencePrice | null> {
    const rows: ReferencePrice[] = await em.query(
      `select isin, to_char(date, 'YYYY-MM-DD') as date, price::text as price, currency from reference_prices where isin = $1 and date = $2`,
      [isin, date],
    );
    return rows[0] ?? null;
  }
}
