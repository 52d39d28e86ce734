import type { EntityManager } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import type { MatchResource, MatchStatus } from '@postrade/contracts';
import { pageOf, type Page } from '@postrade/platform';
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

  /** Matches in a status, by last change; ALLEGED ones are confirmations without a trade. */
  async list(status: MatchStatus | undefined, after: MatchPosition | undefined, limit: number): Promise<Page<MatchResource>> {
    if (status === 'ALLEGED') {
      const rows = await this.confirmations.alleged(this.em, { after, limit: limit + 1 });
      return pageOf(rows, limit, { positionOf: (c) => ({ updatedAt: c.updatedAt, id: c.id }), toItem: (c) => this.alleged(c) });
    }
    if (status === undefined) {
      // Both tables in one order: read a page from each and keep the first `limit` of the merge.
      const [trades, alleged] = await Promise.all([this.trades.list(this.em, { after, limit: limit + 1 }), this.confirmations.alleged(this.em, { after, limit: limit + 1 })]);
      const breaks = await this.trades.breaksOf(this.em, trades.map((t) => t.tradeId));
      const merged = [
        ...trades.map((t) => ({ position: { updatedAt: t.updatedAt, id: t.tradeId }, item: this.render(t, breaks.get(t.tradeId) ?? []) })),
        ...alleged.map((c) => ({ position: { updatedAt: c.updatedAt, id: c.id }, item: this.alleged(c) })),
      ].sort((a, b) => (a.position.updatedAt === b.position.updatedAt ? (a.position.id < b.position.id ? -1 : 1) : a.position.updatedAt < b.position.updatedAt ? -1 : 1));
      return pageOf(merged, limit, { positionOf: (m) => m.position, toItem: (m) => m.item });
    }
    const rows = await this.trades.list(this.em, { status, after, limit: limit + 1 });
    const breaks = await this.trades.breaksOf(this.em, rows.map((t) => t.tradeId));
    return pageOf(rows, limit, { positionOf: (t) => ({ updatedAt: t.updatedAt, id: t.tradeId }), toItem: (t) => this.render(t, breaks.get(t.tradeId) ?? []) });
  }

  async confirmation(id: string, reader: Reader): Promise<ConfirmationResource> {
    const confirmation = await this.confirmations.byId(this.em, id);
    // Another party's confirmation does not exist as far as a counterparty can tell.
    if (!confirmation || (reader.senderLei !== undefined && confirmation.terms.senderLei !== reader.senderLei)) throw DomainError.notFound('Confirmation', id);
    return confirmationResource(confirmation);
  }

  async listConfirmations(
    filter: { matchStatus?: MatchStatus; confirmationId?: string; after?: ReceivedPosition; limit: number },
    reader: Reader,
  ): Promise<Page<ConfirmationResource>> {
    const rows = await this.confirmations.list(this.em, { ...filter, senderLei: reader.senderLei, limit: filter.limit + 1 });
    return pageOf(rows, filter.limit, { positionOf: (c) => ({ receivedAt: c.receivedAt, id: c.id }), toItem: confirmationResource });
  }

  private render(trade: StoredTrade, breaks: MatchResource['breaks']): MatchResource {
    return tradeMatchResource({ ...trade, status: trade.matchStatus, breaks });
  }

  private alleged(c: StoredConfirmation): MatchResource {
    return allegedMatchResource({ confirmationId: c.terms.confirmationId, senderLei: c.terms.senderLei, profile: c.profile ?? '', updatedAt: c.updatedAt });
  }
}
