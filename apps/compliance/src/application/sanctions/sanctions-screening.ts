import type { EntityManager } from 'typeorm';
import type { ListedSanctionsMatch } from '../../domain/compliance-checks';
import { SanctionsIndex } from '../../domain/sanctions/sanctions-index';
import { stillCovers } from '../../domain/sanctions/sanctions-reviews';
import type { ScreenedCounterparty } from '../../domain/screened-trade';
import type { SanctionsListVersion, SanctionsRepository, StoredSanctionsHit } from '../../persistence/sanctions.repository';
import type { SanctionsReviewRepository } from '../../persistence/sanctions-review.repository';

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
    private readonly reviews?: SanctionsReviewRepository,
  ) {}

  /**
   * The counterparty's hits on every loaded list (`lists`: the loaded versions, when the caller has read them). A hit that an approved false-positive decision
   * still covers (the counterparty's names and the entry unchanged) carries `suppressedBy`.
   */
  async screen(em: EntityManager, counterparty: ScreenedCounterparty, lists?: readonly SanctionsListVersion[]): Promise<ListedSanctionsMatch[]> {
    const matches: ListedSanctionsMatch[] = [];
    let decisions: Awaited<ReturnType<SanctionsReviewRepository['approvedFalsePositives']>> | undefined;
    // A batch screening many counterparties reads the loaded versions once and passes them.
    for (const list of lists ?? (await this.lists.versions(em))) {
      const index = await this.indexOf(em, list);
      for (const match of index.screen([counterparty.name, ...counterparty.aliases], this.threshold)) {
        decisions ??= this.reviews ? await this.reviews.approvedFalsePositives(em, [counterparty.lei]) : new Map();
        const entry = index.entry(match.entryId);
        const covering = (decisions.get(counterparty.lei) ?? []).find((d) => d.source === list.source && d.entryId === match.entryId && entry !== undefined && stillCovers(d, counterparty, entry));
        matches.push({ ...match, source: list.source, listVersion: list.version, ...(covering ? { suppressedBy: covering.falsePositiveId } : {}) });
      }
    }
    return matches;
  }

  /** The current version of a loaded list, and its entry of this id (null when the source or entry is not loaded). */
  async currentEntry(em: EntityManager, source: string, entryId: string): Promise<{ list: SanctionsListVersion; entry: ReturnType<SanctionsIndex['entry']> } | null> {
    const list = (await this.lists.versions(em)).find((l) => l.source === source);
    if (list === undefined) return null;
    return { list, entry: (await this.indexOf(em, list)).entry(entryId) };
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

/** The hits to record for the counterparty: those no false-positive decision covers. */
export function hitsOf(matches: readonly ListedSanctionsMatch[]): StoredSanctionsHit[] {
  return matches.filter((m) => m.suppressedBy === undefined).map((m) => ({
    source: m.source,
    entryId: m.entryId,
    listVersion: m.listVersion,
    score: m.score.toFixed(2),
    matchedName: m.matchedName,
    screenedName: m.screenedName,
  }));
}
