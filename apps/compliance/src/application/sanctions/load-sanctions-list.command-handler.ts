import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AuditEntry, AuditTrail, TransactionRunner } from '@postrade/persistence';
import { DomainError } from '@postrade/kernel';
import { decideReview, removalOf, type PendingSanctionsListLoad } from '../../domain/sanctions/sanctions-reviews';
import { SanctionsIndex, type SanctionsEntry } from '../../domain/sanctions/sanctions-index';
import type { ReferenceDataRepository } from '../../persistence/reference-data.repository';
import type { SanctionsListVersion, SanctionsRepository } from '../../persistence/sanctions.repository';
import type { SanctionsReviewRepository } from '../../persistence/sanctions-review.repository';
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

/** A load held for a supervisor's approval (202): it would remove too many current entries. */
export interface SanctionsListLoadPending {
  pending: PendingSanctionsListLoad;
}

/** The default share of a source's current entries a new version may remove without a supervisor (10 %). */
export const DEFAULT_LIST_REMOVAL_APPROVAL_SHARE = 0.1;

const PAGE = 500;

/**
 * Loads a version of a sanctions list, replacing the source's previous version, and re-screens
 * every known counterparty against it in the same transaction: a new hit holds that
 * counterparty's open trades. Loading the version already loaded changes nothing. A version that
 * would remove more than `removalApprovalShare` of the current entries (an empty list included) is
 * stored as pending instead, and becomes current only when a supervisor other than the loader
 * approves it (and the current version is still the one it was compared with).
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
    private readonly reviews?: SanctionsReviewRepository,
    private readonly removalApprovalShare = DEFAULT_LIST_REMOVAL_APPROVAL_SHARE,
  ) {}

  execute(command: LoadSanctionsListCommand, actor: string): Promise<SanctionsListLoaded | SanctionsListLoadPending> {
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
      if (previous !== null && this.reviews !== undefined) {
        const currentIds = await this.sanctions.entryIds(em, command.source);
        const { removed, needsApproval } = removalOf(currentIds, command.entries, this.removalApprovalShare);
        if (needsApproval) {
          const pending: PendingSanctionsListLoad = {
            loadId: randomUUID(),
            source: command.source,
            version: command.version,
            entryCount: command.entries.length,
            currentVersion: previous.version,
            currentCount: currentIds.length,
            removedCount: removed,
            proposedBy: actor,
            proposedAt: this.now().toISOString(),
            status: 'PENDING',
            decidedBy: null,
            decidedAt: null,
          };
          await this.reviews.insertLoad(em, pending, command.entries);
          await this.audit.record(em, [
            { actor, action: 'sanctions-list.load-pending', entityType: 'sanctions-list', entityId: command.source, before: previous, after: { ...pending, removalApprovalShare: this.removalApprovalShare } },
          ]);
          return { pending };
        }
      }
      return this.apply(em, command, previous, actor, result);
    });
  }

  /** A supervisor other than the loader approves a pending load: it becomes current now, re-screening as any load does. */
  approve(loadId: string, by: string): Promise<SanctionsListLoaded & { load: PendingSanctionsListLoad }> {
    return this.tx.run(async (em) => {
      const stored = await this.reviews!.lockLoad(em, loadId);
      if (stored === null) throw DomainError.notFound('Pending sanctions list load', loadId);
      const approved = decideReview(stored.load, `load ${loadId}`, 'APPROVED', by, this.now().toISOString());
      const previous = await this.sanctions.lockVersion(em, stored.load.source);
      if (previous?.version !== stored.load.currentVersion) {
        throw DomainError.conflict(`${stored.load.source} is at version ${previous?.version ?? 'none'} now, not ${stored.load.currentVersion}: load again`, 'list-changed');
      }
      await this.reviews!.decideLoad(em, approved);
      await this.audit.record(em, [{ actor: by, action: 'sanctions-list.load-approved', entityType: 'sanctions-list', entityId: stored.load.source, before: stored.load, after: approved }]);
      const result: SanctionsListLoaded = {
        source: stored.load.source,
        version: stored.load.version,
        entryCount: stored.entries.length,
        loaded: false,
        counterpartiesScreened: 0,
        newHits: [],
        heldTradeIds: [],
      };
      return { ...(await this.apply(em, { source: stored.load.source, version: stored.load.version, entries: stored.entries }, previous, stored.load.proposedBy, result)), load: approved };
    });
  }

  decline(loadId: string, by: string): Promise<PendingSanctionsListLoad> {
    return this.tx.run(async (em) => {
      const stored = await this.reviews!.lockLoad(em, loadId);
      if (stored === null) throw DomainError.notFound('Pending sanctions list load', loadId);
      const declined = decideReview(stored.load, `load ${loadId}`, 'DECLINED', by, this.now().toISOString());
      await this.reviews!.decideLoad(em, declined);
      await this.audit.record(em, [{ actor: by, action: 'sanctions-list.load-declined', entityType: 'sanctions-list', entityId: stored.load.source, before: stored.load, after: declined }]);
      return declined;
    });
  }

  private async apply(em: EntityManager, command: LoadSanctionsListCommand, previous: SanctionsListVersion | null, actor: string, result: SanctionsListLoaded): Promise<SanctionsListLoaded> {
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
  }
}
