import type { EntityManager } from 'typeorm';
import type { SanctionsEntry } from '../domain/sanctions/sanctions-index';

export interface SanctionsListVersion {
  source: string;
  version: string;
  loadedAt: string;
  loadedBy: string;
  entryCount: number;
}

export interface StoredSanctionsHit {
  source: string;
  entryId: string;
  listVersion: string;
  score: string;
  matchedName: string;
  screenedName: string;
}

/** Loaded sanctions lists (one current version per source) and the hits found per counterparty. */
export class SanctionsRepository {
  async versions(em: EntityManager): Promise<SanctionsListVersion[]> {
    const rows: { source: string; version: string; loaded_at: Date; loaded_by: string; entry_count: number }[] = await em.query(
      'select source, version, loaded_at, loaded_by, entry_count from sanctions_lists order by source',
    );
    return rows.map((r) => ({ source: r.source, version: r.version, loadedAt: r.loaded_at.toISOString(), loadedBy: r.loaded_by, entryCount: r.entry_count }));
  }

  async lockVersion(em: EntityManager, source: string): Promise<SanctionsListVersion | null> {
    const rows: { source: string; version: string; loaded_at: Date; loaded_by: string; entry_count: number }[] = await em.query(
      'select source, version, loaded_at, loaded_by, entry_count from sanctions_lists where source = $1 for update',
      [source],
    );
    const r = rows[0];
    return r ? { source: r.source, version: r.version, loadedAt: r.loaded_at.toISOString(), loadedBy: r.loaded_by, entryCount: r.entry_count } : null;
  }

  async entries(em: EntityManager, source: string): Promise<SanctionsEntry[]> {
    return em.query('select entry_id as id, name, aliases, program, country from sanctions_entries where source = $1 order by entry_id', [source]);
  }

  /** Replaces the source's entries with a new version's. */
  async replace(em: EntityManager, list: SanctionsListVersion, entries: readonly SanctionsEntry[]): Promise<void> {
    await em.query(
      `insert into sanctions_lists (source, version, loaded_at, loaded_by, entry_count) values ($1, $2, $3, $4, $5)
       on conflict (source) do update set version = excluded.version, loaded_at = excluded.loaded_at, loaded_by = excluded.loaded_by,
         entry_count = excluded.entry_count`,
      [list.source, list.version, list.loadedAt, list.loadedBy, list.entryCount],
    );
    await em.query('delete from sanctions_entries where source = $1', [list.source]);
    for (let start = 0; start < entries.length; start += 5000) {
      const chunk = entries.slice(start, start + 5000);
      await em.query(
        `insert into sanctions_entries (source, entry_id, name, aliases, program, country)
         select $1, e.id, e.name, coalesce(array(select jsonb_array_elements_text(e.aliases)), '{}'), e.program, e.country
         from jsonb_to_recordset($2::jsonb) as e(id text, name text, aliases jsonb, program text, country text)`,
        [list.source, JSON.stringify(chunk)],
      );
    }
  }

  async entryIds(em: EntityManager, source: string): Promise<string[]> {
    const rows: { entry_id: string }[] = await em.query('select entry_id from sanctions_entries where source = $1', [source]);
    return rows.map((r) => r.entry_id);
  }

  /** Forgets a recorded hit (a false-positive decision now covers it): should the decision lapse, the hit is new again. */
  async deleteHit(em: EntityManager, counterpartyLei: string, source: string, entryId: string): Promise<void> {
    await em.query('delete from sanctions_hits where counterparty_lei = $1 and source = $2 and entry_id = $3', [counterpartyLei, source, entryId]);
  }

  async hitsOf(em: EntityManager, counterpartyLei: string): Promise<StoredSanctionsHit[]> {
    const rows: { source: string; entry_id: string; list_version: string; score: string; matched_name: string; screened_name: string }[] = await em.query(
      'select source, entry_id, list_version, score::text, matched_name, screened_name from sanctions_hits where counterparty_lei = $1',
      [counterpartyLei],
    );
    return rows.map((r) => ({ source: r.source, entryId: r.entry_id, listVersion: r.list_version, score: r.score, matchedName: r.matched_name, screenedName: r.screened_name }));
  }

  /** The recorded hits of several counterparties, by LEI (a counterparty without hits is absent). */
  async hitsOfMany(em: EntityManager, counterpartyLeis: readonly string[]): Promise<Map<string, StoredSanctionsHit[]>> {
    const rows: { counterparty_lei: string; source: string; entry_id: string; list_version: string; score: string; matched_name: string; screened_name: string }[] = await em.query(
      'select counterparty_lei, source, entry_id, list_version, score::text, matched_name, screened_name from sanctions_hits where counterparty_lei = any($1::text[])',
      [[...new Set(counterpartyLeis)]],
    );
    const hits = new Map<string, StoredSanctionsHit[]>();
    for (const r of rows) {
      const list = hits.get(r.counterparty_lei) ?? [];
      list.push({ source: r.source, entryId: r.entry_id, listVersion: r.list_version, score: r.score, matchedName: r.matched_name, screenedName: r.screened_name });
      hits.set(r.counterparty_lei, list);
    }
    return hits;
  }

  /** Replaces the counterparty's recorded hits with those of its latest screening. */
  async replaceHits(em: EntityManager, counterpartyLei: string, hits: readonly StoredSanctionsHit[], at: string): Promise<void> {
    await em.query('delete from sanctions_hits where counterparty_lei = $1', [counterpartyLei]);
    if (hits.length === 0) return;
    await em.query(
      `insert into sanctions_hits (counterparty_lei, source, entry_id, list_version, score, matched_name, screened_name, found_at)
       select $1, h.source, h."entryId", h."listVersion", h.score::numeric, h."matchedName", h."screenedName", $3
       from jsonb_to_recordset($2::jsonb) as h(source text, "entryId" text, "listVersion" text, score text, "matchedName" text, "screenedName" text)`,
      [counterpartyLei, JSON.stringify(hits), at],
    );
  }
}
