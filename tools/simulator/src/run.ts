import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { everyMarketToday, LocalDate } from '@postrade/kernel';
import type { KafkaConnection } from '@postrade/messaging';
import { Counterparties } from './actors/counterparties';
import { Custodian } from './actors/custodian';
import { Operations } from './actors/operations';
import { loadComplianceData, loadReferenceData, loadSanctionsList } from './actors/reference-data';
import { UpstreamSystem } from './actors/upstream';
import { EventSender } from './bus';
import type { SimulationContext } from './context';
import { compareReconciliationAnswers, diffStates, type Difference } from './diff';
import { computeExpectedState, type ExpectedState } from './expected';
import { pause, RestClient, type ServiceUrls } from './http';
import { STALL_MS } from './actors/operations';
import { PlatformObserver, progressLine } from './observer';
import { readPlatformState } from './platform-snapshot';
import { buildReport, renderReport, type RunMetrics, type RunReport } from './report';
import { generateScenario, runTagOf, type Scenario, type ScenarioOptions } from './scenario';
import { dayTimeline } from './timeline';

export interface PlatformAccess {
  urls: ServiceUrls;
  kafka: KafkaConnection;
  repoRoot: string;
}

export interface RunOutcome {
  outDir: string;
  scenario: Scenario;
  expected: ExpectedState;
  differences: Difference[];
  report: RunReport;
}

/** Where a run writes by default: `.postrade/simulations/<timestamp>-seed<seed>` (git-ignored). */
export function defaultRunDir(repoRoot: string, seed: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return join(repoRoot, '.postrade', 'simulations', `${stamp}-seed${seed.replace(/[^A-Za-z0-9_-]/g, '_')}`);
}

