import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ComplianceDecisionResource } from '@postrade/contracts';
import { Decimal, LocalDate } from '@postrade/kernel';
import type { Outbox } from '@postrade/messaging';
import type { AuditEntry, AuditTrail } from '@postrade/persistence';
import {
  checkExposureLimit,
  checkLargeTrader,
  checkRestrictedList,
  checkSanctions,
  checkSelfTrade,
  checkWashTrade,
  isNmsSecurity,
  outcomeOf,
  WASH_TRADE_WINDOW_SECONDS,
  type AlertDraft,
  type BookDayActivity,
  type ListedSanctionsMatch,
  type WashTradeCandidate,
} from '../../domain/compliance-checks';
import { thresholdsOn, type LargeTraderThresholds } from '../../domain/control-change';
import { entriesInForceOn, type RestrictionPeriod } from '../../domain/restricted-list';
import type { ScreenedCounterparty, ScreenedTrade } from '../../domain/screened-trade';
import type { DecisionRepository, StoredDecision } from '../../persistence/decision.repository';
import { limitedCounterparties, limitKey, type ListRepository } from '../../persistence/list.repository';
import type { ReferenceDataRepository } from '../../persistence/reference-data.repository';
import { withdraw } from '../../domain/release-request';
import type { ReleaseRequestRepository } from '../../persistence/release-request.repository';
import type { SanctionsListVersion, SanctionsRepository, StoredSanctionsHit } from '../../persistence/sanctions.repository';
import { bookDayKey, type BookDayContribution, type ScreenedTradeRepository, type StoredScreenedTrade } from '../../persistence/screened-trade.repository';
import { publishDecisions, type Causation } from '../decision-events';
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

/** A trade version screened in this batch whose decision is not written yet. */
interface PendingDecision {
  command: ScreenTradeCommand;
  drafts: AlertDraft[];
  isNmsEquity: boolean;
  before: ComplianceDecisionResource | null;
}

/** What a batch reads once and every trade of it shares. */
interface BatchContext {
  at: string;
  counterparties: Map<string, ScreenedCounterparty>;
  limits: Map<string, Decimal>;
  ourLegalEntityLeis: Set<string>;
  sanctionsMatches: Map<string, ListedSanctionsMatch[]>;
  /** The sanctions list versions the batch screened against: each decision's audit record names them. */
  screenedAgainst: { source: string; version: string }[];
  restrictions: Map<string, RestrictionPeriod[]>;
  /** Every period of the large-trader thresholds: each trade is checked against those in force on its trade date. */
  thresholds: LargeTraderThresholds[];
  /** Every book-day the batch's screened trades fall on: all are locked together, the first time any is needed. */
  bookDays: { book: string; tradeDate: string }[];
  /** The trades this batch stores a new version of or cancels (a stale version changes nothing). */
  changing: Set<string>;
  /** Each book-day's activity apart from the changing trades; read when the book-days are locked. */
  bookDayActivity: Map<string, BookDayActivity> | null;
  /** What each changing trade adds to its book-day at this point of the batch: its stored version at first, then its latest. */
  batchActivity: Map<string, BookDayContribution>;
  /** What each changing trade added to its book-day as stored before the batch: taken off the stored totals. */
  storedActivity: ReadonlyMap<string, BookDayContribution>;
  /** The batch's trades as they stand at this point of it: stored, then as each command changed them. */
  current: Map<string, StoredScreenedTrade>;
  /** Trade versions to write before anything that reads or references them. */
  unsaved: Map<string, { trade: ScreenedTrade; unsettled: Decimal; closed: boolean }>;
  /** Open exposure per counterparty and currency with a limit, apart from the batch's trades. */
  exposureOutsideBatch: Map<string, Decimal>;
  /** Stored wash-trade candidates of the batch's trades, apart from the batch's trades. */
  washCandidatesOutsideBatch: WashTradeCandidate[];
  assetClasses: Map<string, string>;
  pending: PendingDecision[];
  audit: AuditEntry[];
}

