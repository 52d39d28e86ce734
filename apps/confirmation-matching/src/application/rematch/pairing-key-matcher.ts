import type { EntityManager } from 'typeorm';
import { Topics, type MatchResource, type MatchStatus } from '@postrade/contracts';
import type { EventToPublish, Outbox } from '@postrade/messaging';
import { confirmationForMatching, type ConfirmationTerms } from '../../domain/confirmation';
import { matchPairingGroup, pairingKeyOf, type OperatorDecision, type PairingTerms, type TradeForMatching } from '../../domain/matching';
import { selectProfile } from '../../domain/matching-profile';
import type { ConfirmationMatchUpdate, ConfirmationRepository, StoredConfirmation } from '../../persistence/confirmation.repository';
import type { MatchingProfileRepository } from '../../persistence/matching-profile.repository';
import type { PairingLocks } from '../../persistence/pairing-locks';
import type { StoredTrade, TradeMatchUpdate, TradeRepository } from '../../persistence/trade.repository';
import { allegedMatchResource, MATCH_EVENT_TYPES, tradeMatchResource } from './match-resources';

/** Why a pairing key is re-matched: the event or request whose ids the published results carry. */
export interface Causation {
  correlationId?: string;
  causationId?: string;
}

/** Versions arriving in this transaction, not yet stored: matched first, then written once with their result. */
export interface ArrivingVersions {
  trades?: readonly TradeForMatching[];
  confirmations?: readonly ArrivingConfirmation[];
}

export interface ArrivingConfirmation {
  /** Platform id: the held confirmation's, or a new one. */
  id: string;
  version: number;
  terms: ConfirmationTerms;
  receivedAt: string;
}

// Where matching stands for an item it has never evaluated: any decision differs from it.
const NEVER_MATCHED_TRADE = {
  matchStatus: 'UNMATCHED',
  confirmationId: null,
  evaluatedTradeVersion: 0,
  evaluatedConfirmationVersion: null,
  profile: '',
  profileRevision: 0,
  pin: null,
  exclusions: [],
  hasBreaks: false,
  updatedAt: '',
  affirmationCutoff: null,
} as const;
const NEVER_MATCHED_CONFIRMATION = { matchStatus: 'ALLEGED', tradeId: null, evaluatedVersion: 0, profile: null, updatedAt: '' } as const;

/** Where matching left the items of the re-matched keys. */
export interface RematchResult {
  confirmations: Map<string, { matchStatus: MatchStatus; tradeId: string | null }>;
  trades: Map<string, MatchResource>;
}

/**
 * The application side of matching: after any change to trades or confirmations, every pairing key
 * the change touched (before and after it) is matched again from what is stored, by the pure
 * domain function, so the result depends on the set of items and never on their arrival order.
 * Only what changed is written, in multi-row statements, and each change is published on
 * `matching.results.v1` through the outbox in the same transaction.
 */