/** The latest run folder under `.postrade/simulations`, for `--verify` without `--out`. */
export function latestRunDir(repoRoot: string): string | null {
  const root = join(repoRoot, '.postrade', 'simulations');
  if (!existsSync(root)) return null;
  const runs = readdirSync(root).filter((name) => existsSync(join(root, name, 'expected.json'))).sort();
  return runs.length === 0 ? null : join(root, runs[runs.length - 1]);
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

const log = (message: string) => process.stderr.write(`${message}\n`);

/**
 * Compares the platform with the expected state, again and again while it differs, until it agrees
 * or the deadline passes (the platform may still be applying the last events).
 */
async function verifyAgainst(rest: RestClient, scenario: Scenario, expected: ExpectedState, timeoutMs: number, observer?: PlatformObserver) {
  const deadline = Date.now() + timeoutMs;
  let previous: string | null = null;
  for (let round = 1; ; round++) {
    const asOf = LocalDate.todayUtc();
    const snapshot = await readPlatformState(rest, scenario, asOf);
    const differences = diffStates(expected, snapshot.observed);
    const fingerprint = JSON.stringify(differences);
    // Done when the platform agrees, when two looks a while apart find the same differences (it
    // has settled on them), or at the deadline.
    if (differences.length === 0 || fingerprint === previous || Date.now() >= deadline) return { ...snapshot, differences, rounds: round };
    previous = fingerprint;
    log(`verify round ${round}: ${differences.length} difference(s); looking again once the platform is quiet`);
    if (observer) await observer.quiet(3_000, Math.max(0, deadline - Date.now()));
    await pause(Math.min(5_000, Math.max(0, deadline - Date.now())));
  }
}

/**
 * A point of the run a test can act at (fault tests kill a service there): each NEW trade offered
 * (`trade`, with how many so far), and the beginning of each later step of a processing day.
 */
export interface RunStep {
  kind: 'trade' | 'operations' | 'custodian' | 'close' | 'statements' | 'closing-again' | 'quiet';
  /** The processing day, null for the steps after the last one. */
  day: string | null;
  /** NEW trades offered so far, of `total`. */
  sent: number;
  total: number;
}

/** Runs the whole simulated period against the running platform, then verifies it. */
export interface RunSettings {
  outDir?: string;
  now?: Date;
  /** How long the final comparison may wait for the platform to agree (default two minutes). */
  verifyTimeoutMs?: number;
  /** How long the platform may publish nothing of the run before a wait gives up on what is missing (default 20 s). */
  stallMs?: number;
  /** Called, and awaited, at every step of the run: a test's hook (faults), never the simulator's own. */
  onStep?: (step: RunStep) => void | Promise<void>;
}

export async function runSimulation(options: ScenarioOptions, access: PlatformAccess, settings: RunSettings = {}): Promise<RunOutcome> {
  const now = settings.now ?? new Date();
  const outDir = settings.outDir;
  const started = Date.now();
  // The custodian reports what settled on a day; no day may be after some market's business today.
  const today = everyMarketToday(now);
  const runTag = runTagOf(options.seed, now.getTime());
  const scenario = generateScenario(options, runTag, today);
  const expected = computeExpectedState(scenario);
  const dir = outDir ?? defaultRunDir(access.repoRoot, options.seed, now);
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, 'scenario.json'), scenario);
  writeJson(join(dir, 'expected.json'), expected);
  log(`simulation ${runTag} (seed ${options.seed}): ${scenario.trades.length} trades on ${scenario.calendar.tradeDays.join(', ')}, settlement to ${scenario.calendar.lastDay}; run folder ${dir}`);

  const rest = new RestClient(access.urls);
  const sender = new EventSender(access.kafka, `simulator-${runTag.toLowerCase()}`);
  const observer = new PlatformObserver(access.kafka, runTag, scenario.sourceSystem);
  const byId = new Map(scenario.trades.map((t) => [t.sourceTradeId, t]));
  const expectedById = new Map(expected.trades.map((t) => [t.sourceTradeId, t]));
  const issues: string[] = [];
  // Each issue is shown as it happens, and kept for the report.
  issues.push = (...items: string[]) => {
    for (const item of items) log(`! ${item}`);
    return Array.prototype.push.apply(issues, items);
  };
  const context: SimulationContext = {
    scenario,
    expected,
    rest,
    sender,
    observer,
    tradeIds: new Map(),
    stallMs: settings.stallMs ?? STALL_MS,
    issues,
    log,
    tradeOf: (id) => byId.get(id)!,
    expectedOf: (id) => expectedById.get(id)!,
  };
  const custodian = new Custodian(context, access.kafka);
  const upstream = new UpstreamSystem(context);
  const counterparties = new Counterparties(context);
  const operations = new Operations(context);
  let phase = 'setup';
  const ticker = setInterval(() => log(progressLine(scenario.trades.length, observer.counts(), phase)), 5_000);
  ticker.unref();
  const seconds = { setup: 0, trading: 0, settlement: 0, reconciliation: 0, verify: 0, total: 0 };
  let tradingStarted = 0;
  let newSent = 0;
  let daysClosed = 0;
  const step = async (kind: RunStep['kind'], day: string | null) => {
    if (settings.onStep) await settings.onStep({ kind, day, sent: newSent, total: scenario.trades.length });
  };

  try {
    await Promise.all([observer.start(), custodian.start()]);
    await loadReferenceData(context);
    await loadComplianceData(context);
    seconds.setup = (Date.now() - started) / 1000;

    const perTradeWait = Math.max(120_000, scenario.trades.length * 150);
    for (const day of scenario.calendar.processingDays) {
      phase = `${day} trading`;
      const timeline = dayTimeline(scenario, day);
      const dayStart = Date.now();
      if (timeline.length > 0) {
        if (tradingStarted === 0) tradingStarted = dayStart;
        let batch: ReturnType<EventSender['message']>[] = [];
        let dayNew = 0;
        const flush = async () => {
          const out = batch;
          batch = [];
          if (out.length > 0) await sender.send(out);
        };
        for (const action of timeline) {
          if (action.kind === 'NEW') {
            const due = dayStart + (dayNew / options.rate) * 1000;
            if (due > Date.now()) {
              await flush();
              await pause(due - Date.now());
            }
            dayNew++;
            newSent++;
            await step('trade', day);
          }
          switch (action.kind) {
            case 'NEW':
              upstream.reportNew(action.trade, batch);
              break;
            case 'DUPLICATE':
              upstream.duplicate(action.trade, batch);
              break;
            case 'AMEND':
              upstream.amend(action.trade, action.version, batch);
              break;
            case 'STALE':
              upstream.stale(action.trade, action.version, batch);
              break;
            case 'CANCEL':
              upstream.cancel(action.trade, batch);
              break;
            case 'CONFIRM':
              counterparties.confirm(action.trade, batch);
              break;
            case 'SANCTIONS': {
              await flush();
              // The trades the scenario puts on the custodian's books before the list holds them: their hold requests must go out.
              const onBooks = scenario.trades.filter((t) => t.custodian?.holdAnswer !== undefined);
              const notYet = await custodian.awaitOnBooks(onBooks, perTradeWait);
              if (notYet.length > 0) issues.push(`${day}: ${notYet.length} trade(s) not instructed before the sanctions list, their hold may not reach the custodian: ${notYet.slice(0, 6).map((t) => t.sourceTradeId).join(', ')}`);
              await loadSanctionsList(context, access.repoRoot);
              break;
            }
          }
          if (batch.length >= 200) await flush();
        }
        await flush();
        await upstream.settled();
        await counterparties.settled();
        seconds.trading += (Date.now() - dayStart) / 1000;
      }

      phase = `${day} operations`;
      await step('operations', day);
      const notReady = await operations.awaitQueues(day, perTradeWait);
      if (notReady.length > 0) {
        issues.push(`${day}: ${notReady.length} trade(s) not where operations expected them before acting: ${notReady.slice(0, 8).map((t) => `${t.sourceTradeId} waits for ${t.waitingFor}`).join('; ')}`);
      }
      await operations.workExceptions(day);

      phase = `${day} custodian`;
      await step('custodian', day);
      const settlementStart = Date.now();
      const acting = scenario.trades.filter((t) => t.custodian && expectedById.get(t.sourceTradeId)!.settlement && (t.custodian.isd === day || t.custodian.laterDay === day));
      const missing = await custodian.awaitInstructions(acting, perTradeWait);
      if (missing.length > 0) {
        const why = missing.slice(0, 8).map((t) => {
          const tradeId = context.tradeIds.get(t.sourceTradeId) ?? observer.tradeIdOf.get(t.sourceTradeId) ?? '';
          const received = custodian.instructionFor(t);
          return `${t.sourceTradeId} (received ${received ? `${received.quantity} / ${received.settlementAmount}` : 'none'}, match ${observer.matchStatus.get(tradeId) ?? '?'}, compliance ${observer.decision.get(tradeId)?.outcome ?? '?'})`;
        });
        issues.push(`${day}: no instruction with the final terms received for ${missing.length} trade(s): ${why.join('; ')}`);
      }
      const expectations = await custodian.reportDay(day, acting, (trade) => operations.repairSsi(trade), perTradeWait);
      const unapplied = await custodian.awaitApplied(expectations, perTradeWait);
      if (unapplied.length > 0) issues.push(`${day}: ${unapplied.length} custodian report(s) not applied before the close, e.g. ${unapplied.slice(0, 5).map((e) => e.sourceTradeId).join(', ')}`);

      const cancels = acting.filter((t) => t.custodian!.outcome === 'PARTIAL_CANCEL' && t.custodian!.isd === day);
      if (cancels.length > 0) {
        const batch: ReturnType<EventSender['message']>[] = [];
        for (const trade of cancels) upstream.cancel(trade, batch);
        if (batch.length > 0) await sender.send(batch);
        await upstream.settled();
      }

      phase = `${day} close`;
      await step('close', day);
      const closed = await operations.closeDay(day);
      if (closed) daysClosed++;
      log(`${day} closed: ${closed ? `${closed.newlyFailing} newly failing, ${closed.failDays} fail days, ${closed.penaltiesAssessed} penalties` : 'failed'}`);
      seconds.settlement += (Date.now() - settlementStart) / 1000;

      // End of day: the custodian's statements once reconciliation has booked the day, and the
      // OMS's blotter of a trade day once it has the day's trades.
      phase = `${day} statements`;
      await step('statements', day);
      const reconciliationStart = Date.now();
      await custodian.sendStatements(day, perTradeWait);
      const blotter = expected.reconciliation?.blotters.find((b) => b.tradeDate === day);
      if (blotter) await upstream.sendBlotter(blotter, access.kafka, perTradeWait);
      seconds.reconciliation += (Date.now() - reconciliationStart) / 1000;
    }

    // Closing a day again is safe (DOMAIN.md): it must add no fail day and no penalty.
    phase = 'closing again';
    await step('closing-again', null);
    for (const day of scenario.calendar.processingDays) {
      const again = await operations.closeDay(day);
      if (again && (again.newlyFailing > 0 || again.failDays > 0 || again.penaltiesAssessed > 0)) {
        issues.push(`closing ${day} again added ${again.newlyFailing} newly failing, ${again.failDays} fail days, ${again.penaltiesAssessed} penalties`);
      }
    }

    phase = 'quiet';
    await step('quiet', null);
    if (!(await observer.quiet(5_000, 180_000))) issues.push('the platform was still publishing events of the run three minutes after the last day closed');
    phase = 'verify';
    const verifyStart = Date.now();
    const verified = await verifyAgainst(rest, scenario, expected, settings.verifyTimeoutMs ?? 120_000, observer);
    seconds.verify = (Date.now() - verifyStart) / 1000;
    seconds.total = (Date.now() - started) / 1000;
    log(progressLine(scenario.trades.length, observer.counts(), 'done'));
    if (sender.resends > 0 || observer.crashes > 0 || custodian.crashes > 0) {
      log(`Kafka away meanwhile: ${sender.resends} send(s) repeated, observer consumer crashed ${observer.crashes} time(s), custodian's ${custodian.crashes}`);
    }
    const metrics: RunMetrics = {
      startedAt: now.toISOString(),
      seconds,
      offeredRate: seconds.trading > 0 ? newSent / seconds.trading : 0,
      operations: { forceMatched: operations.forceMatched, affirmed: operations.affirmed, releaseRequests: operations.releaseRequests, approvals: operations.approvals, daysClosed },
      reconciliation: { statements: custodian.statements, blotters: upstream.blotters },
      custodian: {
        answers: custodian.answers.reduce<Record<string, number>>((counts, a) => ({ ...counts, [`${a.action} ${a.status}`]: (counts[`${a.action} ${a.status}`] ?? 0) + 1 }), {}),
        rejectedForSsi: custodian.repaired.length,
        resent: custodian.repaired.filter((r) => r.resent !== null).length,
        ssisRepaired: operations.ssisRepaired,
      },
      issues: [...issues, ...rest.serverErrors],
      requests: rest.requests,
    };
    // What reconciliation answered each REST statement and blotter: breaks a later statement closed show only there.
    if (expected.reconciliation) verified.differences.push(...compareReconciliationAnswers(expected.reconciliation, [...custodian.statements, ...upstream.blotters]));
    const report = buildReport(scenario, expected, verified.observed, verified.extras, verified.differences, metrics);
    writeJson(join(dir, 'report.json'), report);
    writeFileSync(join(dir, 'report.md'), renderReport(report));
    return { outDir: dir, scenario, expected, differences: verified.differences, report };
  } finally {
    clearInterval(ticker);
    await Promise.allSettled([observer.stop(), custodian.stop(), sender.close()]);
  }
}

/** `--verify`: compares the platform with a run's expected state again, without running anything. */
export async function verifyRun(dir: string, access: PlatformAccess, timeoutMs = 30_000): Promise<RunOutcome> {
  const scenario = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8')) as Scenario;
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as ExpectedState;
  const rest = new RestClient(access.urls);
  const started = Date.now();
  const verified = await verifyAgainst(rest, scenario, expected, timeoutMs);
  log(`verified ${scenario.runTag} in ${((Date.now() - started) / 1000).toFixed(1)} s (${verified.rounds} round(s), ${rest.requests} requests)`);
  const report = buildReport(scenario, expected, verified.observed, verified.extras, verified.differences, null);
  writeJson(join(dir, 'verify.json'), report);
  writeFileSync(join(dir, 'verify.md'), renderReport(report));
  return { outDir: dir, scenario, expected, differences: verified.differences, report };
}
