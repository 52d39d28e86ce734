import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError, LocalDate } from '@postrade/kernel';
import type { AuditEntry, AuditTrail, TransactionRunner } from '@postrade/persistence';
import {
  decideChange,
  thresholdsOn,
  validateProposal,
  type ControlChange,
  type ControlChangeProposal,
  type ExposureLimitSetting,
  type LargeTraderThresholds,
} from '../../domain/control-change';
import type { RestrictedListEntry } from '../../domain/restricted-list';
import type { ControlChangeRepository } from '../../persistence/control-change.repository';
import type { ListRepository } from '../../persistence/list.repository';

/** The audit entity a change is filed under: the ISIN, the counterparty, or the thresholds. */
function auditEntity(change: ControlChange): { entityType: string; entityId: string } {
  if (change.kind === 'RESTRICTION' || change.kind === 'RESTRICTION_REMOVAL') return { entityType: 'isin', entityId: change.target.slice('restricted-list/'.length) };
  if (change.kind === 'EXPOSURE_LIMIT') return { entityType: 'counterparty', entityId: change.target.split('/')[1] };
  return { entityType: 'large-trader-thresholds', entityId: change.target };
}

/**
 * The restricted and watch lists, the exposure limits and the large-trader thresholds, maintained
 * under four eyes: operations propose a change (with what is in force now as `before`), a
 * supervisor other than the proposer approves it (applied then, audited with before and after) or
 * declines it. Every step is audited.
 */
export class ComplianceLists {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly lists: ListRepository,
    private readonly changes: ControlChangeRepository,
    private readonly audit: AuditTrail,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Proposes a change (validated now); 409 while another change of the same thing is pending. */
  propose(proposal: ControlChangeProposal, reason: string, proposedBy: string): Promise<ControlChange> {
    const at = this.now();
    const today = LocalDate.todayUtc(at);
    const { target, proposed, effectiveFrom } = validateProposal(proposal, today);
    return this.tx.run(async (em) => {
      const before = await this.inForce(em, proposal, today, false);
      if (proposal.kind === 'RESTRICTION_REMOVAL' && before === null) throw DomainError.notFound('Restricted-list entry', proposal.isin);
      const change: ControlChange = {
        changeId: randomUUID(),
        kind: proposal.kind,
        target,
        proposed,
        before,
        effectiveFrom,
        reason,
        proposedBy,
        proposedAt: at.toISOString(),
        status: 'PENDING',
        decidedBy: null,
        decidedAt: null,
      };
      if (!(await this.changes.insert(em, change))) {
        const pending = await this.changes.pendingFor(em, target);
        throw DomainError.conflict(`change ${pending?.changeId ?? ''} of ${target} is already pending: approve or decline it first`, 'change-pending');
      }
      await this.audit.record(em, [{ actor: proposedBy, action: 'control-change.proposed', ...auditEntity(change), before, after: change }]);
      return change;
    });
  }

  /** A supervisor other than the proposer approves: the change applies now and is audited with what it replaced. */
  approve(changeId: string, approver: string): Promise<ControlChange> {
    return this.tx.run(async (em) => {
      const change = await this.lockedChange(em, changeId);
      const at = this.now();
      const approved = decideChange(change, 'APPROVED', approver, at.toISOString());
      const today = LocalDate.todayUtc(at);
      const entries: AuditEntry[] = [{ actor: approver, action: 'control-change.approved', ...auditEntity(change), before: change, after: approved }];
      entries.push(await this.apply(em, approved, today));
      await this.changes.saveDecision(em, approved);
      await this.audit.record(em, entries);
      return approved;
    });
  }

  decline(changeId: string, by: string): Promise<ControlChange> {
    return this.tx.run(async (em) => {
      const change = await this.lockedChange(em, changeId);
      const declined = decideChange(change, 'DECLINED', by, this.now().toISOString());
      await this.changes.saveDecision(em, declined);
      await this.audit.record(em, [{ actor: by, action: 'control-change.declined', ...auditEntity(change), before: change, after: declined }]);
      return declined;
    });
  }