export class PairingKeyMatcher {
  constructor(
    private readonly trades: TradeRepository,
    private readonly confirmations: ConfirmationRepository,
    private readonly profiles: MatchingProfileRepository,
    readonly locks: PairingLocks,
    private readonly outbox: Outbox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Locks the pairing keys (call after locking the items, before writing them). */
  async lockKeys(em: EntityManager, keys: ReadonlyMap<string, unknown>): Promise<void> {
    await this.locks.lockPairingKeys(em, [...keys.keys()]);
  }

  async rematch(em: EntityManager, keys: ReadonlyMap<string, { terms: PairingTerms; causation: Causation }>, arriving: ArrivingVersions = {}): Promise<RematchResult> {
    const result: RematchResult = { confirmations: new Map(), trades: new Map() };
    if (keys.size === 0) return result;
    const terms = [...keys.values()].map((k) => k.terms);
    // One connection per transaction: its statements run one after the other.
    const storedTrades = await this.trades.ofPairingKeys(em, terms);
    const storedConfirmations = await this.confirmations.ofPairingKeys(em, terms);
    const profiles = await this.profiles.all(em);

    // Arriving versions replace what is stored (their old key was loaded too, so one that moves
    // leaves its old group here).
    const arrivingTrades = new Map((arriving.trades ?? []).map((t) => [t.tradeId, t]));
    const storedTradeById = new Map(storedTrades.map((t) => [t.tradeId, t]));
    const trades: StoredTrade[] = [
      ...storedTrades.filter((t) => !arrivingTrades.has(t.tradeId)),
      ...[...arrivingTrades.values()].map((t) => ({ ...(storedTradeById.get(t.tradeId) ?? NEVER_MATCHED_TRADE), ...t })),
    ];
    const arrivingConfirmations = new Map((arriving.confirmations ?? []).map((c) => [c.id, c]));
    const storedConfirmationById = new Map(storedConfirmations.map((c) => [c.id, c]));
    const confirmations: StoredConfirmation[] = [
      ...storedConfirmations.filter((c) => !arrivingConfirmations.has(c.id)),
      ...[...arrivingConfirmations.values()].map((c): StoredConfirmation => {
        const { matchStatus, tradeId, evaluatedVersion, profile, updatedAt } = storedConfirmationById.get(c.id) ?? NEVER_MATCHED_CONFIRMATION;
        // A new version is live: any cancellation was of the version it replaces.
        return { id: c.id, version: c.version, terms: c.terms, receivedAt: c.receivedAt, matchStatus, tradeId, evaluatedVersion, profile, updatedAt, cancellation: null };
      }),
    ];

    const groups = new Map<string, { trades: StoredTrade[]; confirmations: StoredConfirmation[] }>();
    const groupOf = (key: string) => groups.get(key) ?? groups.set(key, { trades: [], confirmations: [] }).get(key)!;
    for (const t of trades) groupOf(pairingKeyOf(t)).trades.push(t);
    for (const c of confirmations) groupOf(pairingKeyOf(confirmationForMatching(c.terms, c.version))).confirmations.push(c);
    const forMatching = (c: StoredConfirmation) => confirmationForMatching(c.terms, c.version, c.cancellation !== null);

    const at = this.now().toISOString();
    const tradeUpdates: (TradeMatchUpdate & { hadBreaks: boolean })[] = [];
    const confirmationUpdates: ConfirmationMatchUpdate[] = [];
    const events: EventToPublish<MatchResource>[] = [];
    for (const [key, group] of groups) {
      const causation = keys.get(key)?.causation ?? {};
      const first = group.trades[0] ?? confirmationForMatching(group.confirmations[0].terms, 0);
      const profile = selectProfile(profiles, first.counterpartyLei, first.currency);
      const matches = matchPairingGroup({
        trades: group.trades,
        confirmations: group.confirmations.map(forMatching),
        profile,
        pins: group.trades.flatMap((t) => (t.pin ? [t.pin] : [])),
        exclusions: group.trades.flatMap((t) => t.exclusions),
        affirmed: group.trades.flatMap((t) => standingAffirmation(t)),
      });
      const byReference = new Map(group.confirmations.map((c) => [c.terms.confirmationId, c]));

      for (const match of matches.trades) {
        const stored = group.trades.find((t) => t.tradeId === match.tradeId)!;
        const paired = match.confirmationId === null ? null : byReference.get(match.confirmationId)!;
        const update: TradeMatchUpdate = {
          tradeId: match.tradeId,
          status: match.status,
          confirmationId: match.confirmationId,
          evaluatedTradeVersion: stored.version,
          evaluatedConfirmationVersion: paired?.version ?? null,
          profile: profile.name,
          profileRevision: profile.revision,
          breaks: match.breaks,
          updatedAt: at,
        };
        if (!changedTrade(stored, update)) continue;
        tradeUpdates.push({ ...update, hadBreaks: stored.hasBreaks });
        const resource = tradeMatchResource({ ...update, counterpartyLei: stored.counterpartyLei });
        result.trades.set(match.tradeId, resource);
        // Auto-affirmation is a second status change: the pair is MATCHED, then AFFIRMED by the profile.
        if (match.status === 'AFFIRMED' && match.pin !== 'AFFIRMED' && !(stored.matchStatus === 'AFFIRMED' && stored.confirmationId === match.confirmationId)) {
          events.push({ topic: Topics.matchingResults, key: match.tradeId, type: MATCH_EVENT_TYPES.MATCHED, data: { ...resource, status: 'MATCHED' }, ...causation });
        }
        events.push({ topic: Topics.matchingResults, key: match.tradeId, type: MATCH_EVENT_TYPES[match.status], data: resource, ...causation });
      }

      for (const match of matches.confirmations) {
        const stored = byReference.get(match.confirmationId)!;
        result.confirmations.set(stored.id, { matchStatus: match.status, tradeId: match.tradeId });
        const update: ConfirmationMatchUpdate = { id: stored.id, status: match.status, tradeId: match.tradeId, evaluatedVersion: stored.version, profile: profile.name, updatedAt: at };
        if (!changedConfirmation(stored, update)) continue;
        confirmationUpdates.push(update);
        // A paired confirmation's news travels in its trade's event; an alleged or cancelled one has no trade to carry it.
        if (match.tradeId === null && (match.status === 'ALLEGED' || match.status === 'CANCELLED')) {
          const resource = allegedMatchResource({ confirmationId: stored.terms.confirmationId, senderLei: stored.terms.senderLei, profile: profile.name, updatedAt: at }, match.status);
          events.push({ topic: Topics.matchingResults, key: stored.id, type: MATCH_EVENT_TYPES[match.status], data: resource, ...causation });
        }
      }
    }
    await this.trades.saveVersions(
      em,
      tradeUpdates.filter((u) => arrivingTrades.has(u.tradeId)).map((match) => ({ trade: arrivingTrades.get(match.tradeId)!, match })),
    );
    await this.trades.saveMatches(em, tradeUpdates.filter((u) => !arrivingTrades.has(u.tradeId)));
    await this.trades.replaceBreaks(em, tradeUpdates);
    await this.confirmations.saveVersions(
      em,
      confirmationUpdates.filter((u) => arrivingConfirmations.has(u.id)).map((match) => ({ ...arrivingConfirmations.get(match.id)!, match })),
    );
    await this.confirmations.saveMatches(em, confirmationUpdates.filter((u) => !arrivingConfirmations.has(u.id)));
    await this.outbox.add(em, events);
    return result;
  }
}

/** The pair a trade was last left AFFIRMED in (automatically or by operations), at the versions evaluated. */
function standingAffirmation(t: StoredTrade): OperatorDecision[] {
  if (t.matchStatus !== 'AFFIRMED' || t.confirmationId === null || t.evaluatedConfirmationVersion === null) return [];
  return [{ tradeId: t.tradeId, confirmationId: t.confirmationId, tradeVersion: t.evaluatedTradeVersion, confirmationVersion: t.evaluatedConfirmationVersion }];
}

function changedTrade(stored: StoredTrade, update: TradeMatchUpdate): boolean {
  return (
    stored.matchStatus !== update.status ||
    stored.confirmationId !== update.confirmationId ||
    stored.evaluatedTradeVersion !== update.evaluatedTradeVersion ||
    stored.evaluatedConfirmationVersion !== update.evaluatedConfirmationVersion ||
    stored.profile !== update.profile ||
    stored.profileRevision !== update.profileRevision
  );
}

function changedConfirmation(stored: StoredConfirmation, update: ConfirmationMatchUpdate): boolean {
  return (
    stored.matchStatus !== update.status ||
    stored.tradeId !== update.tradeId ||
    stored.evaluatedVersion !== update.evaluatedVersion ||
    stored.profile !== update.profile
  );
}

/** Adds a pairing key to a set of keys to re-match; the first cause of a key is kept. */
export function addPairingKey(keys: Map<string, { terms: PairingTerms; causation: Causation }>, terms: PairingTerms, causation: Causation): void {
  const key = pairingKeyOf(terms);
  if (!keys.has(key)) keys.set(key, { terms, causation });
}
