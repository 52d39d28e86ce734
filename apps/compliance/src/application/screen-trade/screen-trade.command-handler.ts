import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Outbox } from '@postrade/messaging';
import type { AuditEntry } from '../../domain/audit-chain';
import {
  checkExposureLimit,
  checkLargeTrader,
  checkRestrictedList,
  checkSanctions,
  checkSelfTrade,
  checkWashTrade,
  outcomeOf,
  WASH_TRADE_WINDOW_SECONDS,
  type AlertDraft,
} from '../../domain/compliance-checks';
import type { ScreenedTrade } from '../../domain/screened-trade';
import type { DecisionRepository } from '../../persistence/decision.repository';
import type { ListRepository } from '../../persistence/list.repository';
import type { ReferenceDataRepository } from '../../persistence/reference-data.repository';
import type { ReleaseRequestRepository } from '../../persistence/release-request.repository';
import type { SanctionsRepository } from '../../persistence/sanctions.repository';
import type { ScreenedTradeRepository } from '../../persistence/screened-trade.repository';
import type { AuditTrail } from '../audit/audit-trail';
import { publishDecision, type Causation } from '../decision-events';
import type { RecordSettlement } from '../record-settlement/record-settlement';
import { hitsOf, type SanctionsScreening } from '../sanctions/sanctions-screening';

/** A trade event from trade-capture, as the screening use case takes it. */
export interface ScreenTradeCommand {
  kind: 'captured' | 'amended' | 'cancelled';
  trade: ScreenedTrade;
  legalEntityName: string;
  /** The instrument's asset class as the trade carries it; null to look it up in compliance's copy. */
  assetClass: string | null;
  causation: Causation;
}

const SYSTEM = 'system:compliance';
const NMS_EQUITY_CLASSES = new Set(['EQUITY', 'ETF']);

/**
 * Screens every captured or amended trade version afresh and decides CLEARED or HELD; a
 * cancellation closes the trade's open alerts. A version already seen (or older) has no effect.
 * Runs in the consumer's transaction; locks the counterparty, then the trade, then the book's day,
 * and writes the audit trail last.
 */
export class ScreenTradeHandler {
  constructor(
    private readonly trades: ScreenedTradeRepository,
    private readonly referenceData: ReferenceDataRepository,
    private readonly lists: ListRepository,
    private readonly decisions: DecisionRepository,
    private readonly requests: ReleaseRequestRepository,
    private readonly sanctions: SanctionsRepository,
    private readonly screening: SanctionsScreening,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
    private readonly settlements: RecordSettlement,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async execute(command: ScreenTradeCommand, em: EntityManager): Promise<void> {
    const { trade } = command;
    await this.referenceData.saveCounterparty(em, trade.counterparty.lei, trade.counterparty.name, undefined);
    await this.referenceData.saveLegalEntity(em, trade.legalEntityLei, command.legalEntityName);
    const counterparty = (await this.referenceData.lockCounterparty(em, trade.counterparty.lei))!;
    const stored = await this.trades.lock(em, trade.tradeId);
    if (stored !== null && stored.version >= trade.version) return;

    const at = this.now().toISOString();
    const audit: AuditEntry[] = [];
    if (command.kind === 'cancelled') {
      if (stored === null) await this.trades.save(em, trade);
      else await this.trades.cancel(em, trade.tradeId, trade.version);
      await this.settlements.releaseParked(em, trade.tradeId);
      const closed = await this.decisions.endOpenAlerts(em, trade.tradeId, 'CLOSED', 'trade cancelled', at);
      await this.withdrawPendingRequest(em, trade.tradeId, 'trade cancelled', at, audit);
      if (closed.length > 0) {
        audit.push({ actor: SYSTEM, action: 'alerts.closed', entityType: 'trade', entityId: trade.tradeId, before: null, after: { alertIds: closed, reason: 'trade cancelled' } });
      }
      await this.audit.record(em, audit);
      return;
    }

    const previous = await this.decisions.lock(em, trade.tradeId);
    const before = previous ? await this.decisions.resource(em, previous) : null;
    await this.trades.save(em, trade);
    if (previous !== null) {
      await this.decisions.endOpenAlerts(em, trade.tradeId, 'CLOSED', `superseded by version ${trade.version}`, at);
      await this.withdrawPendingRequest(em, trade.tradeId, `trade amended to version ${trade.version}`, at, audit);
    }

    const matches = await this.screening.screen(em, { ...counterparty, lei: trade.counterparty.lei });
    await this.sanctions.replaceHits(em, counterparty.lei, hitsOf(matches), at);
    const restriction = await this.lists.restriction(em, trade.isin);
    const assetClass = command.assetClass ?? (await this.referenceData.assetClass(em, trade.isin));
    const drafts: AlertDraft[] = [
      ...checkRestrictedList(trade, restriction ? [restriction] : []),
      ...checkSanctions(counterparty.lei, matches, this.screening.threshold),
      ...checkExposureLimit(
        trade,
        await this.lists.limit(em, counterparty.lei, trade.currency),
        await this.trades.openExposure(em, counterparty.lei, trade.currency, trade.tradeId),
      ),
      ...checkSelfTrade(trade, await this.referenceData.ourLegalEntityLeis(em)),
      ...checkWashTrade(trade, await this.trades.washTradeCandidates(em, trade, WASH_TRADE_WINDOW_SECONDS)),
      // An instrument compliance has not heard of counts as an equity: better a spare alert than a missed one.
      ...checkLargeTrader(trade, assetClass === null || NMS_EQUITY_CLASSES.has(assetClass), await this.trades.lockBookDay(em, trade.book, trade.tradeDate, trade.tradeId)),
    ];

    const decision = { tradeId: trade.tradeId, tradeVersion: trade.version, outcome: outcomeOf(drafts), counterpartyLei: counterparty.lei, decidedAt: at };
    await this.decisions.save(em, decision);
    await this.decisions.raise(em, trade.tradeId, trade.version, drafts, drafts.map(() => randomUUID()), at);
    const after = await this.decisions.resource(em, decision);
    await publishDecision(this.outbox, em, after, command.causation);
    if (stored === null) await this.settlements.releaseParked(em, trade.tradeId);
    audit.push({ actor: SYSTEM, action: `decision.${decision.outcome.toLowerCase()}`, entityType: 'trade', entityId: trade.tradeId, before, after });
    await this.audit.record(em, audit);
  }

  /** A new version or a cancellation ends the pending proposal about the old one. */
  private async withdrawPendingRequest(em: EntityManager, tradeId: string, reason: string, at: string, audit: AuditEntry[]): Promise<void> {
    const pending = await this.requests.pendingFor(em, tradeId);
    if (pending === null) return;
    const declined = { ...pending, status: 'DECLINED' as const, decidedBy: SYSTEM, decidedAt: at };
    await this.requests.saveDecision(em, declined);
    audit.push({ actor: SYSTEM, action: 'release-request.declined', entityType: 'trade', entityId: tradeId, before: pending, after: { ...declined, withdrawnBecause: reason } });
  }
}
