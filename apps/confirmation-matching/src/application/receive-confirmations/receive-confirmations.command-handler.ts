import { timeOrderedUuid } from '@postrade/kernel';
import type { EntityManager } from 'typeorm';
import { confirmationForMatching, decideConfirmationVersion, type ConfirmationTerms } from '../../domain/confirmation';
import type { ConfirmationRepository, StoredConfirmation } from '../../persistence/confirmation.repository';
import { addPairingKey, type Causation, type PairingKeyMatcher } from '../rematch/pairing-key-matcher';
import { confirmationResource, type ConfirmationResource } from '../rematch/match-resources';

export interface ReceiveConfirmation extends Causation {
  terms: ConfirmationTerms;
}

const itemId = (t: { senderLei: string; confirmationId: string }) => `confirmation:${t.senderLei}:${t.confirmationId}`;

/**
 * Confirmations from REST or `confirmations.inbound.v1`, one or a run of many: a new confirmation
 * id is stored as version 1, a re-sent one with other terms replaces the previous version, the
 * same terms again change nothing. Then every pairing key they left or entered is re-matched.
 * Runs inside the caller's transaction.
 */
export class ReceiveConfirmationsHandler {
  constructor(
    private readonly confirmations: ConfirmationRepository,
    private readonly matcher: PairingKeyMatcher,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Applies the confirmations and returns each one's resource (the REST answer). */
  async execute(em: EntityManager, received: readonly ReceiveConfirmation[]): Promise<ConfirmationResource[]> {
    const { current, versions, matched } = await this.apply(em, received);
    return received.map((r) => {
      const id = itemId(r.terms);
      const latest = versions.get(id);
      const before = current.get(id);
      const base = latest ?? before!;
      const match = matched.confirmations.get(base.id) ?? { matchStatus: before!.matchStatus, tradeId: before!.tradeId };
      return confirmationResource({ ...base, ...match });
    });
  }

  /** Applies the confirmations (from Kafka: nobody waits for an answer). */
  async apply(em: EntityManager, received: readonly ReceiveConfirmation[]) {
    await this.matcher.locks.lockItems(em, received.map((r) => itemId(r.terms)));
    const stored = await this.confirmations.bySenderReferences(em, dedupe(received.map((r) => r.terms)));
    const current = new Map<string, StoredConfirmation>(stored.map((c) => [itemId(c.terms), c]));

    const at = this.now().toISOString();
    const keys = new Map();
    const versions = new Map<string, { id: string; version: number; terms: ConfirmationTerms; receivedAt: string }>();
    for (const r of received) {
      const id = itemId(r.terms);
      const held = versions.get(id) ?? current.get(id) ?? null;
      const decision = decideConfirmationVersion(held, r.terms);
      if (decision.kind === 'unchanged') continue;
      if (held) addPairingKey(keys, confirmationForMatching(held.terms, held.version), r);
      addPairingKey(keys, confirmationForMatching(r.terms, decision.version), r);
      // Time-ordered ids: the primary key of confirmations grows at its right edge.
      versions.set(id, { id: held?.id ?? timeOrderedUuid(), version: decision.version, terms: r.terms, receivedAt: at });
    }
    await this.matcher.lockKeys(em, keys);
    const matched = await this.matcher.rematch(em, keys, { confirmations: [...versions.values()] });
    return { current, versions, matched };
  }
}

function dedupe(terms: readonly ConfirmationTerms[]): { senderLei: string; confirmationId: string }[] {
  const seen = new Map(terms.map((t) => [itemId(t), { senderLei: t.senderLei, confirmationId: t.confirmationId }]));
  return [...seen.values()];
}
