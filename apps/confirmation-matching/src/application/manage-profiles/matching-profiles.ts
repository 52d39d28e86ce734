import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { canonicalJson, DomainError } from '@postrade/kernel';
import type { AuditEntry, AuditTrail, TransactionRunner } from '@postrade/persistence';
import { createLogger } from '@postrade/platform';
import { validateProfile, type MatchingProfile, type ProfileDefinition } from '../../domain/matching-profile';
import { appliesAt, type ProfileChange, type ProfileChangeStatus } from '../../domain/profile-change';
import type { MatchingProfileRepository } from '../../persistence/matching-profile.repository';
import type { ProfileChangeRepository } from '../../persistence/profile-change.repository';
import { addPairingKey, type Causation, type PairingKeyMatcher } from '../rematch/pairing-key-matcher';
import type { PairingTerms } from '../../domain/matching';

export type { ProfileDefinition } from '../../domain/matching-profile';

/** A profile as served: as it stands now, and the approved changes still waiting for their date. */
export type ProfileView = MatchingProfile & { scheduledChanges: ProfileChange[] };

/** Pairing keys re-matched per transaction when a change applies: short transactions, bounded locks. */
const REEVALUATION_BATCH = 200;
const AUDITED_AS = 'matching-profile';
const log = createLogger('matching-profiles');

/**
 * Matching profiles, maker-checker (issue 18). A change (`PUT`) is only proposed, after the whole
 * profile is validated (`validateProfile`); someone other than its proposer approves it (403 for
 * the proposer), which applies it at once or, when it names a future `effectiveFrom`, schedules
 * it until then (`applyDue`, run periodically); anyone may decline a PENDING or SCHEDULED change.
 * Proposal, approval, decline and application are written to the audit trail with the profile
 * before and after. When a change applies, every open pair it can move (UNMATCHED, MISMATCHED,
 * MATCHED not yet affirmed, ALLEGED: see `ProfileChangeRepository.openPairingKeys`) is re-matched
 * under the new profile and its results published like any other.
 */
export class MatchingProfiles {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repository: MatchingProfileRepository,
    private readonly changes: ProfileChangeRepository,
    private readonly audit: AuditTrail,
    private readonly matcher: PairingKeyMatcher,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async propose(definition: ProfileDefinition, options: { effectiveFrom?: string; reason?: string; by: string }): Promise<ProfileChange> {
    validateProfile(definition);
    const { name, ...fields } = definition;
    // Plain JSON, as stored: a retried proposal compares equal to the stored one, whatever the request's classes.
    const proposed = JSON.parse(JSON.stringify(fields)) as ProfileChange['proposed'];
    const effectiveFrom = options.effectiveFrom === undefined ? null : new Date(options.effectiveFrom).toISOString();
    const reason = options.reason ?? null;
    return this.transactions.run(async (em) => {
      await this.lockProfile(em, name);
      const current = await this.current(em, name);
      const open = await this.changes.openOf(em, name);
      if (open) {
        const retry = open.status === 'PENDING' && open.requestedBy === options.by && open.effectiveFrom === effectiveFrom && open.reason === reason && canonicalJson(open.proposed) === canonicalJson(proposed);
        if (retry) return open;
        throw DomainError.conflict(`matching profile ${name} already has a ${open.status} change ${open.changeId} by ${open.requestedBy}: approve or decline it first`);
      }
      const change: ProfileChange = {
        changeId: randomUUID(),
        profile: name,
        proposed,
        baseRevision: current?.revision ?? null,
        effectiveFrom,
        reason,
        status: 'PENDING',
        requestedBy: options.by,
        requestedAt: this.now().toISOString(),
        decidedBy: null,
        decidedAt: null,
        appliedAt: null,
        appliedRevision: null,
      };
      await this.changes.insert(em, change);
      await this.audit.record(em, [this.entry(options.by, 'PROFILE_CHANGE_PROPOSED', name, current, { ...change.proposed, name, effectiveFrom, reason, changeId: change.changeId })]);
      return change;
    });
  }

  /** Approves a PENDING change (not by its proposer: 403); it applies now or from its `effectiveFrom`. */
  async approve(name: string, changeId: string, by: string): Promise<ProfileChange> {
    const approved = await this.transactions.run(async (em) => {
      await this.lockProfile(em, name);
      const change = await this.changeOf(em, name, changeId, ['PENDING']);
      if (change.requestedBy === by) throw DomainError.forbidden(`change ${changeId} was proposed by ${by}: someone else must approve it`);
      const current = await this.current(em, name);
      if ((current?.revision ?? null) !== change.baseRevision) {
        throw DomainError.conflict(`matching profile ${name} changed since change ${changeId} was proposed: propose again`);
      }
      const at = this.now();
      const decided: ProfileChange = { ...change, status: 'SCHEDULED', decidedBy: by, decidedAt: at.toISOString() };
      const entries = [this.entry(by, 'PROFILE_CHANGE_APPROVED', name, current, { ...change.proposed, name, effectiveFrom: change.effectiveFrom, changeId })];
      if (!appliesAt(change, at)) {
        await this.changes.update(em, decided);
        await this.audit.record(em, entries);
        return decided;
      }
      return this.apply(em, decided, current, entries);
    });
    if (approved.status === 'APPLIED') {
      // Applied and committed: a failed re-evaluation is finished by the next periodic check (`applyDue`), not undone.
      await this.reevaluate(approved).catch((err: unknown) =>
        log.warn({ profile: name, changeId, err: err instanceof Error ? err.message : String(err) }, 're-evaluation of open pairs failed; the periodic check finishes it'),
      );
    }
    return approved;
  }

