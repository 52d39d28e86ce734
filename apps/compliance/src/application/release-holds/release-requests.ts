import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { canonicalJson, DomainError } from '@postrade/kernel';
import type { Outbox } from '@postrade/messaging';
import type { AuditTrail, IdempotencyKeyRepository, TransactionRunner } from '@postrade/persistence';
import { approve, assertApprovalSeesAlerts, assertCanPropose, decline, outcomeOnApproval, type ReleaseAction, type ReleaseRequest } from '../../domain/release-request';
import type { DecisionRepository, StoredDecision } from '../../persistence/decision.repository';
import type { ReleaseRequestRepository } from '../../persistence/release-request.repository';
import type { ScreenedTradeRepository } from '../../persistence/screened-trade.repository';
import { publishDecision } from '../decision-events';

/**
 * Four-eyes handling of holds: a maker proposes to release or reject a held trade with a reason,
 * a supervisor other than the maker approves (the decision becomes RELEASED or REJECTED and is
 * published) or declines (the trade stays held). Every step is audited.
 */
export class ReleaseRequests {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly decisions: DecisionRepository,
    private readonly requests: ReleaseRequestRepository,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
    private readonly idempotencyKeys: IdempotencyKeyRepository,
    private readonly trades: ScreenedTradeRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * With an `Idempotency-Key`, the same key and proposal from the same principal answers with the
   * first request again; the same key with another proposal is 422. The key is claimed in the
   * proposal's transaction.
   */
  propose(tradeId: string, proposal: { action: ReleaseAction; reason: string }, requestedBy: string, idempotencyKey?: string): Promise<ReleaseRequest> {
    return this.tx.run(async (em) => {
      if (idempotencyKey !== undefined) {
        const requestHash = createHash('sha256').update(canonicalJson({ tradeId, ...proposal })).digest('hex');
        const stored = await this.idempotencyKeys.claim(em, requestedBy, idempotencyKey, requestHash);
        if (stored !== null) {
          if (stored.requestHash !== requestHash) {
            throw DomainError.unprocessable('Idempotency-Key was used before with another request', [{ field: 'Idempotency-Key', message: 'was used before with another request' }]);
          }
          return stored.body as ReleaseRequest;
        }
      }
      const decision = await this.lockedDecision(em, tradeId);
      assertCanPropose(decision.outcome, await this.requests.pendingFor(em, tradeId));
      const request: ReleaseRequest = {
        requestId: randomUUID(),
        tradeId,
        action: proposal.action,
        reason: proposal.reason,
        requestedBy,
        // What the requester saw: an approval may resolve these and no others.
        alertIds: await this.decisions.openAlertIds(em, tradeId),
        status: 'PENDING',
        createdAt: this.now().toISOString(),
        decidedBy: null,
        decidedAt: null,
      };
      await this.requests.insert(em, request);
      await this.audit.record(em, [{ actor: requestedBy, action: 'release-request.proposed', entityType: 'trade', entityId: tradeId, before: null, after: request }]);
      if (idempotencyKey !== undefined) await this.idempotencyKeys.complete(em, requestedBy, idempotencyKey, 201, request);
      return request;
    });
  }

  /**
   * `seenAlertIds`, when given, are the alerts the approver saw: an alert open now that is not among
   * them, or not among those the request was made against, is 409 (never resolved unseen). An
   * approved REJECT closes the trade for exposure limits.
   */
  approve(tradeId: string, requestId: string, approver: string, seenAlertIds?: readonly string[]): Promise<ReleaseRequest> {
    return this.tx.run(async (em) => {
      // The trade's row before its decision: the order screening and re-screening lock them in.
      await this.trades.lockOne(em, tradeId);
      const decision = await this.lockedDecision(em, tradeId);
      const request = await this.request(em, tradeId, requestId);
      const approved = approve(request, approver, this.now().toISOString());
      if (decision.outcome !== 'HELD') throw DomainError.conflict(`the trade is ${decision.outcome}, no longer HELD`, 'not-held');
      assertApprovalSeesAlerts(request, await this.decisions.openAlertIds(em, tradeId), seenAlertIds);
      await this.requests.saveDecision(em, approved);
      if (approved.action === 'REJECT') await this.trades.closeRejected(em, tradeId);

      const before = await this.decisions.resource(em, decision);
      const outcome = outcomeOnApproval(approved.action);
      await this.decisions.endOpenAlerts(em, tradeId, 'RESOLVED', `${outcome.toLowerCase()} by ${approver} on request of ${approved.requestedBy}`, approved.decidedAt!);
      const decided: StoredDecision = { ...decision, outcome, decidedAt: approved.decidedAt! };
      await this.decisions.save(em, decided);
      const after = await this.decisions.resource(em, decided);
      await publishDecision(this.outbox, em, after, { correlationId: requestId });
      await this.audit.record(em, [
        { actor: approver, action: 'release-request.approved', entityType: 'trade', entityId: tradeId, before: request, after: approved },
        { actor: approver, action: `decision.${outcome.toLowerCase()}`, entityType: 'trade', entityId: tradeId, before, after },
      ]);
      return approved;
    });
  }

  decline(tradeId: string, requestId: string, by: string): Promise<ReleaseRequest> {
    return this.tx.run(async (em) => {
      await this.lockedDecision(em, tradeId);
      const request = await this.request(em, tradeId, requestId);
      const declined = decline(request, by, this.now().toISOString());
      await this.requests.saveDecision(em, declined);
      await this.audit.record(em, [{ actor: by, action: 'release-request.declined', entityType: 'trade', entityId: tradeId, before: request, after: declined }]);
      return declined;
    });
  }

  /** The trade's decision, locked: one release step at a time per trade. */
  private async lockedDecision(em: EntityManager, tradeId: string): Promise<StoredDecision> {
    const decision = await this.decisions.lock(em, tradeId);
    if (decision === null) throw DomainError.notFound('Decision for trade', tradeId);
    return decision;
  }

  private async request(em: EntityManager, tradeId: string, requestId: string): Promise<ReleaseRequest> {
    const request = await this.requests.lock(em, tradeId, requestId);
    if (request === null) throw DomainError.notFound('Release request', requestId);
    return request;
  }
}