/**
 * Screens every captured or amended trade version afresh and decides CLEARED or HELD; a
 * cancellation closes the trade's open alerts. A version already seen (or older) has no effect.
 *
 * A batch takes its locks in one order that every writer of these rows follows, so that batches
 * of different partitions can wait for each other but never in a cycle: counterparties in LEI
 * order (exclusive only where an exposure limit needs it), then the batch's trades in id order,
 * then the book-days in (book, date) order, then the audit chain. Reference data a trade carries is
 * stored only when compliance has not heard of the party; sanctions hits are rewritten only when
 * they changed. Decisions, alerts, events and audit records are written with one statement each.
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

  execute(command: ScreenTradeCommand, em: EntityManager, auditChain?: string): Promise<void> {
    return this.executeBatch([command], em, auditChain);
  }

  /** Screens a batch of trade events in their order, in the caller's transaction; `auditChain` is the consumed partition's. */
  async executeBatch(commands: readonly ScreenTradeCommand[], em: EntityManager, auditChain?: string): Promise<void> {
    if (commands.length === 0) return;
    const trades = commands.map((c) => c.trade);
    const batchTradeIds = [...new Set(trades.map((t) => t.tradeId))];
    await this.referenceData.addMissingParties(
      em,
      trades.map((t) => t.counterparty),
      commands.map((c) => ({ lei: c.trade.legalEntityLei, name: c.legalEntityName })),
    );
    const counterpartyLeis = trades.map((t) => t.counterparty.lei);
    const limits = await this.lists.limitsOf(em, counterpartyLeis, LocalDate.todayUtc(this.now()));
    const counterparties = await this.referenceData.lockForScreening(em, counterpartyLeis, limitedCounterparties(limits));
    const stored = await this.trades.lockMany(em, batchTradeIds);
    const changing = changingTradeIds(commands, stored);
    const storedActivity = await this.trades.bookDayContributions(em, [...changing]);
    const screened = commands.filter((c) => c.kind !== 'cancelled').map((c) => c.trade);
    // The loaded list versions, read once: every counterparty is screened against them, and each decision names them.
    const lists = await this.sanctions.versions(em);
    const limited = [...new Map(screened.filter((t) => limits.has(limitKey(t.counterparty.lei, t.currency))).map((t) => [limitKey(t.counterparty.lei, t.currency), { lei: t.counterparty.lei, currency: t.currency }])).values()];
    const context: BatchContext = {
      at: this.now().toISOString(),
      counterparties,
      limits,
      ourLegalEntityLeis: await this.referenceData.ourLegalEntityLeis(em),
      sanctionsMatches: await this.screenCounterparties(em, [...counterparties.values()], lists),
      screenedAgainst: lists.map((list) => ({ source: list.source, version: list.version })),
      restrictions: await this.lists.periodsOf(
        em,
        trades.map((t) => t.isin),
      ),
      thresholds: await this.lists.largeTraderThresholds(em),
      bookDays: screened.map((t) => ({ book: t.book, tradeDate: t.tradeDate })),
      changing,
      bookDayActivity: null,
      batchActivity: new Map(storedActivity),
      storedActivity,
      current: new Map(stored),
      unsaved: new Map(),
      exposureOutsideBatch: await this.trades.openExposures(em, limited, batchTradeIds),
      washCandidatesOutsideBatch: await this.trades.washTradeCandidates(em, screened, WASH_TRADE_WINDOW_SECONDS, batchTradeIds),
      assetClasses: await this.referenceData.assetClassesOf(
        em,
        commands.filter((c) => c.kind !== 'cancelled' && c.assetClass === null).map((c) => c.trade.isin),
      ),
      pending: [],
      audit: [],
    };

    const newTradeIds: string[] = [];
    for (const command of commands) {
      const { trade } = command;
      const current = context.current.get(trade.tradeId) ?? null;
      if (current !== null && current.version >= trade.version) continue;
      if (current === null) newTradeIds.push(trade.tradeId);
      // A later version of a trade decided earlier in this batch ends that decision: write it first.
      if (context.pending.some((p) => p.command.trade.tradeId === trade.tradeId)) await this.writeDecisions(em, context);
      if (command.kind === 'cancelled') await this.cancel(em, trade, current, context);
      else await this.screen(em, command, current, context);
    }
    await this.writeDecisions(em, context);
    await this.saveTrades(em, context);
    await this.saveBookDayTotals(em, context);
    await this.settlements.releaseParked(em, newTradeIds);
    await this.audit.record(em, context.audit, auditChain);
  }

  /** Records a trade's new version in the batch's view of it; written by {@link saveTrades}. */
  private apply(context: BatchContext, trade: ScreenedTrade, previous: StoredScreenedTrade | null): void {
    const closed = trade.status === 'CANCELLED';
    // What already settled stays settled when a version changes the amount.
    const unsettled = previous === null ? trade.netAmount.abs() : Decimal.max(trade.netAmount.abs().minus(previous.netAmount.abs().minus(previous.unsettled)), 0);
    context.current.set(trade.tradeId, {
      version: trade.version,
      status: trade.status,
      closed,
      side: trade.side,
      isin: trade.isin,
      book: trade.book,
      quantity: trade.quantity,
      price: trade.price,
      currency: trade.currency,
      netAmount: trade.netAmount,
      unsettled,
      executedAt: trade.executedAt,
      counterpartyLei: trade.counterparty.lei,
    });
    context.unsaved.set(trade.tradeId, { trade, unsettled, closed });
  }

  private async saveTrades(em: EntityManager, context: BatchContext): Promise<void> {
    await this.trades.saveMany(em, [...context.unsaved.values()]);
    context.unsaved.clear();
  }

  private async cancel(em: EntityManager, trade: ScreenedTrade, current: StoredScreenedTrade | null, context: BatchContext): Promise<void> {
    if (current === null) this.apply(context, trade, null);
    else await this.cancelStored(em, trade, current, context);
    context.batchActivity.delete(trade.tradeId);
    const closed = await this.decisions.endOpenAlerts(em, trade.tradeId, 'CLOSED', 'trade cancelled', context.at);
    await this.withdrawPendingRequest(em, trade.tradeId, 'trade cancelled', context);
    if (closed.length > 0) {
      context.audit.push({ actor: SYSTEM, action: 'alerts.closed', entityType: 'trade', entityId: trade.tradeId, before: null, after: { alertIds: closed, reason: 'trade cancelled' } });
    }
  }

  /**
   * A cancellation of a stored trade changes its status and version only: its terms stay as they
   * were. (A version this batch screened earlier is written before the cancellation: see executeBatch.)
   */
  private async cancelStored(em: EntityManager, trade: ScreenedTrade, current: StoredScreenedTrade, context: BatchContext): Promise<void> {
    await this.trades.cancel(em, trade.tradeId, trade.version);
    context.current.set(trade.tradeId, { ...current, version: trade.version, status: 'CANCELLED', closed: true });
  }

  /** Runs every check but the large-trader one (which needs the book-days locked) and records the version. */
  private async screen(em: EntityManager, command: ScreenTradeCommand, current: StoredScreenedTrade | null, context: BatchContext): Promise<void> {
    const { trade } = command;
    const counterparty = context.counterparties.get(trade.counterparty.lei)!;
    let before: ComplianceDecisionResource | null = null;
    if (current !== null) {
      const previous = await this.decisions.lock(em, trade.tradeId);
      before = previous ? await this.decisions.resource(em, previous) : null;
      if (previous !== null) {
        await this.decisions.endOpenAlerts(em, trade.tradeId, 'CLOSED', `superseded by version ${trade.version}`, context.at);
        await this.withdrawPendingRequest(em, trade.tradeId, `trade amended to version ${trade.version}`, context);
      }
    }
    this.apply(context, trade, current);

    const restrictions = entriesInForceOn(context.restrictions.get(trade.isin) ?? [], trade.tradeDate);
    const limit = context.limits.get(limitKey(counterparty.lei, trade.currency)) ?? null;
    const assetClass = command.assetClass ?? context.assetClasses.get(trade.isin) ?? null;
    const drafts: AlertDraft[] = [
      ...checkRestrictedList(trade, restrictions),
      ...checkSanctions(counterparty.lei, context.sanctionsMatches.get(counterparty.lei) ?? [], this.screening.threshold),
      // Without a limit there is nothing to add up.
      ...(limit === null ? [] : checkExposureLimit(trade, limit, openExposure(context, counterparty.lei, trade.currency, trade.tradeId))),
      ...checkSelfTrade(trade, context.ourLegalEntityLeis),
      ...checkWashTrade(trade, washCandidates(context)),
    ];
    // NMS securities only (US equities and ETFs); an instrument compliance has not heard of counts when its ISIN is a US one.
    context.pending.push({ command, drafts, isNmsEquity: isNmsSecurity(trade.isin, assetClass), before });
  }

  /**
   * Adds the large-trader check to the pending decisions (book-days locked, the batch's trades
   * counted in batch order, as if screened one by one), then writes decisions, alerts, their
   * events and audit entries with one statement each.
   */
  private async writeDecisions(em: EntityManager, context: BatchContext): Promise<void> {
    if (context.pending.length === 0) return;
    context.bookDayActivity ??= await this.trades.lockBookDays(em, context.bookDays, context.storedActivity);
    const decisions: StoredDecision[] = [];
    const alerts: { alertId: string; tradeId: string; tradeVersion: number; draft: AlertDraft }[] = [];
    const published: { decision: ComplianceDecisionResource; causation: Causation }[] = [];
    for (const { command, drafts, isNmsEquity, before } of context.pending) {
      const { trade } = command;
      const key = bookDayKey(trade.book, trade.tradeDate);
      const activity = this.activityBefore(context, key, trade.tradeId);
      const all = [...drafts, ...checkLargeTrader(trade, isNmsEquity, activity, thresholdsOn(context.thresholds, trade.tradeDate))];
      if (isNmsEquity) context.batchActivity.set(trade.tradeId, { key, shares: trade.quantity, usdNotional: trade.currency === 'USD' ? trade.grossAmount.abs() : new Decimal(0) });
      else context.batchActivity.delete(trade.tradeId);

      const decision: StoredDecision = { tradeId: trade.tradeId, tradeVersion: trade.version, outcome: outcomeOf(all), counterpartyLei: trade.counterparty.lei, decidedAt: context.at, screenedAgainst: context.screenedAgainst };
      const raised = all.map((draft) => ({ alertId: randomUUID(), tradeId: trade.tradeId, tradeVersion: trade.version, draft }));
      decisions.push(decision);
      alerts.push(...raised);
      const after: ComplianceDecisionResource = {
        tradeId: trade.tradeId,
        tradeVersion: trade.version,
        outcome: decision.outcome,
        // As the decision's GET shows them: raised together, so in id order.
        alerts: [...raised]
          .sort((a, b) => (a.alertId < b.alertId ? -1 : 1))
          .map((a) => ({ alertId: a.alertId, rule: a.draft.rule, severity: a.draft.severity, status: 'OPEN', details: a.draft.details })),
      };
      published.push({ decision: after, causation: command.causation });
      context.audit.push({
        actor: SYSTEM,
        action: `decision.${decision.outcome.toLowerCase()}`,
        entityType: 'trade',
        entityId: trade.tradeId,
        before,
        after: { ...after, screenedAgainst: context.screenedAgainst },
      });
    }
    context.pending = [];
    await this.saveTrades(em, context);
    await this.decisions.saveMany(em, decisions);
    await this.decisions.raiseMany(em, alerts, context.at);
    await publishDecisions(this.outbox, em, published);
  }

  /**
   * Writes back the totals of the book-days the batch changed: the activity apart from its changing
   * trades plus their versions as the batch leaves them (a cancelled or non-equity one adds nothing).
   */
  private async saveBookDayTotals(em: EntityManager, context: BatchContext): Promise<void> {
    if (context.changing.size === 0) return;
    context.bookDayActivity ??= await this.trades.lockBookDays(em, context.bookDays, context.storedActivity);
    const totals = new Map([...context.bookDayActivity].map(([key, a]) => [key, { ...a }]));
    for (const added of context.batchActivity.values()) {
      const total = totals.get(added.key)!;
      totals.set(added.key, { shares: total.shares.plus(added.shares), usdNotional: total.usdNotional.plus(added.usdNotional) });
    }
    await this.trades.saveBookDayTotals(em, totals);
  }

  /** The book-day's equity activity apart from this trade: stored trades outside the batch, plus the batch's others so far. */
  private activityBefore(context: BatchContext, key: string, tradeId: string): BookDayActivity {
    const base = context.bookDayActivity!.get(key)!;
    let { shares, usdNotional } = base;
    for (const [id, added] of context.batchActivity) {
      if (id === tradeId || added.key !== key) continue;
      shares = shares.plus(added.shares);
      usdNotional = usdNotional.plus(added.usdNotional);
    }
    return { shares, usdNotional };
  }

  /** Screens each counterparty of the batch once; its recorded hits are rewritten only when they changed. */
  private async screenCounterparties(em: EntityManager, counterparties: readonly ScreenedCounterparty[], lists: readonly SanctionsListVersion[]): Promise<Map<string, ListedSanctionsMatch[]>> {
    const stored = await this.sanctions.hitsOfMany(
      em,
      counterparties.map((c) => c.lei),
    );
    const at = this.now().toISOString();
    const matches = new Map<string, ListedSanctionsMatch[]>();
    for (const counterparty of [...counterparties].sort((a, b) => (a.lei < b.lei ? -1 : 1))) {
      const found = await this.screening.screen(em, counterparty, lists);
      matches.set(counterparty.lei, found);
      const hits = hitsOf(found);
      if (!sameHits(hits, stored.get(counterparty.lei) ?? [])) await this.sanctions.replaceHits(em, counterparty.lei, hits, at);
    }
    return matches;
  }

  /** A new version or a cancellation ends the pending proposal about the old one. */
  private async withdrawPendingRequest(em: EntityManager, tradeId: string, reason: string, context: BatchContext): Promise<void> {
    const pending = await this.requests.pendingFor(em, tradeId);
    if (pending === null) return;
    const withdrawn = withdraw(pending, SYSTEM, context.at);
    await this.requests.saveDecision(em, withdrawn);
    context.audit.push({ actor: SYSTEM, action: 'release-request.withdrawn', entityType: 'trade', entityId: tradeId, before: pending, after: { ...withdrawn, withdrawnBecause: reason } });
  }
}

