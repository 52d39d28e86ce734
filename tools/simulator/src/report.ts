import { Decimal, toDecimalString } from '@postrade/kernel';
import type { Delivery } from './actors/statement-delivery';
import type { Difference, ObservedState } from './diff';
import { liveInstructions } from './diff';
import type { ExpectedState } from './expected';
import type { SnapshotExtras } from './platform-snapshot';
import type { Scenario } from './scenario';

export interface RunMetrics {
  startedAt: string;
  seconds: { setup: number; trading: number; settlement: number; reconciliation?: number; verify: number; total: number };
  /** Trades per second the upstream actually offered during trading. */
  offeredRate: number;
  operations: { forceMatched: number; affirmed: number; releaseRequests: number; approvals: number; daysClosed: number };
  /** What the custodian and the OMS sent to reconciliation, and what it answered to each REST call. */
  reconciliation?: { statements: Delivery[]; blotters: Delivery[] };
  /**
   * The custodian's answers to settlement's requests by action and answer (`HOLD HOLD_REJECTED` …),
   * and the instructions it rejected for a bad SSI, re-sent after operations repaired it.
   */
  custodian?: { answers: Record<string, number>; rejectedForSsi: number; resent: number; ssisRepaired: number };
  issues: string[];
  requests: number;
}

/** Reconciliation as the run fed it and as it ended: statements and blotters, lines, matches, breaks expected and found. */
export interface ReconciliationReport {
  statementBreakShare: number;
  /** Statements and blotters sent, by `TYPE form` (what the actors sent; the plan's on a verify alone). */
  sent: Record<string, number>;
  sendFailures: number;
  statements: number;
  statementsApplied: number;
  blotters: number;
  blottersApplied: number;
  /** Over the latest reconciliation of each statement and blotter sent. */
  linesCompared: number;
  matched: number;
  /** Differences injected into the lines, and the breaks they make statement by statement. */
  injected: number;
  breaksFoundExpected: number;
  /** Open breaks at the end, by `TYPE REASON`. */
  openBreaks: { expected: number; found: number; expectedByTypeAndReason: Record<string, number>; foundByTypeAndReason: Record<string, number> };
}

export interface RunReport {
  runTag: string;
  seed: string;
  options: Scenario['options'];
  calendar: Scenario['calendar'];
  metrics: RunMetrics | null;
  scenario: Record<string, number>;
  captured: Record<string, number>;
  matching: { byStatus: Record<string, number>; affirmed: number; stpRate: number; expectedStpRate: number; breaksByFix774: Record<string, number> };
  compliance: { byOutcome: Record<string, number>; heldBeforeOperations: number; releasesProposed: number; approved: number };
  settlement: { instructed: number; bySettlementStatus: Record<string, number>; byProcessingStatus: Record<string, number>; failingByAge: Record<string, number> };
  penalties: { count: number; counterparties: number; byCurrency: Record<string, { count: number; pay: string; receive: string }> };
  ledger: { trialBalanceAssets: number; trialBalanceNonZero: number; positions: ObservedState['positions']; cash: ObservedState['cash'] };
  reconciliation: ReconciliationReport | null;
  verify: { differences: number; byArea: Record<string, number>; list: Difference[] };
}

