import type { AuditEntry, AuditTrail, TransactionRunner } from '@postrade/persistence';
import { DomainError } from '@postrade/kernel';
import { SanctionsIndex, type SanctionsEntry } from '../../domain/sanctions/sanctions-index';
import type { ReferenceDataRepository } from '../../persistence/reference-data.repository';
import type { SanctionsListVersion, SanctionsRepository } from '../../persistence/sanctions.repository';
import type { CounterpartyRescreening } from './rescreen-counterparty';
import type { SanctionsScreening } from './sanctions-screening';

export interface LoadSanctionsListCommand {
  source: string;
  version: string;
  entries: SanctionsEntry[];
}

export interface SanctionsListLoaded {
  source: string;
  version: string;
  entryCount: number;
  /** False when this version of the source was already loaded: nothing changed. */
  loaded: boolean;
  counterpartiesScreened: number;
  newHits: { counterpartyLei: string; entryId: string; matchedName: string; screenedName: string; score: number }[];
  heldTradeIds: string[];
}

const PAGE = 500;

/**
 * Loads a version of a sanctions list, replacing the source's previous version, and re-screens
 * every known counterparty against it in the same transaction: a new hit holds that
 * counterparty's open trades. Loading the version already loaded changes nothing.
 */
export class LoadSanctionsListHandler {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly sanctions: SanctionsRepository,
    private readonly referenceData: ReferenceDataRepository,
    private readonly screening: SanctionsScreening,
    private readonly rescreening: CounterpartyRescreening,
    private readonly audit: AuditTrail,
    private readonly now: () => Date = () => new Date(),
  ) {}

  execute(command: LoadSanctionsListCommand, actor: string): Promise<SanctionsListLoaded> {
    const ids = new Set<string>();
    command.entries.forEach((entry, i) => {
      if (ids.has(entry.id)) throw DomainError.invalid(`entries[${i}].id`, `"${entry.id}" appears twice in the list`);
      ids.add(entry.id);
    });
    return this.tx.run(async (em) => {
      const previous = await this.sanctions.lockVersion(em, command.source);
      const result: SanctionsListLoaded = {
        source: command.source,
        version: command.version,
        entryCount: command.entries.length,
        loaded: false,
        counterpartiesScreened: 0,
        newHits: [],
        heldTradeIds: [],
      };
      if (previous?.version === command.version) return { ...result, entryCount: previous.entryCount };

      const list: SanctionsListVersion = { source: command.source, version: command.version, loadedAt: this.now().toISOString(), loadedBy: actor, entryCount: command.entries.length };
      await this.sanctions.replace(em, list, command.entries);
      this.screening.remember(list, SanctionsIndex.of(command.entries));

      const audit: AuditEntry[] = [];
      let after = '';
      for (;;) {
        const page = await this.referenceData.counterpartiesAfter(em, after, PAGE);
        for (const { lei } of page) {
          const counterparty = (await this.referenceData.lockCounterparty(em, lei))!;
          const rescreened = await this.rescreening.rescreen(em, counterparty, actor);
          result.counterpartiesScreened++;
          result.newHits.push(
            ...rescreened.newHits.map((hit) => ({ counterpartyLei: lei, entryId: hit.entryId, matchedName: hit.matchedName, screenedName: hit.screenedName, score: hit.score })),
          );
          result.heldTradeIds.push(...rescreened.heldTradeIds);
          audit.push(...rescreened.audit);
        }
        if (page.length < PAGE) break;
        after = page[page.length - 1].lei;
      }
      const summary = { ...result, loaded: true };
      audit.unshift({
        actor,
        action: 'sanctions-list.loaded',
        entityType: 'sanctions-list',
        entityId: command.source,
        before: previous,
        after: { ...list, counterpartiesScreened: summary.counterpartiesScreened, newHits: summary.newHits.length, heldTradeIds: summary.heldTradeIds },
      });
      await this.audit.record(em, audit);
      return summary;
    });
  }
}
