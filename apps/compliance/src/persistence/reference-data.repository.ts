import type { EntityManager } from 'typeorm';
import type { ScreenedCounterparty } from '../domain/screened-trade';

/** Compliance's copy of the counterparties, our legal entities and instruments that trade-capture publishes. */
export class ReferenceDataRepository {
  /** Upserts a counterparty. Aliases are kept when `aliases` is undefined (a trade carries none). */
  async saveCounterparty(em: EntityManager, lei: string, name: string, aliases: string[] | undefined): Promise<void> {
    await em.query(
      `insert into counterparties (lei, name, aliases, updated_at) values ($1, $2, coalesce($3::text[], '{}'), now())
       on conflict (lei) do update set name = excluded.name, aliases = coalesce($3::text[], counterparties.aliases), updated_at = now()`,
      [lei, name, aliases ?? null],
    );
  }

  async counterparty(em: EntityManager, lei: string): Promise<ScreenedCounterparty | null> {
    const rows: { lei: string; name: string; aliases: string[] }[] = await em.query('select lei, name, aliases from counterparties where lei = $1', [lei]);
    return rows[0] ?? null;
  }

  /**
   * Stores the parties a batch of trades names that compliance has not heard of yet, in LEI order.
   * A party already on file is left alone: its name changes arrive as reference-data events, and a
   * trade event that rewrote it would lock the same few rows (one legal entity, a few hundred
   * counterparties) from every batch of every partition.
   */
  async addMissingParties(em: EntityManager, counterparties: readonly { lei: string; name: string }[], legalEntities: readonly { lei: string; name: string }[]): Promise<void> {
    for (const [table, parties] of [['counterparties', counterparties], ['our_legal_entities', legalEntities]] as const) {
      const byLei = [...new Map(parties.map((p) => [p.lei, p])).values()].sort((a, b) => (a.lei < b.lei ? -1 : a.lei > b.lei ? 1 : 0));
      if (byLei.length === 0) continue;
      await em.query(
        `insert into ${table} (lei, name, updated_at)
         select p.lei, p.name, now() from unnest($1::text[], $2::text[]) with ordinality as p(lei, name, ord)
          where not exists (select 1 from ${table} t where t.lei = p.lei)
          order by p.ord
         on conflict (lei) do nothing`,
        [byLei.map((p) => p.lei), byLei.map((p) => p.name)],
      );
    }
  }

  /**
   * Locks the counterparties a batch screens, in LEI order: those with an exposure limit (`exclusive`) exclusively
   * (their exposure checks run one batch at a time), the others shared (batches never wait for each
   * other on them; only a name change, which re-screens their open trades, waits for the batch).
   * A counterparty is always in the same group, so every batch takes its locks in the same order.
   */
  async lockForScreening(em: EntityManager, leis: readonly string[], exclusive: ReadonlySet<string>): Promise<Map<string, ScreenedCounterparty>> {
    const unique = [...new Set(leis)];
    const rows: ScreenedCounterparty[] = [
      ...(await em.query('select lei, name, aliases from counterparties where lei = any($1::text[]) order by lei for update', [[...exclusive]])),
      ...(await em.query('select lei, name, aliases from counterparties where lei = any($1::text[]) order by lei for share', [unique.filter((l) => !exclusive.has(l))])),
    ];
    return new Map(rows.map((r) => [r.lei, r]));
  }

  /** Locks the counterparty: exposure checks and re-screening of one counterparty run one at a time. */
  async lockCounterparty(em: EntityManager, lei: string): Promise<ScreenedCounterparty | null> {
    const rows: ScreenedCounterparty[] = await em.query('select lei, name, aliases from counterparties where lei = $1 for update', [lei]);
    return rows[0] ?? null;
  }

  /** Counterparties in LEI order after `afterLei`, a page at a time. */
  async counterpartiesAfter(em: EntityManager, afterLei: string, limit: number): Promise<ScreenedCounterparty[]> {
    return em.query('select lei, name, aliases from counterparties where lei > $1 order by lei limit $2', [afterLei, limit]);
  }

  async saveLegalEntity(em: EntityManager, lei: string, name: string): Promise<void> {
    await em.query(
      `insert into our_legal_entities (lei, name, updated_at) values ($1, $2, now())
       on conflict (lei) do update set name = excluded.name, updated_at = now()`,
      [lei, name],
    );
  }

  /** Our own legal entities' LEIs (a handful of rows). */
  async ourLegalEntityLeis(em: EntityManager): Promise<Set<string>> {
    const rows: { lei: string }[] = await em.query('select lei from our_legal_entities');
    return new Set(rows.map((r) => r.lei));
  }

  async saveInstrument(em: EntityManager, isin: string, assetClass: string): Promise<void> {
    await em.query(
      `insert into instruments (isin, asset_class, updated_at) values ($1, $2, now())
       on conflict (isin) do update set asset_class = excluded.asset_class, updated_at = now()`,
      [isin, assetClass],
    );
  }

  /** The asset class of each ISIN compliance has heard of. */
  async assetClassesOf(em: EntityManager, isins: readonly string[]): Promise<Map<string, string>> {
    if (isins.length === 0) return new Map();
    const rows: { isin: string; asset_class: string }[] = await em.query('select isin, asset_class from instruments where isin = any($1::text[])', [[...new Set(isins)]]);
    return new Map(rows.map((r) => [r.isin, r.asset_class]));
  }
}
