import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Outbox } from '@postrade/messaging';
import type { AuditEntry } from '@postrade/persistence';
import { checkSanctions, type ListedSanctionsMatch } from '../../domain/compliance-checks';
import type { ScreenedCounterparty } from '../../domain/screened-trade';
import { withdraw } from '../../domain/release-request';
import type { DecisionRepository } from '../../persistence/decision.repository';
import type { ReleaseRequestRepository } from '../../persistence/release-request.repository';
import type { SanctionsRepository } from '../../persistence/sanctions.repository';
import type { ScreenedTradeRepository } from '../../persistence/screened-trade.repository';
import { publishDecision, type Causation } from '../decision-events';
import { hitsOf, type SanctionsScreening } from './sanctions-screening';

export interface RescreeningResult {
  newHits: ListedSanctionsMatch[];
  heldTradeIds: string[];
  audit: AuditEntry[];
}

/**
 * Screens a counterparty again (after a list version or its names changed). A hit on an entry it
 * did not hit before (and that no approved false-positive decision covers) raises a SANCTIONS alert on each of its open trades and holds them (a
 * rejected trade stays rejected) and withdraws a pending release or rejection request of the trade. The caller holds the counterparty's row lock and writes the
 * returned audit entries last.
 */
export class CounterpartyRescreening {
  constructor(
    private readonly screening: SanctionsScreening,
    private readonly sanctions: SanctionsRepository,
    private readonly trades: ScreenedTradeRepository,
    private readonly decisions: DecisionRepository,
    private readonly outbox: Outbox,
    private readonly requests: ReleaseRequestRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async rescreen(em: EntityManager, counterparty: ScreenedCounterparty, actor: string, causation: Causation = {}): Promise<RescreeningResult> {
    const at = this.now().toISOString();
    const matches = await this.screening.screen(em, counterparty);
    const known = new Set((await this.sanctions.hitsOf(em, counterparty.lei)).map((hit) => `${hit.source}\u0000${hit.entryId}`));
    // A hit a false-positive decision covers is neither recorded nor new: it holds nothing.
    const newHits = matches.filter((match) => match.suppressedBy === undefined && !known.has(`${match.source}\u0000${match.entryId}`));
    await this.sanctions.replaceHits(em, counterparty.lei, hitsOf(matches), at);
    if (newHits.length === 0) return { newHits, heldTradeIds: [], audit: [] };

    const audit: AuditEntry[] = [];
    const heldTradeIds: string[] = [];
    const screenedAgainst = (await this.sanctions.versions(em)).map((list) => ({ source: list.source, version: list.version }));
    const drafts = checkSanctions(counterparty.lei, newHits, this.screening.threshold);
    for (const trade of await this.trades.openTradeIdsOf(em, counterparty.lei)) {
      const decision = await this.decisions.lock(em, trade.tradeId);
      if (decision === null || decision.outcome === 'REJECTED') continue;
      const before = await this.decisions.resource(em, decision);
      await this.decisions.raise(em, decision.tradeId, decision.tradeVersion, drafts, drafts.map(() => randomUUID()), at);
      const held = { ...decision, outcome: 'HELD' as const, decidedAt: at, screenedAgainst };
      await this.decisions.save(em, held);
      const after = await this.decisions.resource(em, held);
      await publishDecision(this.outbox, em, after, causation);
      audit.push({ actor, action: 'decision.held', entityType: 'trade', entityId: decision.tradeId, before, after: { ...after, screenedAgainst } });
      heldTradeIds.push(decision.tradeId);
      // A new alert withdraws a pending release or rejection: it was proposed without this alert.
      const pending = await this.requests.pendingFor(em, decision.tradeId);
      if (pending !== null) {
        const withdrawn = withdraw(pending, actor, at);
        await this.requests.saveDecision(em, withdrawn);
        audit.push({ actor, action: 'release-request.withdrawn', entityType: 'trade', entityId: decision.tradeId, before: pending, after: { ...withdrawn, withdrawnBecause: 'new SANCTIONS alert' } });
      }
    }
    audit.push({
      actor,
      action: 'counterparty.sanctions-hit',
      entityType: 'counterparty',
      entityId: counterparty.lei,
      before: null,
      after: { newHits: drafts.map((d) => d.details), heldTradeIds },
    });
    return { newHits, heldTradeIds, audit };
  }
}
