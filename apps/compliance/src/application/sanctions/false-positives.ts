import { randomUUID } from 'node:crypto';
import { DomainError } from '@postrade/kernel';
import type { AuditTrail, TransactionRunner } from '@postrade/persistence';
import { counterpartyFingerprint, decideReview, entryFingerprint, stillCovers, type SanctionsFalsePositive } from '../../domain/sanctions/sanctions-reviews';
import type { ReferenceDataRepository } from '../../persistence/reference-data.repository';
import type { SanctionsReviewRepository } from '../../persistence/sanctions-review.repository';
import type { SanctionsRepository } from '../../persistence/sanctions.repository';
import type { SanctionsScreening } from './sanctions-screening';

export interface ProposeFalsePositive {
  counterpartyLei: string;
  source: string;
  entryId: string;
  listVersion: string;
  reason: string;
}

/**
 * The false-positive ("good guy") list, four-eyes: ops or a supervisor proposes that a counterparty
 * is not an entry of the current version of a list; a supervisor other than the proposer approves
 * (or declines). The proposal fingerprints the counterparty's names and the entry; while both are
 * unchanged, the approved decision keeps the pair's hit from holding trades. Every step is audited.
 */
export class SanctionsFalsePositives {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly reviews: SanctionsReviewRepository,
    private readonly sanctions: SanctionsRepository,
    private readonly referenceData: ReferenceDataRepository,
    private readonly screening: SanctionsScreening,
    private readonly audit: AuditTrail,
    private readonly now: () => Date = () => new Date(),
  ) {}

  propose(proposal: ProposeFalsePositive, by: string): Promise<SanctionsFalsePositive> {
    return this.tx.run(async (em) => {
      const counterparty = await this.referenceData.lockCounterparty(em, proposal.counterpartyLei);
      if (counterparty === null) throw DomainError.notFound('Counterparty', proposal.counterpartyLei);
      const current = await this.screening.currentEntry(em, proposal.source, proposal.entryId);
      if (current === null) throw DomainError.notFound('Sanctions list', proposal.source);
      if (current.list.version !== proposal.listVersion) {
        throw DomainError.unprocessable(`version ${proposal.listVersion} of ${proposal.source} is not the current one (${current.list.version})`, [
          { field: 'listVersion', message: `must be the current version of the list, ${current.list.version}` },
        ]);
      }
      if (current.entry === undefined) throw DomainError.notFound(`Entry of ${proposal.source} ${proposal.listVersion}`, proposal.entryId);
      const decision: SanctionsFalsePositive = {
        falsePositiveId: randomUUID(),
        ...proposal,
        counterpartyFingerprint: counterpartyFingerprint(counterparty),
        entryFingerprint: entryFingerprint(current.entry),
        proposedBy: by,
        proposedAt: this.now().toISOString(),
        status: 'PENDING',
        decidedBy: null,
        decidedAt: null,
      };
      await this.reviews.insertFalsePositive(em, decision);
      await this.audit.record(em, [
        { actor: by, action: 'sanctions-false-positive.proposed', entityType: 'counterparty', entityId: proposal.counterpartyLei, before: null, after: { ...decision, counterpartyNames: counterparty, entry: current.entry } },
      ]);
      return decision;
    });
  }

  /**
   * A second person approves. The counterparty's names and the entry must still be those of the
   * proposal (else 409: propose again). The pair's recorded hit is forgotten, so that it is new
   * again, and holds, when the decision lapses.
   */
  approve(id: string, by: string): Promise<SanctionsFalsePositive> {
    return this.tx.run(async (em) => {
      const decision = await this.locked(em, id);
      const approved = decideReview(decision, `false-positive decision ${id}`, 'APPROVED', by, this.now().toISOString());
      const counterparty = await this.referenceData.lockCounterparty(em, decision.counterpartyLei);
      const current = await this.screening.currentEntry(em, decision.source, decision.entryId);
      if (counterparty === null || current?.entry === undefined || !stillCovers(approved, counterparty, current.entry)) {
        throw DomainError.conflict('the counterparty names or the list entry changed since the proposal: propose again', 'false-positive-stale');
      }
      await this.reviews.decideFalsePositive(em, approved);
      await this.sanctions.deleteHit(em, decision.counterpartyLei, decision.source, decision.entryId);
      await this.audit.record(em, [{ actor: by, action: 'sanctions-false-positive.approved', entityType: 'counterparty', entityId: decision.counterpartyLei, before: decision, after: approved }]);
      return approved;
    });
  }

  decline(id: string, by: string): Promise<SanctionsFalsePositive> {
    return this.tx.run(async (em) => {
      const decision = await this.locked(em, id);
      const declined = decideReview(decision, `false-positive decision ${id}`, 'DECLINED', by, this.now().toISOString());
      await this.reviews.decideFalsePositive(em, declined);
      await this.audit.record(em, [{ actor: by, action: 'sanctions-false-positive.declined', entityType: 'counterparty', entityId: decision.counterpartyLei, before: decision, after: declined }]);
      return declined;
    });
  }

  private async locked(em: Parameters<Parameters<TransactionRunner['run']>[0]>[0], id: string): Promise<SanctionsFalsePositive> {
    const decision = await this.reviews.lockFalsePositive(em, id);
    if (decision === null) throw DomainError.notFound('False-positive decision', id);
    return decision;
  }
}
