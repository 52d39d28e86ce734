/**
 * The whole platform through faults, each in a seeded trading day driven by the simulator: every
 * service SIGKILLed at a seeded moment of the run and started again, the Kafka broker restarted
 * mid-run, the database refusing connections for 20 s mid-run. After each, the platform must end
 * exactly where the scenario says (the simulator's verify finds no difference), with a zero trial
 * balance, nothing unexplained in any dead-letter table or DLQ topic, and every outbox drained.
 *
 * The suite runs its own Kafka broker and Postgres (fresh folders and ports, as the messaging outage
 * suite does) so that it can stop them without disturbing the shared test runtime, and its own
 * five service processes on ports 3201-3205. The seed is logged at the start of every test;
 * POSTRADE_SIM_SEED replays it (scenario and fault moments; the exact interleaving is the
 * machine's).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { dlqTopicFor, servicePorts } from '@postrade/contracts';
import { LocalDate } from '@postrade/kernel';
import { createKafka, readTopic, type KafkaConnection } from '@postrade/messaging';
import { bootstrapPlatform, startLocalKafka, startLocalPostgres, type LocalKafka, type LocalKafkaOptions, type LocalPostgres, type LocalPostgresOptions } from '@postrade/local-runtime';
import { SERVICES } from '../../runtime/services';
import { simulationCalendar } from '../src/days';
import { pollUntil, RestClient, SERVICE_NAMES, type ServiceName } from '../src/http';
import { Prng } from '../src/prng';
import { runSimulation, type RunOutcome, type RunStep } from '../src/run';
import { DEFAULT_OPTIONS, type ScenarioOptions } from '../src/scenario';
import { freePortPair, PlatformProcesses, repoRoot } from './platform-processes';

const SEED = process.env.POSTRADE_SIM_SEED ?? String(Date.now() % 100_000);
// Default shares (breaks, fails, holds): a small day, offered slowly enough that faults meet it in flight.
const OPTIONS: ScenarioOptions = { ...DEFAULT_OPTIONS, trades: 200, days: 1, seed: SEED, rate: 20, counterparties: 80, statementBreakShare: 0 };
// Ports of their own: not npm start's 3001-3005, the trading-day test's 1310x or the benchmark's.
const PORTS: Record<ServiceName, number> = servicePorts(200);
const OUTAGE_MS = 20_000;

const log = (message: string) => process.stderr.write(`[faults] ${message}\n`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** A moment of the run: the `nth` step of its kind (the nth NEW trade offered, or the nth processing day's step). */
interface Moment {
  kind: RunStep['kind'];
  nth: number;
  order: number;
  label: string;
}

/** The moments a fault may be injected at: eight points of the trading, and every processing day's operations, custodian and close. */
function candidateMoments(options: ScenarioOptions): Moment[] {
  const { processingDays } = simulationCalendar(options.days, LocalDate.todayUtc());
  const moments: Moment[] = [];
  for (let i = 1; i <= 8; i++) {
    const nth = Math.max(1, Math.round((options.trades * i) / 8));
    moments.push({ kind: 'trade', nth, order: nth, label: `trading, NEW trade ${nth} of ${options.trades} offered` });
  }
  processingDays.forEach((day, d) => {
    (['operations', 'custodian', 'close'] as const).forEach((kind, k) => {
      moments.push({ kind, nth: d + 1, order: options.trades + d * 3 + k + 1, label: `${day} ${kind} (processing day ${d + 1} of ${processingDays.length})` });
    });
  });
  return moments;
}

/** Which moment (if any) a step of the run is: counts the steps of each kind as they come. */
function momentTracker() {
  const seen = new Map<RunStep['kind'], number>();
  return (step: RunStep, moments: readonly Moment[]): Moment | undefined => {
    const nth = step.kind === 'trade' ? step.sent : (seen.get(step.kind) ?? 0) + 1;
    seen.set(step.kind, nth);
    return moments.find((m) => m.kind === step.kind && m.nth === nth);
  };
}

