import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import type { MatchResource } from '@postrade/contracts';
import type { TransactionRunner } from '@postrade/persistence';
import { confirmationForMatching } from '../../domain/confirmation';
import { pairable } from '../../domain/matching';
import type { ConfirmationRepository } from '../../persistence/confirmation.repository';
import type { StoredTrade, TradeRepository } from '../../persistence/trade.repository';
import { addPairingKey, type PairingKeyMatcher } from '../rematch/pairing-key-matcher';
import type { MatchQueries } from '../query-matches/match-queries';

export type MatchOperation =
  | { kind: 'FORCE_MATCH'; tradeId: string; confirmationId: string; reason: string; actedBy: string }
  | { kind: 'UNMATCH'; tradeId: string; reason: string; actedBy: string }
  | { kind: 'AFFIRM'; tradeId: string; actedBy: string };

/**
 * Operations on a match: force-match a mismatched pair (or an unmatched trade with an alleged
 * confirmation that pairs with it) with a reason, unmatch a pair so it is not paired again until
 * either side changes, affirm a matched pair. Each is recorded with who and when, and its pairing
 * key re-matched so the decision is published like any other status change.
 */
export class OperateMatchHandler {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly trades: TradeRepository,
    private readonly confirmations: ConfirmationRepository,
    private readonly matcher: PairingKeyMatcher,
    private readonly queries: MatchQueries,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async execute(operation: MatchOperation): Promise<MatchResource> {
    await this.transactions.run(async (em) => {
      await this.matcher.locks.lockItems(em, [`trade:${operation.tradeId}`]);
      const [trade] = await this.trades.byIds(em, [operation.tradeId]);
      if (!trade) throw DomainError.notFound('Trade', operation.tradeId);
      const keys = new Map();
      addPairingKey(keys, trade, {});
      await this.matcher.lockKeys(em, keys);
      const reason = operation.kind === 'AFFIRM' ? null : operation.reason;
      if (operation.kind === 'FORCE_MATCH') await this.forceMatch(em, trade, operation.confirmationId);
      if (operation.kind === 'UNMATCH') await this.unmatch(em, trade);
      if (operation.kind === 'AFFIRM') await this.affirm(em, trade);
      await this.trades.recordAction(em, {
        actionId: randomUUID(),
        tradeId: trade.tradeId,
        action: operation.kind,
        confirmationId: operation.kind === 'FORCE_MATCH' ? operation.confirmationId : trade.confirmationId,
        reason,
        actedBy: operation.actedBy,
        actedAt: this.now().toISOString(),
      });
      await this.matcher.rematch(em, keys);
    });
    return this.queries.byTrade(operation.tradeId);
  }

  private async forceMatch(em: EntityManager, trade: StoredTrade, confirmationId: string): Promise<void> {
    if (trade.cancelled) throw DomainError.unprocessable(`trade ${trade.tradeId} is cancelled`);
    if (trade.matchStatus !== 'MISMATCHED' && trade.matchStatus !== 'UNMATCHED') {
      throw DomainError.conflict(`only a MISMATCHED or UNMATCHED trade can be force-matched; trade ${trade.tradeId} is ${trade.matchStatus}`);
    }
    const group = await this.confirmations.ofPairingKeys(em, [trade]);
    const confirmation = group.find((c) => c.terms.confirmationId === confirmationId);
    if (!confirmation || !pairable(trade, confirmationForMatching(confirmation.terms, confirmation.version))) {
      throw DomainError.unprocessable(`confirmation ${confirmationId} from ${trade.counterpartyLei} does not pair with trade ${trade.tradeId} at level 1`, [
        { field: 'confirmationId', message: 'must be a confirmation from the trade counterparty with the same ISIN, trade date, quantity and currency and the opposite side' },
      ]);
    }
    if (confirmation.tradeId !== null && confirmation.tradeId !== trade.tradeId && confirmation.matchStatus !== 'MISMATCHED') {
      throw DomainError.conflict(`confirmation ${confirmationId} is ${confirmation.matchStatus} with trade ${confirmation.tradeId}`);
    }
    await this.trades.pin(em, { kind: 'FORCED', tradeId: trade.tradeId, confirmationId, tradeVersion: trade.version, confirmationVersion: confirmation.version });
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

  private async affirm(em: EntityManager, trade: StoredTrade): Promise<void> {
    if (trade.matchStatus !== 'MATCHED') throw DomainError.conflict(`only a MATCHED trade can be affirmed; trade ${trade.tradeId} is ${trade.matchStatus}`);
    await this.trades.pin(em, {
      kind: 'AFFIRMED',
      tradeId: trade.tradeId,
      confirmationId: trade.confirmationId!,
      tradeVersion: trade.version,
      confirmationVersion: trade.evaluatedConfirmationVersion!,
    });
  }
}