const tally = (values: string[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
};

export function buildReport(scenario: Scenario, expected: ExpectedState, observed: ObservedState, extras: SnapshotExtras, differences: Difference[], metrics: RunMetrics | null): RunReport {
  const trades = scenario.trades;
  const matches = Object.values(observed.matches).filter((m): m is NonNullable<typeof m> => m !== null);
  const decisions = Object.values(observed.decisions).filter((d): d is NonNullable<typeof d> => d !== null);
  const live = expected.trades.filter((t) => t.capture.status !== 'CANCELLED');
  const touched = new Set(expected.trades.filter((t) => t.ops.forceMatch || t.ops.affirm || t.ops.hold).map((t) => t.sourceTradeId));
  const stp = live.filter((t) => observed.matches[t.sourceTradeId]?.status === 'AFFIRMED' && observed.decisions[t.sourceTradeId]?.outcome === 'CLEARED' && !touched.has(t.sourceTradeId));
  const instructions = Object.values(observed.instructions).map(liveInstructions).filter((l) => l.length > 0).map((l) => l[0]);
  const sum = (values: string[]) => toDecimalString(values.reduce((a, v) => a.plus(v), new Decimal(0)));
  const byArea = tally(differences.map((d) => d.area));

  return {
    runTag: scenario.runTag,
    seed: scenario.seed,
    options: scenario.options,
    calendar: scenario.calendar,
    metrics,
    scenario: {
      trades: trades.length,
      counterparties: scenario.counterparties.length,
      instruments: scenario.instruments.length,
      reportedByRest: trades.filter((t) => t.channel === 'REST').length,
      amendments: trades.reduce((n, t) => n + t.versions.length - 1, 0),
      amendmentsBeforeNew: trades.filter((t) => t.versions.some((v) => v.beforeNew)).length,
      staleAmendments: trades.filter((t) => t.stale).length,
      duplicates: trades.filter((t) => t.duplicate !== 'NONE').length,
      intradayCancels: trades.filter((t) => t.cancel?.when === 'INTRADAY').length,
      confirmationsMissing: trades.filter((t) => t.confirmation.kind === 'MISSING').length,
      confirmationsOutOfTolerance: trades.filter((t) => ['PRICE', 'QUANTITY', 'NET'].includes(t.confirmation.kind)).length,
      confirmationsEarly: trades.filter((t) => t.confirmation.timing === 'EARLY' && t.confirmation.body).length,
      confirmationsLate: trades.filter((t) => t.confirmation.timing === 'LATE' && t.confirmation.body).length,
      freeOfPayment: trades.filter((t) => t.versions[0].terms.settlementType === 'FOP').length,
    },
    captured: tally(Object.values(observed.trades).map((t) => t?.status ?? 'MISSING')),
    matching: {
      byStatus: tally(matches.map((m) => m.status)),
      affirmed: matches.filter((m) => m.status === 'AFFIRMED').length,
      stpRate: live.length === 0 ? 0 : stp.length / live.length,
      expectedStpRate: live.length === 0 ? 0 : live.filter((t) => t.straightThrough).length / live.length,
      breaksByFix774: tally(matches.flatMap((m) => m.breakCodes.map(String))),
    },
    compliance: {
      byOutcome: tally(decisions.map((d) => d.outcome)),
      heldBeforeOperations: expected.trades.filter((t) => t.complianceBeforeOps === 'HELD').length,
      releasesProposed: metrics?.operations.releaseRequests ?? 0,
      approved: metrics?.operations.approvals ?? 0,
    },
    settlement: {
      instructed: instructions.length,
      bySettlementStatus: tally(instructions.map((i) => i.settlementStatus)),
      byProcessingStatus: tally(instructions.map((i) => i.processingStatus)),
      failingByAge: tally(extras.fails.map((f) => `${f.ageBusinessDays ?? '?'} business day(s)`)),
    },
    penalties: {
      count: observed.penalties.length,
      counterparties: new Set(observed.penalties.map((p) => p.counterpartyLei)).size,
      byCurrency: Object.fromEntries(
        [...new Set(observed.penalties.map((p) => p.currency))].sort().map((currency) => {
          const of = observed.penalties.filter((p) => p.currency === currency);
          return [currency, { count: of.length, pay: sum(of.filter((p) => p.direction === 'PAY').map((p) => p.amount)), receive: sum(of.filter((p) => p.direction === 'RECEIVE').map((p) => p.amount)) }];
        }),
      ),
    },
    ledger: {
      trialBalanceAssets: observed.trialBalance.length,
      trialBalanceNonZero: observed.trialBalance.filter((r) => !new Decimal(r.difference).isZero()).length,
      positions: observed.positions,
      cash: observed.cash,
    },
    reconciliation: reconciliationReport(expected, observed, metrics),
    verify: { differences: differences.length, byArea, list: differences },
  };
}

function reconciliationReport(expected: ExpectedState, observed: ObservedState, metrics: RunMetrics | null): ReconciliationReport | null {
  const plan = expected.reconciliation;
  if (!plan) return null;
  const runs = new Map((observed.reconciliation?.runs ?? []).map((r) => [`${r.type}|${r.account}|${r.asOf}`, r]));
  const deliveries = metrics?.reconciliation ? [...metrics.reconciliation.statements, ...metrics.reconciliation.blotters] : null;
  const sent = deliveries
    ? tally(deliveries.filter((d) => d.error === null).map((d) => `${d.type} ${d.form}`))
    : tally([...plan.statements.map((s) => `${s.type} ${s.form}`), ...plan.blotters.map((b) => `BLOTTER ${b.form}`)]);
  let linesCompared = 0;
  let matched = 0;
  let statementsApplied = 0;
  let blottersApplied = 0;
  for (const s of plan.statements) {
    const run = runs.get(`${s.breakType}|${s.account}|${s.asOf}`);
    if (!run || run.statementId !== s.statementId) continue;
    statementsApplied++;
    linesCompared += run.linesCompared;
    matched += run.matched;
  }
  for (const b of plan.blotters) {
    const run = runs.get(`TRADE|${plan.sourceSystem}|${b.tradeDate}`);
    if (!run) continue;
    blottersApplied++;
    linesCompared += run.linesCompared;
    matched += run.matched;
  }
  const found = observed.reconciliation?.breaks ?? [];
  return {
    statementBreakShare: plan.statementBreakShare,
    sent,
    sendFailures: deliveries ? deliveries.filter((d) => d.error !== null).length : 0,
    statements: plan.statements.length,
    statementsApplied,
    blotters: plan.blotters.length,
    blottersApplied,
    linesCompared,
    matched,
    injected: plan.statements.reduce((n, s) => n + s.injections.length, 0) + plan.blotters.reduce((n, b) => n + b.injections.length, 0),
    breaksFoundExpected: plan.breaksFound,
    openBreaks: {
      expected: plan.breaks.length,
      found: found.length,
      expectedByTypeAndReason: tally(plan.breaks.map((b) => `${b.type} ${b.reason}`)),
      foundByTypeAndReason: tally(found.map((b) => `${b.type} ${b.reason}`)),
    },
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const kv = (record: Record<string, number | string>) => Object.entries(record).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';

export function renderReport(report: RunReport, maxDifferences = 200): string {
  const m = report.metrics;
  const lines = [
    `# Trading-day simulation ${report.runTag} (seed ${report.seed})`,
    '',
    `Trade days ${report.calendar.tradeDays.join(', ')}; settlement days processed ${report.calendar.processingDays[0]} … ${report.calendar.lastDay}.`,
    `Options: ${report.options.trades} trades, ${report.options.days} day(s), rate ${report.options.rate}/s, break share ${report.options.breakShare}, fail share ${report.options.failShare}, ${report.options.counterparties} counterparties, ${report.options.legalEntities} legal entit${report.options.legalEntities === 1 ? 'y' : 'ies'}, statement breaks ${report.options.statementBreakShare ?? 0}.`,
  ];
  if (m) {
    lines.push(
      `Time: ${m.seconds.total.toFixed(1)} s in all (reference data ${m.seconds.setup.toFixed(1)} s, trading ${m.seconds.trading.toFixed(1)} s at ${m.offeredRate.toFixed(1)} trades/s offered, settlement days ${m.seconds.settlement.toFixed(1)} s, statements and blotters ${(m.seconds.reconciliation ?? 0).toFixed(1)} s, verify ${m.seconds.verify.toFixed(1)} s); ${m.requests} REST requests.`,
    );
  }
  const s = report.scenario;
  lines.push(
    '',
    '## Scenario',
    `${s.trades} trades with ${s.counterparties} counterparties in ${s.instruments} instruments; ${s.reportedByRest} reported by REST, the rest on trades.inbound.v1; ${s.amendments} amendments (${s.amendmentsBeforeNew} sent before their NEW), ${s.staleAmendments} stale amendments, ${s.duplicates} duplicates, ${s.intradayCancels} intraday cancels; confirmations: ${s.confirmationsOutOfTolerance} out of tolerance, ${s.confirmationsMissing} missing, ${s.confirmationsEarly} before the trade, ${s.confirmationsLate} late; ${s.freeOfPayment} free of payment.`,
    '',
    '## What the platform holds',
    '',
    '| stage | figures |',
    '|---|---|',
    `| captured | ${kv(report.captured)} |`,
    `| matching | ${kv(report.matching.byStatus)}; STP ${pct(report.matching.stpRate)} (scenario: ${pct(report.matching.expectedStpRate)}) |`,
    `| breaks by FIX 774 code | ${kv(report.matching.breaksByFix774)} |`,
    `| compliance | ${kv(report.compliance.byOutcome)}; held before operations ${report.compliance.heldBeforeOperations}, releases/rejections proposed ${report.compliance.releasesProposed}, approved ${report.compliance.approved} |`,
    `| instructed | ${report.settlement.instructed}: ${kv(report.settlement.bySettlementStatus)}; processing ${kv(report.settlement.byProcessingStatus)} |`,
    ...(report.metrics?.custodian
      ? [
          `| custodian cycle | requests answered: ${kv(report.metrics.custodian.answers)}; rejected for a bad SSI ${report.metrics.custodian.rejectedForSsi}, SSIs repaired ${report.metrics.custodian.ssisRepaired}, re-sent ${report.metrics.custodian.resent} |`,
        ]
      : []),
    `| failing, by age | ${kv(report.settlement.failingByAge)} |`,
    `| penalties | ${report.penalties.count} for ${report.penalties.counterparties} counterparties${Object.entries(report.penalties.byCurrency).map(([c, t]) => `; ${c}: ${t.count}, pay ${t.pay}, receive ${t.receive}`).join('')} |`,
    `| ledger trial balance | ${report.ledger.trialBalanceAssets} assets, ${report.ledger.trialBalanceNonZero} not balanced |`,
    '',
    '## Positions and cash per book (trade date / settlement date)',
    '',
    '| book | asset | trade date | settlement date |',
    '|---|---|---|---|',
  );
  for (const kind of ['positions', 'cash'] as const) {
    const td = report.ledger[kind].TRADE_DATE;
    const sd = report.ledger[kind].SETTLEMENT_DATE;
    for (const book of [...new Set([...Object.keys(td), ...Object.keys(sd)])].sort()) {
      for (const asset of [...new Set([...Object.keys(td[book] ?? {}), ...Object.keys(sd[book] ?? {})])].sort()) {
        lines.push(`| ${book} | ${asset} | ${td[book]?.[asset] ?? '0'} | ${sd[book]?.[asset] ?? '0'} |`);
      }
    }
  }
  const r = report.reconciliation;
  if (r) {
    lines.push(
      '',
      '## Reconciliation',
      '',
      `Statements from the custodian and blotters from the OMS, with differences injected into a share of ${r.statementBreakShare} of their lines.`,
      '',
      '| what | figures |',
      '|---|---|',
      `| sent, by type and form | ${kv(r.sent)}${r.sendFailures > 0 ? `; ${r.sendFailures} not delivered` : ''} |`,
      `| applied | statements ${r.statementsApplied} of ${r.statements}, blotters ${r.blottersApplied} of ${r.blotters} |`,
      `| lines compared | ${r.linesCompared}, matched ${r.matched} |`,
      `| differences injected | ${r.injected}: ${r.breaksFoundExpected} break(s) to find statement by statement |`,
      `| open breaks expected | ${r.openBreaks.expected}: ${kv(r.openBreaks.expectedByTypeAndReason)} |`,
      `| open breaks found | ${r.openBreaks.found}: ${kv(r.openBreaks.foundByTypeAndReason)} |`,
    );
  }
  lines.push('', '## Verify', '');
  if (report.verify.differences === 0) lines.push('No difference: every service holds what the scenario says it must.');
  else {
    lines.push(`${report.verify.differences} difference(s): ${kv(report.verify.byArea)}.`, '', '| area | key | field | expected | actual |', '|---|---|---|---|---|');
    for (const d of report.verify.list.slice(0, maxDifferences)) {
      lines.push(`| ${d.area} | ${d.key} | ${d.field} | ${JSON.stringify(d.expected)} | ${JSON.stringify(d.actual)} |`);
    }
    if (report.verify.list.length > maxDifferences) lines.push(`| … | ${report.verify.list.length - maxDifferences} more in report.json | | | |`);
  }
  if (m && m.issues.length > 0) {
    lines.push('', '## What the actors met', '', ...m.issues.slice(0, 100).map((i) => `- ${i}`));
    if (m.issues.length > 100) lines.push(`- … ${m.issues.length - 100} more in report.json`);
  }
  return `${lines.join('\n')}\n`;
}
