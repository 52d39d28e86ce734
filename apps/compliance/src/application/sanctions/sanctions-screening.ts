import type { EntityManager } from 'typeorm';
import type { ListedSanctionsMatch } from '../../domain/compliance-checks';
import { SanctionsIndex } from '../../domain/sanctions/sanctions-index';
import type { ScreenedCounterparty } from '../../domain/screened-trade';
import type { SanctionsListVersion, SanctionsRepository, StoredSanctionsHit } from '../../persistence/sanctions.repository';

/**
 * Screens counterparties against every loaded sanctions list. Each list's index is built once per
 * loaded version and kept in memory; a version loaded by another instance is picked up on the
 * next screening, since the versions are read from the database each time.
 */
export class SanctionsScreening {
  private readonly indexes = new Map<string, { loaded: string; index: SanctionsIndex }>();

  constructor(
    private readonly lists: SanctionsRepository,
    readonly threshold: number,
  ) {}

  async screen(em: EntityManager, counterparty: ScreenedCounterparty): Promise<ListedSanctionsMatch[]> {
    const matches: ListedSanctionsMatch[] = [];
    for (const list of await this.lists.versions(em)) {
      const index = await this.indexOf(em, list);
      for (const match of index.screen([counterparty.name, ...counterparty.aliases], this.threshold)) {
        matches.push({ ...match, source: list.source, listVersion: list.version });
      }
    }
    return matches;
  }

  /** Keeps the index of a version just loaded, so the re-screening that follows does not rebuild it. */
  remember(list: SanctionsListVersion, index: SanctionsIndex): void {
    this.indexes.set(list.source, { loaded: loadedKey(list), index });
  }

  private async indexOf(em: EntityManager, list: SanctionsListVersion): Promise<SanctionsIndex> {
    const cached = this.indexes.get(list.source);
    if (cached?.loaded === loadedKey(list)) return cached.index;
    const index = SanctionsIndex.of(await this.lists.entries(em, list.source));
    this.remember(list, index);
    return index;
  }
}

function loadedKey(list: SanctionsListVersion): string {
  return `${list.version}@${list.loadedAt}`;
}

export function hitsOf(matches: readonly ListedSanctionsMatch[]): StoredSanctionsHit[] {
  return matches.map((m) => ({
    source: m.source,
    entryId: m.entryId,
    listVersion: m.listVersion,
    score: m.score.toFixed(2),
    matchedName: m.matchedName,
    screenedName: m.screenedName,
  }));
}