  /** Declines a PENDING change, or withdraws a SCHEDULED one before it applies (anyone who may approve, its proposer too). */
  async decline(name: string, changeId: string, by: string): Promise<ProfileChange> {
    return this.transactions.run(async (em) => {
      await this.lockProfile(em, name);
      const change = await this.changeOf(em, name, changeId, ['PENDING', 'SCHEDULED']);
      const declined: ProfileChange = { ...change, status: 'DECLINED', decidedBy: by, decidedAt: this.now().toISOString() };
      await this.changes.update(em, declined);
      await this.audit.record(em, [this.entry(by, 'PROFILE_CHANGE_DECLINED', name, change, declined)]);
      return declined;
    });
  }

  /**
   * Applies every scheduled change whose `effectiveFrom` has come, then re-evaluates the open pairs
   * of every applied change not yet re-evaluated (this one's, or one interrupted by a stop).
   * Returns the changes applied.
   */
  async applyDue(at: Date = this.now()): Promise<ProfileChange[]> {
    const due = await this.transactions.run((em) => this.changes.due(em, at));
    const applied: ProfileChange[] = [];
    for (const changeId of due) {
      const change = await this.transactions.run(async (em) => {
        const scheduled = await this.changes.byId(em, changeId);
        if (!scheduled) return null;
        await this.lockProfile(em, scheduled.profile);
        const locked = await this.changes.byId(em, changeId, true);
        if (locked?.status !== 'SCHEDULED') return null;
        return this.apply(em, locked, await this.current(em, locked.profile), []);
      });
      if (change) applied.push(change);
    }
    for (const change of await this.transactions.run((em) => this.changes.notReevaluated(em))) await this.reevaluate(change);
    return applied;
  }

  async get(name: string): Promise<ProfileView> {
    const [view] = await this.views([name]);
    if (!view) throw DomainError.notFound('Matching profile', name);
    return view;
  }

  list(): Promise<ProfileView[]> {
    return this.views();
  }

  async change(name: string, changeId: string): Promise<ProfileChange> {
    return this.transactions.run((em) => this.changeOf(em, name, changeId, null));
  }

  listChanges(filter: { status?: ProfileChangeStatus; profile?: string; after?: { requestedAt: string; changeId: string }; limit: number }): Promise<ProfileChange[]> {
    return this.transactions.run((em) => this.changes.list(em, filter));
  }

  private async views(names?: readonly string[]): Promise<ProfileView[]> {
    return this.transactions.run(async (em) => {
      const profiles = (await this.repository.all(em)).filter((p) => names === undefined || names.includes(p.name));
      const scheduled = await this.changes.scheduledOf(em, profiles.map((p) => p.name));
      return profiles.map((p) => ({ ...p, scheduledChanges: scheduled.filter((c) => c.profile === p.name) }));
    });
  }

  /** Saves the proposed profile, marks the change APPLIED with the revision it made, and audits the profile before and after. */
  private async apply(em: EntityManager, change: ProfileChange, before: MatchingProfile | null, entries: AuditEntry[]): Promise<ProfileChange> {
    await this.repository.save(em, { name: change.profile, ...change.proposed });
    const after = (await this.current(em, change.profile))!;
    const applied: ProfileChange = { ...change, status: 'APPLIED', appliedAt: this.now().toISOString(), appliedRevision: after.revision };
    await this.changes.update(em, applied);
    await this.audit.record(em, [...entries, this.entry(change.decidedBy ?? 'system', 'PROFILE_CHANGE_APPLIED', change.profile, before, after)]);
    log.info({ profile: change.profile, changeId: change.changeId, revision: after.revision }, 'matching profile change applied');
    return applied;
  }

  /** Re-matches the open pairs the applied change can move, a batch of pairing keys per transaction, then marks it re-evaluated. */
  private async reevaluate(change: ProfileChange): Promise<void> {
    const keys = await this.transactions.run((em) =>
      this.changes.openPairingKeys(em, { profile: change.profile, counterparties: change.proposed.counterparties, currencies: change.proposed.currencies }),
    );
    const causation: Causation = { correlationId: change.changeId };
    for (let i = 0; i < keys.length; i += REEVALUATION_BATCH) {
      const batch = new Map<string, { terms: PairingTerms; causation: Causation }>();
      for (const terms of keys.slice(i, i + REEVALUATION_BATCH)) addPairingKey(batch, terms, causation);
      await this.transactions.run(async (em) => {
        await this.matcher.lockKeys(em, batch);
        await this.matcher.rematch(em, batch);
      });
    }
    await this.transactions.run((em) => this.changes.markReevaluated(em, change.changeId, this.now().toISOString()));
    log.info({ profile: change.profile, changeId: change.changeId, pairingKeys: keys.length }, 'open pairs re-evaluated under the changed profile');
  }

  private async changeOf(em: EntityManager, name: string, changeId: string, statuses: readonly ProfileChangeStatus[] | null): Promise<ProfileChange> {
    const change = await this.changes.byId(em, changeId, statuses !== null);
    if (!change || change.profile !== name) throw DomainError.notFound('Matching profile change', changeId);
    if (statuses !== null && !statuses.includes(change.status)) throw DomainError.conflict(`change ${changeId} is ${change.status}`);
    return change;
  }

  private async current(em: EntityManager, name: string): Promise<MatchingProfile | null> {
    return (await this.repository.all(em)).find((p) => p.name === name) ?? null;
  }

  /** Serialises the changes of one profile (proposals, decisions, application). */
  private async lockProfile(em: EntityManager, name: string): Promise<void> {
    await em.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`matching:profile:${name}`]);
  }

  private entry(actor: string, action: string, name: string, before: unknown, after: unknown): AuditEntry {
    return { actor, action, entityType: AUDITED_AS, entityId: name, before: before ?? null, after: after ?? null };
  }
}
