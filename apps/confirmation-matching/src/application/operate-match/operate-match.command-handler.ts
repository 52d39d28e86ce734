import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import type { TransactionRunner } from '@postrade/persistence';
import { confirmationForMatching } from '../../domain/confirmation';
import { pairable } from '../../domain/matching';
import { selectProfile } from '../../domain/matching-profile';
import type { ConfirmationRepository } from '../../persistence/confirmation.repository';
import type { MatchingProfileRepository } from '../../persistence/matching-profile.repository';
import type { MatchRequest, StoredTrade, TradeRepository } from '../../persistence/trade.repository';
import { addPairingKey, type PairingKeyMatcher } from '../rematch/pairing-key-matcher';
import type { MatchQueries, MatchView } from '../query-matches/match-queries';

export type MatchOperation =
  | { kind: 'FORCE_MATCH'; tradeId: string; confirmationId: string; reason: string; actedBy: string }
  | { kind: 'UNMATCH'; tradeId: string; reason: string; actedBy: string }
  | { kind: 'AFFIRM'; tradeId: string; actedBy: string };

/** An operation done at once, or (maker-checker) proposed and waiting for a second person. */
export type OperationOutcome = { kind: 'DONE'; match: MatchView } | { kind: 'PROPOSED'; request: MatchRequest };

/** The pair a force-match or an affirm is about, at the versions it was checked on. */
interface Target {
  confirmationId: string;
  confirmationVersion: number;
}

/**
 * Operations on a match: force-match a mismatched pair (or an unmatched trade with an alleged
 * confirmation that pairs with it) with a reason, unmatch a pair so it is not paired again until
 * either side changes, affirm a matched pair. Under a four-eyes profile (the default) a
 * force-match or an affirm is only proposed: someone other than its proposer (another ops, or a
 * supervisor) approves it, which applies it at the versions it was proposed on, or declines it.
 * Each applied operation is recorded with who proposed it, who approved it, when and why, and its
 * pairing key re-matched so the decision is published like any other status change.
 */
export class OperateMatchHandler {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly trades: TradeRepository,
    private readonly confirmations: ConfirmationRepository,
    private readonly matcher: PairingKeyMatcher,
    private readonly queries: MatchQueries,
    private readonly profiles: MatchingProfileRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async execute(operation: MatchOperation): Promise<OperationOutcome> {
    let proposed: MatchRequest | null = null;
    await this.transactions.run(async (em) => {
      const { trade, keys } = await this.lockTrade(em, operation.tradeId);
      if (operation.kind === 'UNMATCH') {
        await this.unmatch(em, trade);
        await this.record(em, trade.tradeId, 'UNMATCH', trade.confirmationId, operation.reason, operation.actedBy, null);
        await this.matcher.rematch(em, keys);
        return;
      }
      const target = operation.kind === 'FORCE_MATCH' ? await this.checkForceMatch(em, trade, operation.confirmationId) : this.checkAffirm(trade);
      const reason = operation.kind === 'FORCE_MATCH' ? operation.reason : null;
      const profile = selectProfile(await this.profiles.all(em), trade.counterpartyLei, trade.currency);
      if (profile.fourEyes) {
        proposed = await this.propose(em, trade, { action: operation.kind, ...target, reason, requestedBy: operation.actedBy });
        return;
      }
      await this.apply(em, trade, operation.kind, target);
      await this.record(em, trade.tradeId, operation.kind, target.confirmationId, reason, operation.actedBy, null);
      await this.matcher.rematch(em, keys);
    });
    if (proposed !== null) return { kind: 'PROPOSED', request: proposed };
    return { kind: 'DONE', match: await this.queries.byTrade(operation.tradeId) };
  }

  /** Approves a pending request: the approver must not be its proposer (403). */
  async approve(tradeId: string, requestId: string, approver: string): Promise<MatchView> {
    await this.transactions.run(async (em) => {
      const { trade, keys } = await this.lockTrade(em, tradeId);
      const request = await this.pending(em, tradeId, requestId);
      if (request.requestedBy === approver) throw DomainError.forbidden(`request ${requestId} was proposed by ${approver}: someone else must approve it`);
      const target = request.action === 'FORCE_MATCH' ? await this.checkForceMatch(em, trade, request.confirmationId!) : this.checkAffirm(trade);
      if (trade.version !== request.tradeVersion || target.confirmationVersion !== request.confirmationVersion) {
        throw DomainError.conflict(`the trade or its confirmation changed since request ${requestId} was proposed: propose again`);
      }
      await this.apply(em, trade, request.action, target);
      await this.trades.decideRequest(em, { ...request, status: 'APPROVED', decidedBy: approver, decidedAt: this.now().toISOString() });
      await this.record(em, tradeId, request.action, target.confirmationId, request.reason, request.requestedBy, approver);
      await this.matcher.rematch(em, keys);
    });
    return this.queries.byTrade(tradeId);
  }

  async decline(tradeId: string, requestId: string, by: string): Promise<MatchRequest> {
    return this.transactions.run(async (em) => {
      await this.lockTrade(em, tradeId);
      const declined: MatchRequest = { ...(await this.pending(em, tradeId, requestId)), status: 'DECLINED', decidedBy: by, decidedAt: this.now().toISOString() };
      await this.trades.decideRequest(em, declined);
      return declined;
    });
  }

