import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { instructionIdOfReference } from '@postrade/contracts';
import { LocalDate, isSettlementMarket, settlementBusinessDays } from '@postrade/kernel';
import type { AuditEntry } from '@postrade/persistence';
import {
  reconcileCash,
  reconcilePenalties,
  reconcilePositions,
  reconcileTrades,
  reconcileTransactions,
  type ReconciliationConfig,
} from '../../domain/matching';
import { BREAK_TYPE_OF_STATEMENT, type Blotter, type BreakFinding, type BreakType, type ReconciliationOutcome, type Statement } from '../../domain/model';
import type { BreaksRepository, StoredBreak } from '../../persistence/breaks.repository';
import type { OurBooksRepository } from '../../persistence/our-books.repository';
import type { StatementResult, StatementsRepository } from '../../persistence/statements.repository';
import type { BreakEvents, BreakTransition } from './break-events';
import { marketOf } from './break-resource';

/** Who sent a statement and how: recorded with it and in the audit trail. */
export interface StatementSource {
  /** `xml:semt.002.001.11`, `csv`, `json`, `kafka`. */
  format: string;
  /** The statement as received, for its SHA-256. */
  content: string;
  /** The principal (REST) or `kafka:<topic>` that delivered it. */
  receivedBy: string;
  correlationId?: string;
  causationId?: string;
  /** The audit chain to append to: the partition's for a consumer, none (an `api:<n>` chain) for REST. */
  chain?: string;
}

export interface Applied {
  /** False when the same statement was applied before: `result` is then the first one's. */
  created: boolean;
  result: StatementResult;
}

