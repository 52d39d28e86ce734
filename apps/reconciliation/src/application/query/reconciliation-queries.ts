import type { DataSource } from 'typeorm';
import type { BreakResource } from '@postrade/contracts';
import { DomainError, isSettlementBusinessDay, LocalDate, marketToday, SETTLEMENT_MARKETS } from '@postrade/kernel';
import { ageBucket } from '../../domain/matching';
import type { BreakType } from '../../domain/model';
import { liveKey, type BreakFilter, type BreaksRepository, type BreakStatus } from '../../persistence/breaks.repository';
import type { OurBooksRepository } from '../../persistence/our-books.repository';
import type { StatementsRepository } from '../../persistence/statements.repository';
import { ageOf, breakResource } from '../reconcile/break-resource';

/** A business day of the market; before its calendar's first year, every weekday counts (holidays unknown). */
function businessDay(market: (typeof SETTLEMENT_MARKETS)[number], date: string): boolean {
  try {
    return isSettlementBusinessDay(market, date);
  } catch {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }
}

export interface ReconciliationSummary {
  account: string;
  type: BreakType;
  asOf: string;
  linesCompared: number;
  matched: number;
  openBreaks: number;
  breaksByAge: Record<'0' | '1-2' | '3-5' | '6+', number>;
  statementId: string;
  /** The run; its matches, each with the rule that made it, at `GET /api/v1/reconciliations/{runId}/matches`. */
  runId: string;
  matchesByRule: Record<string, number>;
  ranAt: string;
}

export interface BreakListFilter {
  type?: BreakType;
  account?: string;
  status?: BreakStatus;
  minAgeDays?: number;
  asOf?: string;
  after?: { updatedAt: string; breakId: string };
  limit: number;
}

/** Reads for operations: breaks, their summaries per account and date, our side as it stands. */
export class ReconciliationQueries {
  constructor(
    private readonly db: DataSource,
    private readonly breaks: BreaksRepository,
    private readonly statements: StatementsRepository,
    private readonly books: OurBooksRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async break(breakId: string): Promise<BreakResource> {
    const stored = await this.breaks.get(this.db.manager, breakId);
    if (!stored) throw DomainError.notFound('Break', breakId);
    const comments = await this.breaks.comments(this.db.manager, [breakId]);
    return breakResource(stored, comments.get(breakId) ?? [], this.now());
  }

  async breaksList(filter: BreakListFilter): Promise<BreakResource[]> {
    const query: BreakFilter = { type: filter.type, account: filter.account, status: filter.status, asOf: filter.asOf, after: filter.after, limit: filter.limit };
    if (filter.minAgeDays !== undefined && filter.minAgeDays > 0) query.firstSeenBy = this.firstSeenBy(filter.minAgeDays);
    const rows = await this.breaks.list(this.db.manager, query);
    const comments = await this.breaks.comments(this.db.manager, rows.map((r) => r.breakId));
    const now = this.now();
    return rows.map((r) => breakResource(r, comments.get(r.breakId) ?? [], now));
  }

  /** Per market, the latest first-seen date that is at least `days` business days old today. */
  private firstSeenBy(days: number): { market: string; latest: string }[] {
    return SETTLEMENT_MARKETS.map((market) => {
      let date = marketToday(market, this.now());
      for (let counted = 0; counted < days; ) {
        if (businessDay(market, date)) counted++;
        date = LocalDate.addDays(date, -1);
      }
      return { market, latest: date };
    });
  }

  async summaries(filter: { account?: string; asOf?: string; type?: BreakType; after?: { asOf: string; account: string; type: string }; limit: number }): Promise<ReconciliationSummary[]> {
    const em = this.db.manager;
    const runs = await this.statements.latestRuns(em, filter);
    const liveOn = await this.breaks.liveOn(em, runs.map((r) => ({ type: r.breakType, account: r.account, asOf: r.asOf })));
    const summaries: ReconciliationSummary[] = [];
    for (const run of runs) {
      const live = liveOn.get(liveKey(run.breakType, run.account, run.asOf)) ?? [];
      const breaksByAge = { '0': 0, '1-2': 0, '3-5': 0, '6+': 0 };
      // Aged as of the summary's date: a past date's summary shows the ages it had then.
      for (const b of live) breaksByAge[ageBucket(ageOf({ ...b, closedOn: run.asOf }))]++;
      summaries.push({
        account: run.account,
        type: run.breakType,
        asOf: run.asOf,
        linesCompared: run.linesCompared,
        matched: run.matched,
        openBreaks: live.length,
        breaksByAge,
        statementId: run.statementId,
        runId: run.runId,
        matchesByRule: run.matchesByRule,
        ranAt: run.ranAt,
      });
    }
    return summaries;
  }

  matches(runId: string, afterOrd: number, limit: number) {
    return this.statements.matchesOf(this.db.manager, runId, afterOrd, limit);
  }

  positions(account: string, asOf: string) {
    return this.books.positions(this.db.manager, account, asOf);
  }

  cash(account: string, asOf: string) {
    return this.books.cash(this.db.manager, account, asOf);
  }

  unassigned(limit: number) {
    return this.books.unassigned(this.db.manager, limit);
  }
}