  private async lockTrade(em: EntityManager, tradeId: string) {
    await this.matcher.locks.lockItems(em, [`trade:${tradeId}`]);
    const [trade] = await this.trades.byIds(em, [tradeId]);
    if (!trade) throw DomainError.notFound('Trade', tradeId);
    const keys = new Map();
    addPairingKey(keys, trade, {});
    await this.matcher.lockKeys(em, keys);
    return { trade, keys };
  }

  private async pending(em: EntityManager, tradeId: string, requestId: string): Promise<MatchRequest> {
    const request = (await this.trades.requestsOf(em, tradeId)).find((r) => r.requestId === requestId);
    if (!request) throw DomainError.notFound('Match request', requestId);
    if (request.status !== 'PENDING') throw DomainError.conflict(`request ${requestId} is ${request.status}`);
    return request;
  }

  /**
   * One pending request a trade: the same proposal again answers with it (a retried request); a
   * pending one on versions that have since changed is superseded; another one is a conflict.
   */
  private async propose(
    em: EntityManager,
    trade: StoredTrade,
    proposal: Pick<MatchRequest, 'action' | 'confirmationId' | 'confirmationVersion' | 'reason' | 'requestedBy'>,
  ): Promise<MatchRequest> {
    const at = this.now().toISOString();
    const pending = (await this.trades.requestsOf(em, trade.tradeId)).find((r) => r.status === 'PENDING');
    if (pending) {
      const stale = pending.tradeVersion !== trade.version || pending.confirmationVersion !== proposal.confirmationVersion || pending.confirmationId !== proposal.confirmationId;
      const same = !stale && pending.action === proposal.action && pending.requestedBy === proposal.requestedBy && pending.reason === proposal.reason;
      if (same) return pending;
      if (!stale) throw DomainError.conflict(`trade ${trade.tradeId} already has a pending ${pending.action} request ${pending.requestId} by ${pending.requestedBy}`);
      await this.trades.decideRequest(em, { ...pending, status: 'DECLINED', decidedBy: 'system: superseded after the trade or confirmation changed', decidedAt: at });
    }
    const request: MatchRequest = { requestId: randomUUID(), tradeId: trade.tradeId, tradeVersion: trade.version, ...proposal, status: 'PENDING', createdAt: at, decidedBy: null, decidedAt: null };
    await this.trades.insertRequest(em, request);
    return request;
  }

  private async apply(em: EntityManager, trade: StoredTrade, kind: 'FORCE_MATCH' | 'AFFIRM', target: Target): Promise<void> {
    await this.trades.pin(em, { kind: kind === 'FORCE_MATCH' ? 'FORCED' : 'AFFIRMED', tradeId: trade.tradeId, ...target, tradeVersion: trade.version });
  }

  private record(em: EntityManager, tradeId: string, action: 'FORCE_MATCH' | 'UNMATCH' | 'AFFIRM', confirmationId: string | null, reason: string | null, actedBy: string, approvedBy: string | null) {
    return this.trades.recordAction(em, { actionId: randomUUID(), tradeId, action, confirmationId, reason, actedBy, actedAt: this.now().toISOString(), approvedBy });
  }

  private async checkForceMatch(em: EntityManager, trade: StoredTrade, confirmationId: string): Promise<Target> {
    if (trade.cancelled) throw DomainError.unprocessable(`trade ${trade.tradeId} is cancelled`);
    if (trade.matchStatus !== 'MISMATCHED' && trade.matchStatus !== 'UNMATCHED') {
      throw DomainError.conflict(`only a MISMATCHED or UNMATCHED trade can be force-matched; trade ${trade.tradeId} is ${trade.matchStatus}`);
    }
    const group = await this.confirmations.ofPairingKeys(em, [trade]);
    const confirmation = group.find((c) => c.terms.confirmationId === confirmationId);
    if (!confirmation || confirmation.cancellation !== null || !pairable(trade, confirmationForMatching(confirmation.terms, confirmation.version))) {
      throw DomainError.unprocessable(`confirmation ${confirmationId} from ${trade.counterpartyLei} does not pair with trade ${trade.tradeId} at level 1`, [
        { field: 'confirmationId', message: 'must be a live confirmation from the trade counterparty with the same ISIN, trade date, quantity and currency and the opposite side' },
      ]);
    }
    if (confirmation.tradeId !== null && confirmation.tradeId !== trade.tradeId && confirmation.matchStatus !== 'MISMATCHED') {
      throw DomainError.conflict(`confirmation ${confirmationId} is ${confirmation.matchStatus} with trade ${confirmation.tradeId}`);
    }
    return { confirmationId, confirmationVersion: confirmation.version };
  }

  private checkAffirm(trade: StoredTrade): Target {
    if (trade.matchStatus !== 'MATCHED') throw DomainError.conflict(`only a MATCHED trade can be affirmed; trade ${trade.tradeId} is ${trade.matchStatus}`);
    return { confirmationId: trade.confirmationId!, confirmationVersion: trade.evaluatedConfirmationVersion! };
  }

  private async unmatch(em: EntityManager, trade: StoredTrade): Promise<void> {
    if (trade.confirmationId === null || trade.cancelled) throw DomainError.conflict(`trade ${trade.tradeId} is ${trade.matchStatus}: there is no pair to unmatch`);
    await this.trades.pin(em, { tradeId: trade.tradeId, kind: null });
    await this.trades.exclude(em, {
      tradeId: trade.tradeId,
      confirmationId: trade.confirmationId,
      tradeVersion: trade.version,
      confirmationVersion: trade.evaluatedConfirmationVersion!,
    });
  }
}