  changesList(em: EntityManager, limit: number, after?: { proposedAt: string; id: string }, status?: string): Promise<ControlChange[]> {
    return this.changes.list(em, limit, after, status);
  }

  restrictionsInForce(em: EntityManager, asOf: string, limit: number, after?: { isin: string; kind: string }): Promise<RestrictedListEntry[]> {
    return this.lists.restrictionsInForce(em, asOf, limit, after);
  }

  async largeTraderThresholds(em: EntityManager, asOf: string): Promise<LargeTraderThresholds> {
    return thresholdsOn(await this.lists.largeTraderThresholds(em), asOf);
  }

  /** Applies an approved change; the audit entry of what changed, with before and after as they are at approval. */
  private async apply(em: EntityManager, change: ControlChange, today: string): Promise<AuditEntry> {
    const actor = change.decidedBy!;
    const meta = { changeId: change.changeId, proposedBy: change.proposedBy, approvedBy: actor, reason: change.reason };
    switch (change.kind) {
      case 'RESTRICTION': {
        const entry = change.proposed as RestrictedListEntry;
        const before = await this.lists.restriction(em, entry.isin, today, true);
        await this.lists.saveRestriction(em, entry);
        return { actor, action: 'restricted-list.put', entityType: 'isin', entityId: entry.isin, before, after: { ...entry, ...meta } };
      }
      case 'RESTRICTION_REMOVAL': {
        const isin = auditEntity(change).entityId;
        const before = await this.lists.restriction(em, isin, today, true);
        if (before === null) throw DomainError.conflict(`${isin} is no longer on the restricted list`, 'change-stale');
        await this.lists.deleteRestriction(em, isin, today, change.reason);
        return { actor, action: 'restricted-list.deleted', entityType: 'isin', entityId: isin, before, after: meta };
      }
      case 'EXPOSURE_LIMIT': {
        const proposed = change.proposed as ExposureLimitSetting;
        // Approved after the day it was to take effect: it takes effect today (the past is not rewritten).
        const limit = { ...proposed, effectiveFrom: LocalDate.compare(proposed.effectiveFrom, today) < 0 ? today : proposed.effectiveFrom };
        const before = await this.lists.lockLimit(em, limit.counterpartyLei, limit.currency, limit.effectiveFrom);
        await this.lists.saveLimit(em, limit);
        return { actor, action: 'exposure-limit.put', entityType: 'counterparty', entityId: limit.counterpartyLei, before, after: { ...limit, ...meta } };
      }
      case 'LARGE_TRADER_THRESHOLDS': {
        const proposed = change.proposed as LargeTraderThresholds;
        const thresholds = { ...proposed, effectiveFrom: LocalDate.compare(proposed.effectiveFrom, today) < 0 ? today : proposed.effectiveFrom };
        const before = thresholdsOn(await this.lists.largeTraderThresholds(em, true), thresholds.effectiveFrom);
        await this.lists.saveLargeTraderThresholds(em, thresholds);
        return { actor, action: 'large-trader-thresholds.put', entityType: 'large-trader-thresholds', entityId: change.target, before, after: { ...thresholds, ...meta } };
      }
    }
  }

  /** What is in force today of what the proposal changes. */
  private async inForce(em: EntityManager, proposal: ControlChangeProposal, today: string, lock: boolean): Promise<ControlChange['before']> {
    switch (proposal.kind) {
      case 'RESTRICTION':
        return this.lists.restriction(em, proposal.entry.isin, today, lock);
      case 'RESTRICTION_REMOVAL':
        return this.lists.restriction(em, proposal.isin, today, lock);
      case 'EXPOSURE_LIMIT':
        return this.lists.lockLimit(em, proposal.limit.counterpartyLei, proposal.limit.currency, today);
      case 'LARGE_TRADER_THRESHOLDS':
        return thresholdsOn(await this.lists.largeTraderThresholds(em), today);
    }
  }

  private async lockedChange(em: EntityManager, changeId: string): Promise<ControlChange> {
    const change = await this.changes.lock(em, changeId);
    if (change === null) throw DomainError.notFound('Change', changeId);
    return change;
  }
}