describe('the whole platform through faults, each in a seeded trading day', () => {
  const postgresOptions: LocalPostgresOptions = { embedded: true, dataDir: mkdtempSync(join(tmpdir(), 'postrade-faults-pg-')) };
  const kafkaOptions: LocalKafkaOptions = { dataDir: mkdtempSync(join(tmpdir(), 'postrade-faults-kafka-')) };
  // The services' whole output, kept after the run: what a failure needs to be understood.
  const logDir = mkdtempSync(join(tmpdir(), 'postrade-faults-logs-'));
  let postgres: LocalPostgres;
  let kafka: LocalKafka;
  let connection: KafkaConnection;
  let platform: PlatformProcesses;
  /** Every run of this file: each one's expected dead letters explain what is in the DLQs. */
  const runs: RunOutcome[] = [];

  beforeAll(async () => {
    const started = Date.now();
    postgresOptions.port = await freePortPair();
    kafkaOptions.port = await freePortPair();
    [postgres, kafka] = await Promise.all([startLocalPostgres(postgresOptions), startLocalKafka(kafkaOptions)]);
    connection = { ...kafka.connection, clientId: 'postrade-simulator-faults' };
    await bootstrapPlatform(connection, postgres.adminUrl, SERVICES);
    platform = new PlatformProcesses(PORTS, { DATABASE_URL: postgres.adminUrl, KAFKA_BROKERS: connection.brokers.join(',') }, logDir);
    await platform.startAll();
    log(`dedicated Kafka ${connection.brokers.join(',')} and Postgres :${postgresOptions.port}, the services on ${Object.values(PORTS).join(', ')}: ready in ${seconds(started)}; their logs in ${logDir}`);
  }, 300_000);

  afterAll(async () => {
    await platform?.stopAll();
    await Promise.all([kafka?.stop(), postgres?.stop()]);
    for (const dir of [postgresOptions.dataDir!, kafkaOptions.dataDir!]) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  /** One seeded day through the platform, with `onStep` injecting the fault; its report goes to a temp folder. */
  async function simulate(fault: string, onStep: (step: RunStep) => Promise<void>): Promise<RunOutcome> {
    log(`${fault}: seed ${SEED} (POSTRADE_SIM_SEED=${SEED} replays it), ${OPTIONS.trades} trades at ${OPTIONS.rate}/s`);
    const started = Date.now();
    const outcome = await runSimulation(
      OPTIONS,
      { urls: platform.urls, kafka: connection, repoRoot },
      // A fault stops everything for a while: the actors' waits give up only after a longer silence.
      { outDir: mkdtempSync(join(tmpdir(), 'postrade-faults-simulation-')), verifyTimeoutMs: 90_000, stallMs: 60_000, onStep },
    );
    runs.push(outcome);
    log(`${fault}: run ${outcome.scenario.runTag} took ${seconds(started)}, ${outcome.differences.length} difference(s); report in ${outcome.outDir}`);
    // What the actors met on the way (a 5xx where a 503 was due, a call given up): not the verdict, but shown.
    for (const issue of outcome.report.metrics?.issues ?? []) log(`${fault}: ${issue.slice(0, 400)}`);
    return outcome;
  }

  /** Every service answers ready. */
  async function allReady(): Promise<void> {
    await Promise.all(SERVICE_NAMES.map((name) => platform.ready(name, 120_000)));
  }

  /** Unsent outbox rows per service schema, polled until none is left (or 30 s). */
  async function unsentOutboxes(): Promise<Record<string, number>> {
    const db = new Client({ connectionString: postgres.adminUrl });
    await db.connect();
    try {
      let counts: Record<string, number> = {};
      const read = async () => {
        counts = {};
        for (const s of SERVICES) counts[s.name] = Number((await db.query(`select count(*) as n from ${s.database.schema}.outbox where sent_at is null`)).rows[0].n);
        return Object.values(counts).every((n) => n === 0);
      };
      await pollUntil(read, 30_000, 500);
      return counts;
    } finally {
      await db.end();
    }
  }

  /** Whether a dead-lettered payload is one the runs must cause: a stale amendment trade capture rejects. */
  function explained(service: string, payload: string): boolean {
    let sourceTradeId: unknown;
    let version: unknown;
    try {
      ({ sourceTradeId, version } = JSON.parse(payload));
    } catch {
      return false;
    }
    return runs.some((run) => run.expected.deadLetters.some((d) => d.service === service && d.sourceTradeId === sourceTradeId && d.version === version));
  }

  /** Dead letters in any service's table, or messages on any service's DLQ topic, that no run of this file must cause. */
  async function unexplainedDeadLetters(): Promise<string[]> {
    const rest = new RestClient(platform.urls);
    const out: string[] = [];
    for (const service of SERVICE_NAMES) {
      const letters = await rest.all<any>(service, '/api/v1/dead-letters', 'dev-auditor');
      for (const letter of letters) {
        if (!explained(service, letter.payload ?? '')) out.push(`${service} dead letter ${letter.id} (${letter.topic}): ${String(letter.error ?? '').slice(0, 200)} ${String(letter.payload ?? '').slice(0, 200)}`);
      }
    }
    const admin = createKafka(connection).admin();
    await admin.connect();
    try {
      for (const service of SERVICE_NAMES) {
        const topic = dlqTopicFor(service);
        const offsets = await admin.fetchTopicOffsets(topic);
        const total = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
        if (total === 0) continue;
        const messages = await readTopic({ ...connection, clientId: 'postrade-faults-dlq' }, topic, (seen) => seen.length >= total, 30_000);
        for (const m of messages) if (!explained(service, m.value)) out.push(`${topic} ${m.partition}/${m.offset}: ${m.value.slice(0, 200)}`);
      }
    } finally {
      await admin.disconnect();
    }
    return out;
  }

  /** What every fault test asserts once its run is over. */
  async function expectPlatformWhole(outcome: RunOutcome): Promise<void> {
    await allReady();
    expect(outcome.differences).toEqual([]);
    expect(outcome.report.ledger.trialBalanceAssets).toBeGreaterThan(0);
    expect(outcome.report.ledger.trialBalanceNonZero).toBe(0);
    expect(await unexplainedDeadLetters()).toEqual([]);
    expect(await unsentOutboxes()).toEqual(Object.fromEntries(SERVICES.map((s) => [s.name, 0])));
  }

  it('ends where the scenario says with each of the five services SIGKILLed at a seeded moment and started again', async () => {
    const prng = new Prng(`${SEED}/faults/kill`);
    const moments = prng.shuffle(candidateMoments(OPTIONS)).slice(0, SERVICE_NAMES.length).sort((a, b) => a.order - b.order);
    const victims = prng.shuffle(SERVICE_NAMES);
    const plan = moments.map((moment, i) => ({ moment, service: victims[i], delayMs: prng.int(0, 2_500) }));
    log(`kill plan: ${plan.map((p) => `${p.service} at ${p.moment.label} +${p.delayMs} ms`).join('; ')}`);
    const done: { service: ServiceName; at: string; pidBefore?: number; pidAfter?: number; downMs: number }[] = [];
    let restarting: Promise<void> = Promise.resolve();
    const momentOf = momentTracker();

    const outcome = await simulate('SIGKILL each service', async (step) => {
      if (step.kind === 'quiet') {
        await restarting; // the last service back before the run waits for quiet and verifies
        return;
      }
      const moment = momentOf(step, moments);
      const due = moment && plan.find((p) => p.moment === moment);
      if (!due) return;
      await restarting; // one service away at a time: the previous one is back first
      restarting = (async () => {
        await new Promise((r) => setTimeout(r, due.delayMs));
        const pidBefore = platform.pid(due.service);
        const killed = Date.now();
        await platform.crashAndRestart(due.service);
        done.push({ service: due.service, at: due.moment.label, pidBefore, pidAfter: platform.pid(due.service), downMs: Date.now() - killed });
        log(`SIGKILLed ${due.service} (pid ${pidBefore}) at ${due.moment.label} +${due.delayMs} ms; ready again (pid ${platform.pid(due.service)}) after ${seconds(killed)}`);
      })();
      restarting.catch(() => undefined); // a failure surfaces where it is awaited (the next step)
    });

    expect(done.map((d) => d.service).sort()).toEqual([...SERVICE_NAMES].sort());
    for (const d of done) expect(d.pidAfter).not.toBe(d.pidBefore);
    await expectPlatformWhole(outcome);
  }, 420_000);

  it('ends where the scenario says with the Kafka broker restarted mid-run', async () => {
    const prng = new Prng(`${SEED}/faults/kafka`);
    // Trading and the first two processing days: where the day's traffic is.
    const moment = prng.pick(candidateMoments(OPTIONS).filter((m) => m.kind === 'trade' || m.nth <= 2));
    const delayMs = prng.int(0, 2_500);
    log(`broker restart at ${moment.label} +${delayMs} ms`);
    let restart: Promise<void> | undefined;
    const momentOf = momentTracker();

    const outcome = await simulate('Kafka broker restart', async (step) => {
      if (step.kind === 'quiet') {
        await restart;
        return;
      }
      if (restart || momentOf(step, [moment]) !== moment) return;
      restart = (async () => {
        await new Promise((r) => setTimeout(r, delayMs));
        const stopped = Date.now();
        await kafka.stop();
        log(`broker stopped (${seconds(stopped)}); starting it again`);
        kafka = await startLocalKafka(kafkaOptions);
        log(`broker back after ${seconds(stopped)} away`);
        await allReady();
        log(`every service ready again ${seconds(stopped)} after the broker stopped`);
      })();
      restart.catch(() => undefined); // a failure surfaces where it is awaited (before quiet)
    });

    expect(restart).toBeDefined();
    await expectPlatformWhole(outcome);
  }, 420_000);

  it('ends where the scenario says with the database refusing connections for 20 s mid-run', async () => {
    const prng = new Prng(`${SEED}/faults/database`);
    const moment = prng.pick(candidateMoments(OPTIONS).filter((m) => m.kind === 'trade' || m.nth <= 2));
    const delayMs = prng.int(0, 2_500);
    log(`database outage of ${OUTAGE_MS / 1000} s at ${moment.label} +${delayMs} ms`);
    let outage: Promise<void> | undefined;
    const momentOf = momentTracker();

    const outcome = await simulate('database outage', async (step) => {
      if (step.kind === 'quiet') {
        await outage;
        return;
      }
      if (outage || momentOf(step, [moment]) !== moment) return;
      outage = (async () => {
        await new Promise((r) => setTimeout(r, delayMs));
        const stopped = Date.now();
        await postgres.stop();
        log(`Postgres stopped (${seconds(stopped)}): connections refused for ${OUTAGE_MS / 1000} s`);
        await new Promise((r) => setTimeout(r, OUTAGE_MS)); // the outage itself
        postgres = await startLocalPostgres(postgresOptions);
        log(`Postgres back after ${seconds(stopped)} away`);
        await allReady();
        log(`every service ready again ${seconds(stopped)} after Postgres stopped`);
      })();
      outage.catch(() => undefined); // a failure surfaces where it is awaited (before quiet)
    });

    expect(outage).toBeDefined();
    await expectPlatformWhole(outcome);
  }, 420_000);
});
