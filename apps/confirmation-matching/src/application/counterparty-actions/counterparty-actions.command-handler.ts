import { randomUUID } from 'node:crypto';
import { DomainError } from '@postrade/kernel';
import type { TransactionRunner } from '@postrade/persistence';
import { confirmationForMatching } from '../../domain/confirmation';
import type { ConfirmationRepository } from '../../persistence/confirmation.repository';
import type { TradeRepository } from '../../persistence/trade.repository';
import type { MatchQueries, MatchView, Reader } from '../query-matches/match-queries';
import type { ConfirmationResource } from '../rematch/match-resources';
import { addPairingKey, type PairingKeyMatcher } from '../rematch/pairing-key-matcher';

/** Who acts: the principal's id, and the LEI it is bound to when it is a counterparty. */
export interface Actor extends Reader {
  principalId: string;
}

/**
 * What a counterparty does about its own side of matching: cancel a confirmation it sent (its
 * current version stops pairing and is CANCELLED; a new version revives it), and DK ("don't know")
 * a trade of ours alleged against it, which stays UNMATCHED with the DK, who and why, on its action
 * trail for operations. A counterparty reaches only its own confirmations and trades: another
 * party's are 404, as if they did not exist.
 */
export class CounterpartyActionsHandler {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly trades: TradeRepository,
    private readonly confirmations: ConfirmationRepository,
    private readonly matcher: PairingKeyMatcher,
    private readonly queries: MatchQueries,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async cancelConfirmation(id: string, reason: string, actor: Actor): Promise<ConfirmationResource> {
    await this.transactions.run(async (em) => {
      const found = await this.confirmations.byId(em, id);
      if (!found || (actor.senderLei !== undefined && found.terms.senderLei !== actor.senderLei)) throw DomainError.notFound('Confirmation', id);
      await this.matcher.locks.lockItems(em, [`confirmation:${found.terms.senderLei}:${found.terms.confirmationId}`]);
      // Read again under the lock: a new version may have arrived in between.
      const confirmation = (await this.confirmations.byId(em, id))!;
      if (confirmation.cancellation !== null) throw DomainError.conflict(`confirmation ${id} version ${confirmation.version} is already cancelled`);
      const keys = new Map();
      addPairingKey(keys, confirmationForMatching(confirmation.terms, confirmation.version), {});
      await this.matcher.lockKeys(em, keys);
      await this.confirmations.cancel(em, id, { reason, by: actor.principalId, at: this.now().toISOString() });
      await this.matcher.rematch(em, keys);
    });
    return this.queries.confirmation(id, actor);
  }

  async dk(tradeId: string, reason: string, actor: Actor): Promise<MatchView> {
    await this.transactions.run(async (em) => {
      await this.matcher.locks.lockItems(em, [`trade:${tradeId}`]);
      const [trade] = await this.trades.byIds(em, [tradeId]);
      if (!trade || (actor.senderLei !== undefined && trade.counterpartyLei !== actor.senderLei)) throw DomainError.notFound('Match of trade', tradeId);
      if (trade.matchStatus !== 'UNMATCHED') {
        throw DomainError.conflict(`only a trade alleged against you (UNMATCHED) can be DK'd; trade ${tradeId} is ${trade.matchStatus}`);
      }
      await this.trades.recordAction(em, { actionId: randomUUID(), tradeId, action: 'DK', confirmationId: null, reason, actedBy: actor.principalId, actedAt: this.now().toISOString() });
    });
    return this.queries.byTrade(tradeId);
  }
}