function sameHits(a: readonly StoredSanctionsHit[], b: readonly StoredSanctionsHit[]): boolean {
  if (a.length !== b.length) return false;
  const key = (h: StoredSanctionsHit) => [h.source, h.entryId, h.listVersion, new Decimal(h.score).toFixed(2), h.matchedName, h.screenedName].join('\u0000');
  const keys = new Set(b.map(key));
  return a.every((h) => keys.has(key(h)));
}

/** The counterparty's open exposure in a currency apart from `exceptTradeId`: stored trades outside the batch, plus the batch's as they stand. */
function openExposure(context: BatchContext, lei: string, currency: string, exceptTradeId: string): Decimal {
  let total = context.exposureOutsideBatch.get(`${lei}\u0000${currency}`) ?? new Decimal(0);
  for (const [tradeId, t] of context.current) {
    if (tradeId !== exceptTradeId && !t.closed && t.counterpartyLei === lei && t.currency === currency) total = total.plus(t.unsettled);
  }
  return total;
}

/** Wash-trade candidates: stored trades outside the batch near any of its trades, plus the batch's trades as they stand (the check filters). */
function washCandidates(context: BatchContext): WashTradeCandidate[] {
  const inBatch: WashTradeCandidate[] = [];
  for (const [tradeId, t] of context.current) {
    if (t.status !== 'CANCELLED') inBatch.push({ tradeId, side: t.side, executedAt: t.executedAt, price: t.price, quantity: t.quantity, book: t.book, isin: t.isin });
  }
  return [...context.washCandidatesOutsideBatch, ...inBatch];
}

/** The trades whose version the batch changes, as its commands apply one after another to the stored versions. */
function changingTradeIds(commands: readonly ScreenTradeCommand[], stored: ReadonlyMap<string, { version: number }>): Set<string> {
  const versions = new Map([...stored].map(([id, s]) => [id, s.version]));
  const changing = new Set<string>();
  for (const { trade } of commands) {
    const current = versions.get(trade.tradeId);
    if (current !== undefined && current >= trade.version) continue;
    changing.add(trade.tradeId);
    versions.set(trade.tradeId, trade.version);
  }
  return changing;
}
