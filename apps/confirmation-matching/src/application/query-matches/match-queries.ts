import type { EntityManager } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import type { MatchResource, MatchStatus } from '@postrade/contracts';
import type { ConfirmationRepository, StoredConfirmation } from '../../persistence/confirmation.repository';
import type { StoredTrade, TradeRepository } from '../../persistence/trade.repository';
import { allegedMatchResource, confirmationResource, tradeMatchResource, type ConfirmationResource } from '../rematch/match-resources';

export interface MatchPosition {
  updatedAt: string;
  id: string;
}
export interface ReceivedPosition {
  receivedAt: string;
  id: string;
}

/** A listed match and where it stands in the list: trades and alleged confirmations share one order. */
export interface ListedMatch {
  position: MatchPosition;
  match: MatchResource;
}

/** Who asks: a counterparty sees only what its own LEI sent. */
export interface Reader {
  senderLei?: string;
}

/** A trade's match, with every operator action on it (who, when, why). */
export type MatchView = MatchResource & { actions: { action: string; confirmationId: string | null; reason: string | null; actedBy: string; actedAt: string }[] };

/** Reads of matches and confirmations. Single reads, so no transaction. */
export class MatchQueries {
  constructor(
    private readonly em: EntityManager,
    private readonly trades: TradeRepository,
    private readonly confirmations: ConfirmationRepository,
  ) {}

  async byTrade(tradeId: string): Promise<MatchView> {
    const [trade] = await this.trades.byIds(this.em, [tradeId]);
    if (!trade) throw DomainError.notFound('Match of trade', tradeId);
    const [breaks, actions] = await Promise.all([this.trades.breaksOf(this.em, [tradeId]), this.trades.actionsOf(this.em, tradeId)]);
    return { ...this.render(trade, breaks.get(tradeId) ?? []), actions };
  }

  /** The match a confirmation (by platform id) is part of: its trade's, or its own while alleged. */
  async byConfirmation(id: string): Promise<MatchResource> {
    const confirmation = await this.confirmations.byId(this.em, id);
    if (!confirmation) throw DomainError.notFound('Confirmation', id);
    if (confirmation.tradeId === null) return this.alleged(confirmation);
    const { actions: _actions, ...match } = await this.byTrade(confirmation.tradeId);
    return match;
  }

  /** Up to `limit` matches in a status after `after`, by last change; ALLEGED ones are confirmations without a trade. */
  async list(status: MatchStatus | undefined, after: MatchPosition | undefined, limit: number): Promise<ListedMatch[]> {
    const [trades, alleged] = await Promise.all([
      status === 'ALLEGED' ? [] : this.trades.list(this.em, { status, after, limit }),
      status === undefined || status === 'ALLEGED' ? this.confirmations.alleged(this.em, { after, limit }) : [],
    ]);
    const breaks = trades.length === 0 ? new Map<string, MatchResource['breaks']>() : await this.trades.breaksOf(this.em, trades.map((t) => t.tradeId));
    const listed: ListedMatch[] = [
      ...trades.map((t) => ({ position: { updatedAt: t.updatedAt, id: t.tradeId }, match: this.render(t, breaks.get(t.tradeId) ?? []) })),
      ...alleged.map((c) => ({ position: { updatedAt: c.updatedAt, id: c.id }, match: this.alleged(c) })),
    ];
    if (status !== undefined) return listed;
    // Both tables in one order: a page read from each, merged, keeps its first `limit`.
    return listed
      .sort((a, b) => (a.position.updatedAt === b.position.updatedAt ? (a.position.id < b.position.id ? -1 : 1) : a.position.updatedAt < b.position.updatedAt ? -1 : 1))
      .slice(0, limit);
  }

  async confirmation(id: string, reader: Reader): Promise<ConfirmationResource> {
    const confirmation = await this.confirmations.byId(this.em, id);
    // Another party's confirmation does not exist as far as a counterparty can tell.
    if (!confirmation || (reader.senderLei !== undefined && confirmation.terms.senderLei !== reader.senderLei)) throw DomainError.notFound('Confirmation', id);
    return confirmationResource(confirmation);
  }

  /** Up to `filter.limit` confirmations after `filter.after`, by receipt. */
  async listConfirmations(
    filter: { matchStatus?: MatchStatus; confirmationId?: string; after?: ReceivedPosition; limit: number },
    reader: Reader,
  ): Promise<ConfirmationResource[]> {
    const rows = await this.confirmations.list(this.em, { ...filter, senderLei: reader.senderLei });
    return rows.map(confirmationResource);
  }

  private render(trade: StoredTrade, breaks: MatchResource['breaks']): MatchResource {
    return tradeMatchResource({ ...trade, status: trade.matchStatus, breaks });
  }

  private alleged(c: StoredConfirmation): MatchResource {
    return allegedMatchResource({ confirmationId: c.terms.confirmationId, senderLei: c.terms.senderLei, profile: c.profile ?? '', updatedAt: c.updatedAt });
  }
}