/** What one reconciliation compares: its identity, and how to compare given the keys of the breaks still open. */
interface Comparison {
  statementId: string;
  type: string;
  breakType: BreakType;
  account: string;
  asOf: string;
  lines: number;
  compare(em: EntityManager, market: string, openKeys: ReadonlySet<string>): Promise<ReconciliationOutcome>;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Applies one statement or blotter, whole or not at all, in the caller's transaction: compares it
 * with our books as of its date, opens a break for each new difference, refreshes those seen
 * before, closes those the statement now agrees with, and records the run with every match and
 * the rule that made it. The same statement again (statementId, account, asOf) changes nothing
 * and answers the first result.
 */
export class ReconcileStatement {
  constructor(
    private readonly books: OurBooksRepository,
    private readonly breaks: BreaksRepository,
    private readonly statements: StatementsRepository,
    private readonly events: BreakEvents,
    private readonly config: () => ReconciliationConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  applyStatement(em: EntityManager, statement: Statement, source: StatementSource): Promise<Applied> {
    return this.apply(em, this.statementComparison(withOurInstructionIds(statement)), source);
  }

  applyBlotter(em: EntityManager, blotter: Blotter, source: StatementSource): Promise<Applied> {
    const config = this.config();
    return this.apply(
      em,
      {
        // A corrected blotter for the same day is a new comparison; the same one again is a replay.
        statementId: `blotter:${blotter.sourceSystem}:${blotter.tradeDate}:${sha256(source.content).slice(0, 16)}`,
        type: 'BLOTTER',
        breakType: 'TRADE',
        account: blotter.sourceSystem,
        asOf: blotter.tradeDate,
        lines: blotter.trades.length,
        compare: async (em2, _market, openKeys) => reconcileTrades(await this.books.trades(em2, blotter.sourceSystem, blotter.tradeDate), blotter.trades, config, openKeys),
      },
      source,
    );
  }

  private statementComparison(statement: Statement): Comparison {
    const config = this.config();
    const { account, asOf } = statement;
    const base = { statementId: statement.statementId, type: statement.type, breakType: BREAK_TYPE_OF_STATEMENT[statement.type], account, asOf, lines: statement.lines.length };
    switch (statement.type) {
      case 'HOLDINGS':
        return { ...base, compare: async (em, _m, open) => reconcilePositions(await this.books.positions(em, account, asOf), statement.lines, config, open) };
      case 'CASH':
        return { ...base, compare: async (em, _m, open) => reconcileCash(await this.books.cash(em, account, asOf), statement.lines, config, open) };
      case 'PENALTIES':
        return {
          ...base,
          compare: async (em, _m, open) => {
            // The report answers for the days it lists, and for its own date.
            const from = statement.lines.reduce((min, l) => (l.date < min ? l.date : min), asOf);
            return reconcilePenalties(await this.books.penalties(em, account, from, asOf), statement.lines, config, open);
          },
        };
      case 'TRANSACTIONS':
        return {
          ...base,
          compare: async (em, market, open) => {
            const m = marketOf(market);
            const window = config.TRANSACTION.settlementDateBusinessDays;
            const from = window === 0 ? asOf : earliestWithin(m, asOf, window);
            const outcome = reconcileTransactions(await this.books.movements(em, account, from, asOf), statement.lines, config, m, open);
            // The statement of a day answers for our movements of that day; earlier ones in the
            // window may match its lines, but a missing one was the earlier statement's to report.
            return { ...outcome, breaks: outcome.breaks.filter((b) => !(b.reason === 'MISSING_THEIRS' && allBefore(b, asOf))) };
          },
        };
    }
  }

  private async apply(em: EntityManager, comparison: Comparison, source: StatementSource): Promise<Applied> {
    const { statementId, account, asOf, breakType } = comparison;
    const previous = await this.statements.previousResult(em, statementId, account, asOf);
    if (previous) return { created: false, result: previous };

    // One statement of an account and type at a time: both would decide about the same breaks.
    await em.query(`select pg_advisory_xact_lock(hashtext('reconciliation-account'), hashtext($1))`, [`${breakType}|${account}`]);
    const market = marketOf(await this.books.marketOf(em, account));
    const live = await this.breaks.liveFor(em, breakType, account);
    const outcome = await comparison.compare(em, market, keysInScope(breakType, asOf, live));

    const now = this.now();
    const at = now.toISOString();
    const transitions = this.transitions(comparison, market, outcome, live, at);
    await this.breaks.insert(em, transitions.filter((t) => t.change === 'opened').map((t) => t.after));
    await this.breaks.update(em, transitions.filter((t) => t.change !== 'opened').map((t) => t.after));
    const closedIds = transitions.filter((t) => t.change === 'closed').map((t) => t.after.breakId);
    await this.breaks.withdrawPending(em, closedIds, at);

    const result: StatementResult = {
      statementId,
      type: comparison.type,
      account,
      asOf,
      lines: comparison.lines,
      matched: outcome.matches.length,
      breaksOpened: transitions.filter((t) => t.change === 'opened').length,
      breaksClosed: closedIds.length,
    };
    const matchesByRule: Record<string, number> = {};
    for (const m of outcome.matches) matchesByRule[m.rule] = (matchesByRule[m.rule] ?? 0) + 1;
    await this.statements.recordRun(
      em,
      {
        runId: randomUUID(),
        statementId,
        breakType,
        account,
        asOf,
        linesCompared: outcome.linesCompared,
        matched: outcome.matches.length,
        breaksFound: outcome.breaks.length,
        breaksOpened: result.breaksOpened,
        breaksClosed: result.breaksClosed,
        matchesByRule,
        ranAt: at,
      },
      outcome.matches,
    );
    await this.statements.record(
      em,
      { statementId, account, asOf, type: comparison.type, format: source.format, contentSha256: sha256(source.content), lines: comparison.lines, receivedBy: source.receivedBy, receivedAt: at },
      result,
    );
    const applied: AuditEntry = { actor: source.receivedBy, action: 'STATEMENT_APPLIED', entityType: 'statement', entityId: statementId, before: null, after: { ...result, matchesByRule } };
    await this.events.record(em, source.receivedBy, transitions, [applied], source);
    return { created: true, result };
  }

  /**
   * What the outcome does to the breaks: a difference with no live break opens one; one with a
   * live break refreshes it when this statement is not older than what the break last saw; an
   * agreed key closes its live break, unless a later statement found it since.
   */
  private transitions(comparison: Comparison, market: string, outcome: ReconciliationOutcome, live: Map<string, StoredBreak>, at: string): BreakTransition[] {
    const { statementId, account, asOf, breakType } = comparison;
    const transitions: BreakTransition[] = [];
    for (const finding of outcome.breaks) {
      const existing = live.get(finding.keyString);
      if (!existing) {
        const opened: StoredBreak = {
          breakId: randomUUID(),
          type: breakType,
          account,
          keyString: finding.keyString,
          key: finding.key,
          reason: finding.reason,
          asOf,
          ours: finding.ours,
          theirs: finding.theirs,
          difference: finding.difference,
          fields: finding.fields,
          market,
          firstSeen: asOf,
          firstSeenAt: at,
          status: 'OPEN',
          assignee: null,
          resolution: null,
          closedOn: null,
          lastSourceId: statementId,
          updatedAt: at,
        };
        transitions.push({ change: 'opened', action: 'OPENED_BY_STATEMENT', before: null, after: opened });
      } else if (existing.asOf <= asOf && differs(existing, finding)) {
        const changed: StoredBreak = {
          ...existing,
          reason: finding.reason,
          asOf,
          ours: finding.ours,
          theirs: finding.theirs,
          difference: finding.difference,
          fields: finding.fields,
          lastSourceId: statementId,
          updatedAt: at,
        };
        transitions.push({ change: 'changed', action: 'CHANGED_BY_STATEMENT', before: existing, after: changed });
      }
    }
    for (const key of outcome.agreedKeys) {
      const existing = live.get(key);
      if (!existing || existing.asOf > asOf) continue;
      const closed: StoredBreak = {
        ...existing,
        status: 'RESOLVED',
        resolution: `agreed by statement ${statementId} of ${asOf}`,
        closedOn: asOf,
        asOf,
        lastSourceId: statementId,
        updatedAt: at,
      };
      transitions.push({ change: 'closed', action: 'CLOSED_BY_STATEMENT', before: existing, after: closed });
    }
    return transitions;
  }
}

/**
 * A custodian echoes our instruction as the sese.023 reference (the id without dashes, upper case)
 * or as the id itself: either names the same instruction. Other references stay as sent.
 */
function withOurInstructionIds(statement: Statement): Statement {
  const ours = (reference: string): string => instructionIdOfReference(reference) ?? reference;
  // A new line object only where the id changes: a million-line statement mostly keeps its own.
  const renamed = <L extends { instructionId: string | null }>(line: L): L => {
    const id = line.instructionId === null ? null : ours(line.instructionId);
    return id === line.instructionId ? line : { ...line, instructionId: id };
  };
  switch (statement.type) {
    case 'TRANSACTIONS':
      return { ...statement, lines: statement.lines.map(renamed) };
    case 'PENALTIES':
      return { ...statement, lines: statement.lines.map(renamed) };
    default:
      return statement;
  }
}

/** Holdings and cash are snapshots: a statement speaks for every key of its account as of its date. */
const SNAPSHOT_TYPES: ReadonlySet<BreakType> = new Set(['POSITION', 'CASH']);

/**
 * The live breaks a statement may close merely by not mentioning their key. A snapshot (holdings,
 * cash) answers for every key; a statement of one day's transactions, penalties or trades answers
 * only for that day's, so yesterday's extra entry is not closed by today's statement leaving it
 * out. A key the statement does match closes its break whatever day it was first seen.
 */
function keysInScope(breakType: BreakType, asOf: string, live: Map<string, StoredBreak>): Set<string> {
  if (SNAPSHOT_TYPES.has(breakType)) return new Set(live.keys());
  return new Set([...live.values()].filter((b) => b.asOf === asOf).map((b) => b.keyString));
}

/** What a finding says, compared with what the break said: an unchanged difference writes nothing. */
function differs(existing: StoredBreak, finding: BreakFinding): boolean {
  return (
    existing.reason !== finding.reason ||
    JSON.stringify(existing.ours ?? null) !== JSON.stringify(finding.ours) ||
    JSON.stringify(existing.theirs ?? null) !== JSON.stringify(finding.theirs) ||
    (existing.difference === null ? null : String(existing.difference)) !== finding.difference
  );
}

/** Every movement a MISSING_THEIRS finding lists settled before `asOf`. */
function allBefore(finding: BreakFinding, asOf: string): boolean {
  const ours = Array.isArray(finding.ours) ? finding.ours : finding.ours ? [finding.ours] : [];
  return ours.length > 0 && ours.every((m) => typeof m.settlementDate === 'string' && m.settlementDate < asOf);
}

/** The date `n` business days of the market before `asOf`. */
function earliestWithin(market: string, asOf: string, n: number): string {
  const m = isSettlementMarket(market) ? market : 'EU';
  // Look back far enough to hold n business days even across a long holiday season.
  const from = LocalDate.addDays(asOf, -(n * 2 + 10));
  const days = settlementBusinessDays(m, from, LocalDate.addDays(asOf, -1));
  return days.length >= n ? days[days.length - n] : from;
}
