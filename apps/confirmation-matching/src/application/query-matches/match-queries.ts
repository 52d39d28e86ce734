import type { EntityManager } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import type { MatchResource, MatchStatus } from '@postrade/contracts';
import type { ConfirmationRepository, StoredConfirmation } from '../../persistence/confirmation.repository';
import type { MatchListFilter, MatchRequest, StoredTrade, TradeRepository } from '../../persistence/trade.repository';
import { cutoffStatus, type CutoffStatus } from '../../domain/affirmation-cutoff';
import { allegedMatchResource, confirmationResource, tradeMatchResource, type ConfirmationResource } from '../rematch/match-resources';

export interface MatchPosition {
  updatedAt: string;
  id: string;
}
export interface ReceivedPosition {
  receivedAt: string;
  id: string;
}

/**
 * A match as the queues show it: besides the match resource, the trade's counterparty and trade
 * date, its age in its current status, and (US trades) its same-day affirmation cutoff and where
 * it stands against it.
 */
export type QueuedMatch = MatchResource & {
  counterpartyLei: string;
  tradeDate: string;
  ageSeconds: number;
  affirmationCutoff: string | null;
  cutoffStatus: CutoffStatus | null;
};

/** A listed match and where it stands in the list: trades and alleged confirmations share one order (oldest change first: by age). */
export interface ListedMatch {
  position: MatchPosition;
  match: QueuedMatch;
}

/** The queue filters as asked: `minAgeMs` keeps items unchanged for at least that long. */
export type MatchQueueFilter = Omit<MatchListFilter, 'changedBy' | 'now'> & { minAgeMs?: number };

/** Who asks: a counterparty sees only what its own LEI sent. */
export interface Reader {
  senderLei?: string;
}

/** A trade's match, with every operator action on it (who, who approved, when, why) and the maker-checker requests on it. */
export type MatchView = MatchResource & {
  counterpartyLei: string;
  tradeDate: string;
  affirmationCutoff: string | null;
  cutoffStatus: CutoffStatus | null;
  actions: { action: string; confirmationId: string | null; reason: string | null; actedBy: string; actedAt: string; approvedBy: string | null }[];
  requests: MatchRequest[];
};

/** Reads of matches and confirmations. Single reads, so no transaction. */
export class MatchQueries {
  constructor(
    private readonly em: EntityManager,
    private readonly trades: TradeRepository,
    private readonly confirmations: ConfirmationRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async byTrade(tradeId: string): Promise<MatchView> {
    const [trade] = await this.trades.byIds(this.em, [tradeId]);
    if (!trade) throw DomainError.notFound('Match of trade', tradeId);
    const [breaks, actions, requests] = await Promise.all([
      this.trades.breaksOf(this.em, [tradeId]),
      this.trades.actionsOf(this.em, tradeId),
      this.trades.requestsOf(this.em, tradeId),
    ]);
    return { ...this.render(trade, breaks.get(tradeId) ?? []), ...this.queueFields(trade, this.now()), actions, requests };
  }

  /**
   * The match a confirmation (by platform id) is part of: its trade's, breaks included, or its own
   * while alleged or cancelled. A counterparty reaches only the confirmations it sent.
   */
  async byConfirmation(id: string, reader: Reader = {}): Promise<MatchResource> {
    const confirmation = await this.confirmations.byId(this.em, id);
    if (!confirmation || (reader.senderLei !== undefined && confirmation.terms.senderLei !== reader.senderLei)) throw DomainError.notFound('Confirmation', id);
    if (confirmation.tradeId === null) return this.alleged(confirmation);
    const { actions: _actions, requests: _requests, ...match } = await this.byTrade(confirmation.tradeId);
    return match;
  }

  /** Up to `limit` matches in a status after `after`, by last change; ALLEGED ones are confirmations without a trade. */
  async list(status: MatchStatus | undefined, after: MatchPosition | undefined, limit: number, queue: MatchQueueFilter = {}): Promise<ListedMatch[]> {
    const now = this.now();
    const { minAgeMs, ...filter } = queue;
    const changedBy = minAgeMs === undefined ? undefined : new Date(now.getTime() - minAgeMs).toISOString();
    // An alleged confirmation has no breaks and no cutoff of its own: those filters leave it out.
    const allegedListed = (status === undefined || status === 'ALLEGED') && filter.breakField === undefined && filter.cutoff === undefined;
    const [trades, alleged] = await Promise.all([
      status === 'ALLEGED' ? [] : this.trades.list(this.em, { ...filter, changedBy, now: now.toISOString(), status, after, limit }),
      allegedListed ? this.confirmations.alleged(this.em, { after, limit, senderLei: filter.counterpartyLei, tradeDate: filter.tradeDate, changedBy }) : [],
    ]);
    const breaks = trades.length === 0 ? new Map<string, MatchResource['breaks']>() : await this.trades.breaksOf(this.em, trades.map((t) => t.tradeId));
    const ageOf = (updatedAt: string) => Math.max(0, Math.floor((now.getTime() - Date.parse(updatedAt)) / 1000));
    const listed: ListedMatch[] = [
      ...trades.map((t) => ({
        position: { updatedAt: t.updatedAt, id: t.tradeId },
        match: { ...this.render(t, breaks.get(t.tradeId) ?? []), ...this.queueFields(t, now), ageSeconds: ageOf(t.updatedAt) },
      })),
      ...alleged.map((c) => ({
        position: { updatedAt: c.updatedAt, id: c.id },
        match: { ...this.alleged(c), counterpartyLei: c.terms.senderLei, tradeDate: c.terms.tradeDate, ageSeconds: ageOf(c.updatedAt), affirmationCutoff: null, cutoffStatus: null },
      })),
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

  private queueFields(t: StoredTrade, now: Date) {
    return {
      counterpartyLei: t.counterpartyLei,
      tradeDate: t.tradeDate,
      affirmationCutoff: t.affirmationCutoff,
      cutoffStatus: cutoffStatus({ status: t.matchStatus, updatedAt: t.updatedAt, affirmationCutoff: t.affirmationCutoff }, now),
    };
  }

  private render(trade: StoredTrade, breaks: MatchResource['breaks']): MatchResource {
    return tradeMatchResource({ ...trade, status: trade.matchStatus, breaks });
  }

  private alleged(c: StoredConfirmation): MatchResource {
    const status = c.matchStatus === 'CANCELLED' ? 'CANCELLED' : 'ALLEGED';
    return allegedMatchResource({ confirmationId: c.terms.confirmationId, senderLei: c.terms.senderLei, profile: c.profile ?? '', updatedAt: c.updatedAt }, status);
  }
}
