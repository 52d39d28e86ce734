/**
 * The whole platform under load (`BENCH_ONLY=platform npm run bench`): the six services as real
 * processes, compiled as `npm start` and the images run them (`npm run build` first, then plain
 * `node dist/apps/<service>/src/main.js`, ports of their own), skewed reference data loaded through
 * their REST APIs, then an open-model generator offering trades at fixed rates — each NEW on
 * `trades.inbound.v1` followed by the counterparty's agreeing confirmation on
 * `confirmations.inbound.v1` — and a custodian answering every instruction from
 * `settlement.instructions.outbound.v1` at once with MATCHED then SETTLED on
 * `settlement.status.inbound.v1`. A trade is complete when the ledger posts its settlement entry
 * on `ledger.events.v1`.
 *
 * Measured, beside the raw Kafka and Postgres ceilings of the same run (messaging.bench.ts):
 * - the idle platform's CPU (nothing offered), every process;
 * - offered rates stepped up (BENCH_PLATFORM_RATES) until the platform falls behind: the highest
 *   rate sustained (completions keep up, the backlog does not grow), with CPU per trade per process;
 * - at half that rate: latency per stage from the OMS message (its scheduled time: open model) in
 *   HdrHistograms, CPU per trade per process, Kafka messages and Postgres rows per trade.
 *
 *   BENCH_PLATFORM_RATES           offered rates, trades/s (default 25,50,100,200,400,800)
 *   BENCH_PLATFORM_STEP_SECONDS    per rate (default 20; the first 40 % is not judged)
 *   BENCH_PLATFORM_STEPS_BUDGET_SECONDS  stepping stops when the next step would not fit (default 150)
 *   BENCH_PLATFORM_LATENCY_SECONDS offering at half the sustained rate (default 20)
 *   BENCH_PLATFORM_IDLE_SECONDS    idle measurement (default 20)
 *   BENCH_PLATFORM_PORT            first of six consecutive service ports (default 3101)
 *   BENCH_PLATFORM_COUNTERPARTIES  counterparties, Zipf-sized (default 200)
 *   BENCH_PLATFORM_CEILING_EVENTS  events for each raw ceiling (default 20000)
 *   BENCH_PLATFORM_SEED            the generator's seed (default 1)
 *   BENCH_PLATFORM_NODE_ARGS       extra node options for each service, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
 *                                  (a profile per service, written when it stops)
 *
 * Nothing asserts a timing. Needs the local runtime's DATABASE_URL (admin) and KAFKA_BROKERS, and
 * no other platform's services attached to that broker (it refuses to start otherwise).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { Client } from 'pg';
import { EventTypes, SERVICE_NAMES, TOPIC_DEFINITIONS, Topics } from '@postrade/contracts';
import { Decimal, isSettlementBusinessDay, marketToday, toDecimalString } from '@postrade/kernel';
import { createKafka, kafkaConnectionFromEnv, type KafkaConnection } from '@postrade/messaging';
import { SERVICES } from '../runtime/services';
import { repoRoot } from '@postrade/local-runtime';
import { tradeAmounts } from '../simulator/src/amounts';
import { EventSender, TopicWatcher, type SeenMessage } from '../simulator/src/bus';
import { Keys } from '../simulator/src/context';
import { inPool, pause, RestClient, type ServiceName, type ServiceUrls } from '../simulator/src/http';
import { letterCode, makeBic, makeIsin, makeLei } from '../simulator/src/identifiers';
import { Prng, zipfWeights } from '../simulator/src/prng';
import { runTagOf, type ScenarioInstrument, type TradeTerms } from '../simulator/src/scenario';
import { rawCeilings } from './messaging.bench';
import {
  clearlyBehind,
  halfRate,
  judgeStep,
  machineCpuMs,
  nextRate,
  parseRates,
  pidListeningOn,
  postgresServerCpuMs,
  readProcStat,
  cpuMsOf,
  benchTradeDate,
  type ProgressSample,
  type StepVerdict,
} from './platform-measures';

export interface BenchTable {
  title: string;
  header: string[];
  rows: string[][];
  notes?: string[];
}

type Log = (line: string) => void;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const sleep = (ms: number) => pause(Math.max(0, ms));

const settings = () => ({
  rates: parseRates(process.env.BENCH_PLATFORM_RATES ?? '25,50,100,200,400,800'),
  stepMs: 1000 * Number(process.env.BENCH_PLATFORM_STEP_SECONDS ?? 20),
  stepsBudgetMs: 1000 * Number(process.env.BENCH_PLATFORM_STEPS_BUDGET_SECONDS ?? 150),
  latencyMs: 1000 * Number(process.env.BENCH_PLATFORM_LATENCY_SECONDS ?? 20),
  idleMs: 1000 * Number(process.env.BENCH_PLATFORM_IDLE_SECONDS ?? 20),
  firstPort: Number(process.env.BENCH_PLATFORM_PORT ?? 3101),
  counterparties: Number(process.env.BENCH_PLATFORM_COUNTERPARTIES ?? 200),
  ceilingEvents: Number(process.env.BENCH_PLATFORM_CEILING_EVENTS ?? 20_000),
  seed: process.env.BENCH_PLATFORM_SEED ?? '1',
});

// ---------------------------------------------------------------------------------------------
// Reference data: one legal entity, Zipf-sized counterparties, a few hot US equities, their SSIs.

interface Party {
  lei: string;
  name: string;
  bic: string;
}

interface BenchReferenceData {
  tag: string;
  sourceSystem: string;
  tradeDate: string;
  settlementDate: string;
  legalEntity: Party;
  counterparties: Party[];
  counterpartyWeights: number[];
  instruments: ScenarioInstrument[];
  instrumentWeights: number[];
  books: string[];
}

const US_EQUITIES = 8;
const BOOKS = 4;

function referenceData(seed: string, counterparties: number): BenchReferenceData {
  const rng = new Prng(`platform-bench/${seed}`);
  const tag = runTagOf(seed, Date.now());
  const tradeDate = benchTradeDate(marketToday('US'), (d) => isSettlementBusinessDay('US', d));
  const instruments: ScenarioInstrument[] = Array.from({ length: US_EQUITIES }, (_, i) => ({
    isin: makeIsin('US', tag, i + 1),
    description: `Bench US Equity ${i + 1} ${tag}`,
    currency: 'USD',
    assetClass: 'EQUITY',
    priceType: 'UNIT',
    settlementMarket: 'US',
    csdrCategory: 'LIQUID_SHARE',
    coupon: null,
    basePrice: toDecimalString(new Decimal(rng.int(2000, 40000)).dividedBy(100)),
    tick: '0.01',
    lot: '1',
    desk: 'EQ',
  }));
  const probe = tradeAmounts(instruments[0], termsOf(instruments[0], tradeDate, '1', instruments[0].basePrice, 'BUY', '', '', ''));
  return {
    tag,
    sourceSystem: `BENCH${tag}`,
    tradeDate,
    settlementDate: probe.settlementDate,
    legalEntity: { lei: makeLei(tag, 'LE', 1), name: `Postrade Bench Bank ${tag}`, bic: makeBic(letterCode(100 + rng.int(0, 500)), 'US', 'XXX') },
    counterparties: Array.from({ length: counterparties }, (_, i) => ({
      lei: makeLei(tag, 'CP', i + 1),
      name: `Bench ${letterCode(i * 7 + 3, 3)} ${['Capital', 'Securities', 'Markets', 'Brokerage'][i % 4]} ${tag}`,
      bic: makeBic(letterCode(3000 + i), 'US'),
    })),
    counterpartyWeights: zipfWeights(counterparties, 1.1),
    instruments,
    // A few hot ISINs: the first takes about a third of the trades.
    instrumentWeights: zipfWeights(US_EQUITIES, 1.0),
    books: Array.from({ length: BOOKS }, (_, i) => `BENCH-${tag}-EQ${i + 1}`),
  };
}

function termsOf(instrument: ScenarioInstrument, tradeDate: string, quantity: string, price: string, side: 'BUY' | 'SELL', counterpartyLei: string, legalEntityLei: string, book: string): TradeTerms {
  return { tradeDate, executionTime: '', side, isin: instrument.isin, quantity, price, currency: instrument.currency, counterpartyLei, legalEntityLei, book, commission: '0.00', fees: '0.00', settlementType: 'DVP' };
}

const ssiOf = (party: Party) => ({
  agentBic: party.bic,
  safekeepingAccount: `SK-${party.lei.slice(6, 8)}${party.lei.slice(10, 18)}-US`,
  cashAccount: `CA-${party.lei.slice(6, 8)}${party.lei.slice(10, 18)}-USD`,
  placeOfSettlement: 'DTCYUS33',
});

async function loadReferenceData(rest: RestClient, ref: BenchReferenceData): Promise<void> {
  const writers = [Keys.ops, Keys.supervisor, Keys.ops2];
  const put = (service: ServiceName, path: string, body: unknown, i: number) => rest.expect([200, 201], service, 'PUT', path, { key: writers[i % writers.length], body });
  await put('trade-capture', `/api/v1/legal-entities/${ref.legalEntity.lei}`, { name: ref.legalEntity.name, bic: ref.legalEntity.bic }, 0);
  await inPool(ref.counterparties, 8, (cp, i) => put('trade-capture', `/api/v1/counterparties/${cp.lei}`, { name: cp.name, aliases: [], country: 'US', bic: cp.bic }, i));
  await inPool(ref.instruments, 4, (instrument, i) =>
    put(
      'trade-capture',
      `/api/v1/instruments/${instrument.isin}`,
      { description: instrument.description, currency: 'USD', assetClass: 'EQUITY', priceType: 'UNIT', settlementMarket: 'US', csdrCategory: 'LIQUID_SHARE' },
      i,
    ),
  );
  await inPool([ref.legalEntity, ...ref.counterparties], 8, (party, i) => put('trade-capture', `/api/v1/ssis/${party.lei}/US/USD`, ssiOf(party), i));
  // The counterparties fall to the DEFAULT matching profile, which must auto-affirm (settlement waits for affirmation).
  const profile = await rest.expect([200], 'confirmation-matching', 'GET', '/api/v1/matching-profiles/DEFAULT', { key: Keys.ops });
  if (profile.autoAffirm !== true) throw new Error(`the DEFAULT matching profile does not auto-affirm (${JSON.stringify(profile).slice(0, 300)}): no trade would settle`);
}

// ---------------------------------------------------------------------------------------------
// The five services as processes.

interface ServiceProcess {
  name: ServiceName;
  url: string;
  child: ChildProcess;
  output: () => string;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** Each service's output (LOG_LEVEL=warn: retries, dead letters, errors) goes to `<logDir>/<service>.log`. */
function startServices(firstPort: number, runtime: { databaseUrl: string; kafkaBrokers: string }, logDir: string): ServiceProcess[] {
  mkdirSync(logDir, { recursive: true });
  // What production runs: the compiled output (Nx-cached, so only what changed is compiled again).
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  return SERVICES.map((service, i) => {
    const port = firstPort + i;
    const nodeArgs = (process.env.BENCH_PLATFORM_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
    const child = spawn(process.execPath, [...nodeArgs, join(repoRoot, service.compiledMain)], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: runtime.databaseUrl,
        KAFKA_BROKERS: runtime.kafkaBrokers,
        POSTRADE_DEV_KEYS: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const file = createWriteStream(join(logDir, `${service.name}.log`));
    const keep = (chunk: Buffer) => {
      file.write(chunk);
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('exit', () => file.end());
    return { name: service.name as ServiceName, url: `http://127.0.0.1:${port}`, child, output: () => output };
  });
}

async function health(service: ServiceProcess): Promise<string> {
  try {
    const response = await fetch(`${service.url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
    return `${response.status} ${await response.text()}`;
  } catch (err) {
    return `no answer: ${err instanceof Error ? err.message : String(err)}`;
  }
}

async function waitReady(service: ServiceProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited (${service.child.exitCode}) before it was ready:\n${service.output()}`);
    if ((await health(service)).startsWith('200')) return;
    await sleep(500);
  }
  throw new Error(`${service.name} not ready within ${timeoutMs / 1000} s: ${await health(service)}\n${service.output()}`);
}

async function stopServices(services: ServiceProcess[]): Promise<void> {
  await Promise.all(
    services.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** Members of the platform's consumer groups that are not ours: another platform on this broker would take our trades. */
async function foreignServiceMembers(connection: KafkaConnection): Promise<string[]> {
  const admin = createKafka(connection, { quiet: true }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    if (groups.length === 0) return [];
    const described = await admin.describeGroups(groups.map((g) => g.groupId));
    const serviceNames: readonly string[] = SERVICE_NAMES;
    return described.groups.flatMap((g) => g.members.filter((m) => serviceNames.includes(m.clientId)).map((m) => `${g.groupId} (${m.clientId} at ${m.clientHost})`));
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// What the bench sees on the topics: stages per trade, completions, anomalies; and the custodian.

const STAGES = ['captured', 'affirmed', 'cleared', 'instructed', 'settled', 'ledger'] as const;
type Stage = (typeof STAGES)[number];
const STAGE_LABELS: Record<Stage, string> = {
  captured: 'captured (trade-capture.trades.v1)',
  affirmed: 'matched / affirmed (matching.results.v1)',
  cleared: 'cleared (compliance.decisions.v1)',
  instructed: 'instructed (settlement.instructions.outbound.v1)',
  settled: 'settled (settlement.events.v1)',
  ledger: 'ledger settlement entry (ledger.events.v1)',
};

interface Instruction {
  instructionId: string;
  tradeIds: string[];
  intendedSettlementDate: string;
}

/**
 * The custodian: every instruction of the run's trades is answered at once, MATCHED then SETTLED
 * (the remainder, effective on the intended settlement date), on `settlement.status.inbound.v1`,
 * in batches as they come.
 */
class Custodian {
  answered = 0;
  private queue: Instruction[] = [];
  private wake: () => void = () => undefined;
  private stopped = false;
  private loop?: Promise<void>;

  constructor(private readonly sender: EventSender, private readonly tag: string) {}

  answer(instruction: Instruction): void {
    this.queue.push(instruction);
    this.wake();
  }

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        if (this.queue.length === 0) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        const batch = this.queue.splice(0, 500);
        const messages = batch.flatMap((i) => [
          this.sender.message(Topics.settlementStatusInbound, EventTypes.settlementStatusReported, i.instructionId, { instructionId: i.instructionId, updateId: `${this.tag}-M-${i.instructionId}`, status: 'MATCHED' }),
          this.sender.message(Topics.settlementStatusInbound, EventTypes.settlementStatusReported, i.instructionId, {
            instructionId: i.instructionId,
            updateId: `${this.tag}-S-${i.instructionId}`,
            status: 'SETTLED',
            effectiveDate: i.intendedSettlementDate,
          }),
        ]);
        await this.sender.send(messages);
        this.answered += batch.length;
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }
}

/** Follows every stage topic (one consumer group of its own, from the latest offsets). */
class Observer {
  /** Trade id → the time each stage was seen (Date.now()). */
  readonly stages = new Map<string, Partial<Record<Stage, number>>>();
  readonly tradeIdOf = new Map<string, string>();
  completed = 0;
  lastCompletionAt = Date.now();
  readonly anomalies = new Map<string, number>();
  private readonly mine = new Set<string>();
  private readonly waiting = new Map<string, Instruction>();
  private readonly answeredInstructions = new Set<string>();
  private readonly watcher: TopicWatcher;

  constructor(connection: KafkaConnection, private readonly ref: BenchReferenceData, private readonly custodian: Custodian) {
    const dlqs = TOPIC_DEFINITIONS.filter((t) => t.kind === 'dlq').map((t) => t.name);
    this.watcher = new TopicWatcher(
      connection,
      `postrade-bench-platform-${ref.tag}`,
      [Topics.tradeCaptureTrades, Topics.matchingResults, Topics.complianceDecisions, Topics.settlementInstructionsOutbound, Topics.settlementEvents, Topics.ledgerEvents, ...dlqs],
      (m) => this.seen(m),
    );
  }

  start(): Promise<void> {
    return this.watcher.start();
  }

  stop(): Promise<void> {
    return this.watcher.stop();
  }

  private count(what: string): void {
    this.anomalies.set(what, (this.anomalies.get(what) ?? 0) + 1);
  }

  private mark(tradeId: string, stage: Stage, at: number): boolean {
    let times = this.stages.get(tradeId);
    if (!times) this.stages.set(tradeId, (times = {}));
    if (times[stage] !== undefined) return false;
    times[stage] = at;
    this.reached[stage]++;
    return true;
  }

  /** How many trades have reached each stage so far: where a backlog sits. */
  readonly reached: Record<Stage, number> = { captured: 0, affirmed: 0, cleared: 0, instructed: 0, settled: 0, ledger: 0 };

  progress(): string {
    return STAGES.map((stage) => `${stage} ${this.reached[stage]}`).join(', ');
  }

  private seen(m: SeenMessage): void {
    const at = Date.now();
    if (m.topic.endsWith('.dlq.v1')) return this.count(`dead-lettered on ${m.topic}`);
    switch (m.topic) {
      case Topics.tradeCaptureTrades: {
        if (m.type !== EventTypes.tradeCaptured) return;
        const trade = JSON.parse(m.value) as { tradeId: string; sourceSystem: string; sourceTradeId: string };
        if (trade.sourceSystem !== this.ref.sourceSystem) return;
        this.mine.add(trade.tradeId);
        this.tradeIdOf.set(trade.sourceTradeId, trade.tradeId);
        this.mark(trade.tradeId, 'captured', at);
        if (this.stages.get(trade.tradeId)!.ledger !== undefined) this.complete(at);
        const instruction = this.waiting.get(trade.tradeId);
        if (instruction) {
          this.waiting.delete(trade.tradeId);
          this.instructed(instruction, at);
        }
        return;
      }
      case Topics.matchingResults:
        if (m.type === EventTypes.matchAffirmed && m.key) this.mark(m.key, 'affirmed', at);
        else if (m.type !== EventTypes.matchMatched && m.type !== EventTypes.matchAlleged && m.type !== EventTypes.matchUnmatched) this.count(`matching ${m.type}`);
        return;
      case Topics.complianceDecisions:
        if (m.type === EventTypes.complianceCleared && m.key) this.mark(m.key, 'cleared', at);
        else this.count(`compliance ${m.type}`);
        return;
      case Topics.settlementInstructionsOutbound: {
        const data = JSON.parse(m.value) as Instruction & { processingStatus: string };
        if (data.processingStatus !== 'INSTRUCTED') return;
        // Only the run's own trades: a backlog left on the topics by an earlier run is not ours to settle.
        if (data.tradeIds.every((id) => this.mine.has(id))) this.instructed(data, at);
        else for (const id of data.tradeIds) if (!this.mine.has(id)) this.waiting.set(id, data);
        return;
      }
      case Topics.settlementEvents:
        if (m.type === EventTypes.settlementSettled) {
          const data = JSON.parse(m.value) as { tradeIds: string[] };
          for (const id of data.tradeIds) this.mark(id, 'settled', at);
        } else if (m.type !== EventTypes.settlementInstructed) this.count(`settlement ${m.type}`);
        return;
      case Topics.ledgerEvents:
        // A settlement entry moves securities to the book's settled account; a capture entry does not.
        if (m.key && m.value.includes(':securities-settled"') && this.mark(m.key, 'ledger', at) && this.mine.has(m.key)) this.complete(at);
        return;
    }
  }

  private instructed(instruction: Instruction, at: number): void {
    if (this.answeredInstructions.has(instruction.instructionId)) return;
    this.answeredInstructions.add(instruction.instructionId);
    for (const id of instruction.tradeIds) this.mark(id, 'instructed', at);
    this.custodian.answer({ instructionId: instruction.instructionId, tradeIds: instruction.tradeIds, intendedSettlementDate: instruction.intendedSettlementDate });
  }

  private complete(at: number): void {
    this.completed++;
    this.lastCompletionAt = at;
  }
}

/**
 * The upstream OMS and the counterparties, as an open model: trade i of a phase is due at
 * t0 + i / rate whether or not earlier ones are done; whatever is due is sent in one batch (the NEW,
 * then its confirmation), and latency counts from the due time.
 */
class Generator {
  offered = 0;
  /** Sequence number → due time (Date.now()). */
  readonly dueAt: number[] = [];
  maxLagMs = 0;
  private next = 0;
  private readonly rng: Prng;
  private readonly quantityOf = new Map<string, number>();

  constructor(private readonly sender: EventSender, private readonly ref: BenchReferenceData, seed: string) {
    this.rng = new Prng(`platform-bench/${seed}/trades`);
  }

  sourceTradeIdOf(n: number): string {
    return `${this.ref.tag}-${n}`;
  }

  get sequence(): number {
    return this.next;
  }

  private messagesOf(n: number): ReturnType<EventSender['message']>[] {
    const { ref, rng } = this;
    const counterparty = ref.counterparties[rng.weightedIndex(ref.counterpartyWeights)];
    const instrument = ref.instruments[rng.weightedIndex(ref.instrumentWeights)];
    // A quantity no other trade of the ISIN has: one pairing key per trade, and never a wash trade.
    const q = (this.quantityOf.get(instrument.isin) ?? 99) + 1;
    this.quantityOf.set(instrument.isin, q);
    const price = toDecimalString(new Decimal(instrument.basePrice).plus(new Decimal(instrument.tick).times(rng.int(-30, 30))), 2);
    const side = rng.chance(0.5) ? 'BUY' : 'SELL';
    const book = ref.books[rng.int(0, ref.books.length - 1)];
    const sourceTradeId = this.sourceTradeIdOf(n);
    const terms = termsOf(instrument, ref.tradeDate, String(q), price, side, counterparty.lei, ref.legalEntity.lei, book);
    const amounts = tradeAmounts(instrument, { ...terms, settlementDate: ref.settlementDate });
    const { executionTime: _none, ...reported } = terms;
    const trade = { action: 'NEW', version: 1, sourceSystem: ref.sourceSystem, sourceTradeId, ...reported };
    const confirmation = {
      confirmationId: `CF-${sourceTradeId}`,
      senderLei: counterparty.lei,
      receiverLei: ref.legalEntity.lei,
      tradeDate: ref.tradeDate,
      settlementDate: amounts.settlementDate,
      side: side === 'BUY' ? 'SELL' : 'BUY',
      isin: instrument.isin,
      quantity: String(q),
      price,
      currency: 'USD',
      netAmount: amounts.netAmount,
      ourReference: sourceTradeId,
    };
    return [
      this.sender.message(Topics.tradesInbound, EventTypes.tradeReported, sourceTradeId, trade),
      this.sender.message(Topics.confirmationsInbound, EventTypes.confirmationReceived, counterparty.lei, confirmation),
    ];
  }

  /** Offers `rate` trades a second for `ms`, or until `stop` says so; resolves when the last is sent. */
  async offer(rate: number, ms: number, stop: () => boolean = () => false): Promise<{ first: number; end: number }> {
    const first = this.next;
    const total = Math.floor((rate * ms) / 1000);
    const t0 = Date.now();
    let sent = 0;
    while (sent < total && !stop()) {
      const now = Date.now();
      const due = Math.min(total, Math.floor(((now - t0) * rate) / 1000) + 1);
      if (due <= sent) {
        await sleep(t0 + (sent * 1000) / rate - now);
        continue;
      }
      const messages: ReturnType<EventSender['message']>[] = [];
      for (let k = sent; k < due; k++) {
        const n = this.next++;
        this.dueAt[n] = t0 + (k * 1000) / rate;
        messages.push(...this.messagesOf(n));
      }
      this.maxLagMs = Math.max(this.maxLagMs, Date.now() - (t0 + (sent * 1000) / rate));
      await this.sender.send(messages);
      this.offered += due - sent;
      sent = due;
    }
    return { first, end: this.next };
  }
}

// ---------------------------------------------------------------------------------------------
// CPU of every process taking part.

interface CpuSnapshot {
  at: number;
  ms: Map<string, number>;
  machineBusy?: number;
  machineTotal?: number;
}

class CpuMeter {
  constructor(private readonly sources: { name: string; read: () => number | undefined }[]) {}

  get names(): string[] {
    return this.sources.map((s) => s.name);
  }

  snapshot(): CpuSnapshot {
    const ms = new Map<string, number>();
    for (const source of this.sources) {
      const value = source.read();
      if (value !== undefined) ms.set(source.name, value);
    }
    const machine = machineCpuMs();
    return { at: Date.now(), ms, machineBusy: machine?.busy, machineTotal: machine?.total };
  }
}

interface CpuWindow {
  seconds: number;
  /** ms of CPU per process over the window. */
  used: Map<string, number>;
  /** ms of CPU on the machine outside the processes measured (other work). */
  elsewhere?: number;
  machineBusyShare?: number;
}

function cpuWindow(from: CpuSnapshot, to: CpuSnapshot): CpuWindow {
  const used = new Map<string, number>();
  for (const [name, ms] of to.ms) {
    const before = from.ms.get(name);
    if (before !== undefined) used.set(name, ms - before);
  }
  const ours = [...used.values()].reduce((s, v) => s + v, 0);
  const busy = from.machineBusy !== undefined && to.machineBusy !== undefined ? to.machineBusy - from.machineBusy : undefined;
  const total = from.machineTotal !== undefined && to.machineTotal !== undefined ? to.machineTotal - from.machineTotal : undefined;
  return {
    seconds: (to.at - from.at) / 1000,
    used,
    elsewhere: busy === undefined ? undefined : Math.max(0, busy - ours),
    machineBusyShare: busy !== undefined && total ? busy / total : undefined,
  };
}

const BENCH_PROCESS = 'bench process (OMS, counterparties, custodian, observer)';
const KAFKA = 'Kafka broker';
const POSTGRES = 'Postgres (every process of the server)';
const REST_OF_MACHINE = 'rest of the machine (other work)';

async function cpuSources(services: ServiceProcess[], connection: KafkaConnection, adminUrl: string, log: Log): Promise<CpuMeter> {
  const sources: { name: string; read: () => number | undefined }[] = services.map((s) => ({
    name: s.name,
    read: () => {
      const stat = s.child.pid === undefined ? undefined : readProcStat(s.child.pid);
      return stat && cpuMsOf(stat);
    },
  }));
  const brokerPort = Number(connection.brokers[0].split(':').pop());
  const broker = pidListeningOn(brokerPort);
  if (broker === undefined) log(`  the Kafka broker's process (port ${brokerPort}) is not on this machine: its CPU is not measured`);
  else sources.push({ name: KAFKA, read: () => { const stat = readProcStat(broker); return stat && cpuMsOf(stat); } });
  // The postmaster is the parent of any backend: this connection's, read while it is open.
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  let postmaster: ReturnType<typeof readProcStat>;
  try {
    const [{ pid }] = (await client.query('select pg_backend_pid() as pid')).rows;
    const backend = readProcStat(Number(pid));
    postmaster = backend && readProcStat(backend.ppid);
  } finally {
    await client.end();
  }
  if (!postmaster || !/postgres/.test(postmaster.comm)) log('  the Postgres server is not on this machine: its CPU is not measured');
  else sources.push({ name: POSTGRES, read: () => postgresServerCpuMs(postmaster.pid) });
  sources.push({ name: BENCH_PROCESS, read: () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; } });
  return new CpuMeter(sources);
}

// ---------------------------------------------------------------------------------------------
// Counters of the broker and the database, read before and after the latency run.

async function topicOffsets(connection: KafkaConnection): Promise<Map<string, number>> {
  const admin = createKafka(connection, { quiet: true }).admin();
  await admin.connect();
  try {
    const totals = new Map<string, number>();
    for (const topic of TOPIC_DEFINITIONS) {
      const partitions = await admin.fetchTopicOffsets(topic.name);
      totals.set(topic.name, partitions.reduce((s, p) => s + Number(p.high), 0));
    }
    return totals;
  } finally {
    await admin.disconnect();
  }
}

interface TableCounters {
  schema: string;
  inserted: number;
  updated: number;
  deleted: number;
  indexScans: number;
  seqScans: number;
}

interface DatabaseCounters {
  tables: Map<string, TableCounters>;
  commits: number;
  preload: string;
  /** Per runtime role, when pg_stat_statements is loaded and installed: statements run and their execution time. */
  statements?: Map<string, { calls: number; ms: number }>;
}

async function databaseCounters(adminUrl: string): Promise<DatabaseCounters> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const schemas = SERVICES.map((s) => s.database.schema);
    const rows = (
      await client.query(
        `select schemaname as schema, sum(n_tup_ins)::bigint as inserted, sum(n_tup_upd)::bigint as updated, sum(n_tup_del)::bigint as deleted,
                sum(coalesce(idx_scan, 0))::bigint as "indexScans", sum(coalesce(seq_scan, 0))::bigint as "seqScans"
           from pg_stat_user_tables where schemaname = any($1) group by schemaname`,
        [schemas],
      )
    ).rows as Record<string, string>[];
    const tables = new Map<string, TableCounters>();
    for (const r of rows) {
      tables.set(r.schema, { schema: r.schema, inserted: Number(r.inserted), updated: Number(r.updated), deleted: Number(r.deleted), indexScans: Number(r.indexScans), seqScans: Number(r.seqScans) });
    }
    const [{ commits }] = (await client.query('select xact_commit::bigint as commits from pg_stat_database where datname = current_database()')).rows;
    const [{ preload }] = (await client.query(`select current_setting('shared_preload_libraries') as preload`)).rows;
    const installed = (await client.query(`select 1 from pg_extension where extname = 'pg_stat_statements'`)).rowCount === 1;
    if (!/pg_stat_statements/.test(preload) || !installed) return { tables, commits: Number(commits), preload };
    const statements = new Map<string, { calls: number; ms: number }>();
    const perRole = await client.query(
      `select r.rolname as role, sum(s.calls)::bigint as calls, sum(s.total_exec_time) as ms
         from pg_stat_statements s join pg_roles r on r.oid = s.userid where r.rolname = any($1) group by r.rolname`,
      [SERVICES.map((service) => service.database.role)],
    );
    for (const r of perRole.rows) statements.set(r.role, { calls: Number(r.calls), ms: Number(r.ms) });
    return { tables, commits: Number(commits), preload, statements };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------

class PlatformWedged extends Error {}

interface StepResult {
  rate: number;
  verdict: StepVerdict;
  cpu: CpuWindow;
  /** Trades completed in the judged window: the denominator of CPU per trade. */
  completedInWindow: number;
  cutShort: boolean;
}

export async function benchPlatform(runtime: { databaseUrl: string; kafkaBrokers: string }, log: Log): Promise<BenchTable[]> {
  const s = settings();
  const connection: KafkaConnection = kafkaConnectionFromEnv('postrade-bench-platform', { ...process.env, KAFKA_BROKERS: runtime.kafkaBrokers });
  const summary: string[][] = [];
  const tables: BenchTable[] = [];
  const benchStarted = Date.now();
  const trace = process.env.BENCH_PLATFORM_TRACE === '1';

  log('  raw ceilings (Kafka alone, Postgres alone)…');
  const machineBefore = machineCpuMs();
  const ceilings = await rawCeilings(connection, runtime.databaseUrl, s.ceilingEvents);
  const machineAfter = machineCpuMs();
  const busyDuringCeilings = machineBefore && machineAfter ? ` (machine ${Math.round((100 * (machineAfter.busy - machineBefore.busy)) / (machineAfter.total - machineBefore.total))} % busy meanwhile)` : '';
  summary.push(['Kafka alone: kafkajs produce (acks=all, idempotent) and consume, 1,000 per send', `${fmt(ceilings.kafka)} events/s${busyDuringCeilings}`]);
  summary.push(['Postgres alone: inbox row + effect row per event, 500 events per transaction', `${fmt(ceilings.postgres)} events/s`]);

  const foreign = await foreignServiceMembers(connection);
  if (foreign.length > 0) {
    throw new Error(
      `another platform's services consume from ${runtime.kafkaBrokers} (${foreign.slice(0, 5).join('; ')}): they would take the bench's trades. ` +
        'Stop them, or give the bench a runtime of its own (KAFKA_PORT=9392 EMBEDDED_POSTGRES_PORT=54639).',
    );
  }
  for (let i = 0; i < SERVICES.length; i++) {
    if (!(await portFree(s.firstPort + i))) throw new Error(`port ${s.firstPort + i} is taken: set BENCH_PLATFORM_PORT to the first of five free ports`);
  }

  const ref = referenceData(s.seed, s.counterparties);
  const logDir = join(repoRoot, '.postrade', 'bench-platform', ref.tag);
  log(`  starting the ${SERVICES.length} compiled services on ports ${s.firstPort}–${s.firstPort + SERVICES.length - 1} (their output in ${logDir})…`);
  const services = startServices(s.firstPort, runtime, logDir);
  const killOnExit = () => services.forEach((sp) => sp.child.exitCode === null && sp.child.kill('SIGKILL'));
  process.once('exit', killOnExit);
  const orderSender = new EventSender(connection, 'bench-oms');
  const custodianSender = new EventSender(connection, 'bench-custodian');
  const custodian = new Custodian(custodianSender, ref.tag);
  const observer = new Observer(connection, ref, custodian);
  const generator = new Generator(orderSender, ref, s.seed);
  let observing = false;

  const healthTable = async (why: string): Promise<BenchTable> => ({
    title: `whole platform WEDGED: ${why}`,
    header: ['service', '/health/ready'],
    rows: await Promise.all(services.map(async (sp) => [sp.name, (await health(sp)).replace(/\|/g, '\\|').slice(0, 600)])),
    notes: [`${fmt(generator.offered)} trades offered; how many reached each stage: ${observer.progress()}; each service's output in ${logDir}`],
  });

  /**
   * Waits until every trade offered has completed. Wedged when nothing completes for `quietMs` while
   * more trades are open than were held, refused or dead-lettered (those never complete).
   */
  const drain = async (timeoutMs: number, quietMs = 45_000): Promise<boolean> => {
    const deadline = Date.now() + timeoutMs;
    const since = Date.now();
    while (observer.completed < generator.offered) {
      const quietFor = Date.now() - Math.max(observer.lastCompletionAt, since);
      const open = generator.offered - observer.completed;
      const offPath = [...observer.anomalies.values()].reduce((sum, n) => sum + n, 0);
      if (quietFor > quietMs && open <= offPath) return false;
      if (quietFor > quietMs) throw new PlatformWedged(`${fmt(open)} trades offered and not completed, nothing completed for ${Math.round(quietFor / 1000)} s`);
      if (Date.now() > deadline) return false;
      await sleep(250);
    }
    return true;
  };

  try {
    const started = Date.now();
    await Promise.all(services.map((sp) => waitReady(sp, 240_000)));
    log(`  services ready after ${Math.round((Date.now() - started) / 1000)} s; loading reference data (${ref.counterparties.length} counterparties, ${ref.instruments.length} ISINs, trade date ${ref.tradeDate}, ISD ${ref.settlementDate})…`);
    const urls = Object.fromEntries(services.map((sp) => [sp.name, sp.url])) as ServiceUrls;
    const rest = new RestClient(urls);
    await loadReferenceData(rest, ref);
    await observer.start();
    observing = true;
    custodian.start();
    const meter = await cpuSources(services, connection, runtime.databaseUrl, log);

    // Warm-up: the consumer groups have formed, the JIT and the caches are warm, the flow goes through.
    log('  warm-up: 200 trades at 20/s…');
    await generator.offer(20, 10_000);
    await drain(120_000, 90_000);

    log(`  idle: ${s.idleMs / 1000} s with nothing offered…`);
    const idleFrom = meter.snapshot();
    await sleep(s.idleMs);
    const idle = cpuWindow(idleFrom, meter.snapshot());

    // Stepping the offered rate up until the platform falls behind.
    const steps: StepResult[] = [];
    const stepsStarted = Date.now();
    for (let rate: number | undefined = s.rates[0]; rate !== undefined; ) {
      log(`  offering ${rate} trades/s for ${s.stepMs / 1000} s…`);
      const judgedFrom = Date.now() + s.stepMs * 0.4;
      const samples: ProgressSample[] = [];
      let cpuFrom: CpuSnapshot | undefined;
      let cutShort = false;
      const currentRate = rate;
      const sampler = setInterval(() => {
        const sample = { at: Date.now(), offered: generator.offered, completed: observer.completed };
        if (trace) log(`    ${new Date(sample.at).toISOString().slice(11, 23)} offered ${sample.offered}, reached: ${observer.progress()}`);
        if (sample.at < judgedFrom) return;
        cpuFrom ??= meter.snapshot();
        samples.push(sample);
        if (samples.length > 6 && clearlyBehind(sample, currentRate, samples[0].offered - samples[0].completed)) cutShort = true;
      }, 500);
      await generator.offer(rate, s.stepMs, () => cutShort);
      clearInterval(sampler);
      const cpuTo = meter.snapshot();
      samples.push({ at: Date.now(), offered: generator.offered, completed: observer.completed });
      if (samples.length < 3 || !cpuFrom) throw new Error(`step at ${rate}/s too short to judge (BENCH_PLATFORM_STEP_SECONDS)`);
      const verdict = judgeStep(samples, rate);
      const completedInWindow = samples[samples.length - 1].completed - samples[0].completed;
      if (completedInWindow === 0) throw new PlatformWedged(`nothing completed at ${rate} trades/s offered`);
      steps.push({ rate, verdict, cpu: cpuWindow(cpuFrom, cpuTo), completedInWindow, cutShort });
      log(`    offered ${verdict.offeredPerSecond.toFixed(1)}/s, completed ${verdict.completedPerSecond.toFixed(1)}/s, backlog ${verdict.backlog} (${verdict.backlogGrowthPerSecond.toFixed(1)}/s): ${verdict.reason}`);
      log(`    ${generator.offered} offered in all; reached: ${observer.progress()}`);
      const tried = steps.map((st) => ({ rate: st.rate, sustained: st.verdict.sustained }));
      rate = nextRate(s.rates, tried, s.stepsBudgetMs - (Date.now() - stepsStarted), s.stepMs);
    }
    const byRate = [...steps].sort((a, b) => a.rate - b.rate);
    const highest = byRate.filter((st) => st.verdict.sustained).pop();
    // The lowest rate the platform fell behind at, above the highest it sustained: its completions are the saturated throughput.
    const saturated = byRate.find((st) => !st.verdict.sustained && (!highest || st.rate > highest.rate));
    log(`  draining the backlog (${fmt(generator.offered - observer.completed)} trades)…`);
    const drained = await drain(90_000);
    if (!drained) log(`    not drained within 90 s: ${fmt(generator.offered - observer.completed)} trades still open; the latency run starts on top of them`);

    // At half the highest sustained rate: latency per stage, CPU, messages and rows per trade.
    const half = halfRate(highest?.rate, saturated?.verdict.completedPerSecond ?? s.rates[0]);
    log(`  latency run: ${half} trades/s for ${s.latencyMs / 1000} s…`);
    const offsetsFrom = await topicOffsets(connection);
    const dbFrom = await databaseCounters(runtime.databaseUrl);
    const halfFrom = meter.snapshot();
    const { first, end } = await generator.offer(half, s.latencyMs);
    const latencyDrained = await drain(90_000);
    const halfCpu = cpuWindow(halfFrom, meter.snapshot());
    // Backends report their table statistics within 10 s of going idle (PGSTAT_IDLE_INTERVAL).
    await sleep(11_000);
    const dbTo = await databaseCounters(runtime.databaseUrl);
    const offsetsTo = await topicOffsets(connection);
    const trades = end - first;

    // Latency per stage, from each trade's due time.
    const histograms = new Map<Stage | 'sent', hdr.Histogram>();
    const histogramOf = (key: Stage | 'sent') => {
      let h = histograms.get(key);
      if (!h) histograms.set(key, (h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: 3 })));
      return h;
    };
    let incomplete = 0;
    for (let n = first; n < end; n++) {
      const tradeId = observer.tradeIdOf.get(generator.sourceTradeIdOf(n));
      const times = tradeId ? observer.stages.get(tradeId) : undefined;
      if (!times || times.ledger === undefined) incomplete++;
      for (const stage of STAGES) {
        const at = times?.[stage];
        if (at !== undefined) histogramOf(stage).recordValue(Math.max(1, at - generator.dueAt[n]));
      }
    }
    tables.push({
      title: `whole platform: latency from the OMS message at ${half} trades/s offered (half the highest sustained rate), ${fmt(trades)} trades, open model`,
      header: ['stage (cumulative from the OMS message)', 'p50', 'p99', 'max', 'trades seen'],
      rows: STAGES.map((stage) => {
        const h = histograms.get(stage);
        return h
          ? [STAGE_LABELS[stage], `${fmt(h.getValueAtPercentile(50))} ms`, `${fmt(h.getValueAtPercentile(99))} ms`, `${fmt(h.maxValue)} ms`, fmt(h.totalCount)]
          : [STAGE_LABELS[stage], '–', '–', '–', '0'];
      }),
      notes: [
        ...(incomplete > 0 || !latencyDrained ? [`${fmt(incomplete)} of the ${fmt(trades)} trades did not reach the ledger's settlement entry within 90 s of the last offer`] : []),
        `the generator's worst lag behind its schedule over the whole run: ${fmt(generator.maxLagMs)} ms`,
      ],
    });

    // Steps.
    tables.push({
      title: `whole platform: offered rate stepped up (${s.stepMs / 1000} s a step, judged on the last ${Math.round((s.stepMs * 0.6) / 1000)} s)`,
      header: ['offered (target)', 'offered', 'completed (ledger settlement entry)', 'backlog at the end', 'backlog growth', 'machine busy', 'verdict'],
      rows: steps.map((st) => [
        `${fmt(st.rate)}/s`,
        `${fmt(st.verdict.offeredPerSecond, 1)}/s`,
        `${fmt(st.verdict.completedPerSecond, 1)}/s`,
        fmt(st.verdict.backlog),
        `${fmt(st.verdict.backlogGrowthPerSecond, 1)}/s`,
        st.cpu.machineBusyShare === undefined ? '–' : `${Math.round(st.cpu.machineBusyShare * 100)} %`,
        `${st.verdict.sustained ? 'sustained' : 'behind'}: ${st.verdict.reason}${st.cutShort ? ' (step cut short)' : ''}`,
      ]),
    });

    // CPU per trade per process at the latency run; every process's share of a core at each step.
    const names = [...meter.names, REST_OF_MACHINE];
    const msIn = (w: CpuWindow, name: string) => (name === REST_OF_MACHINE ? w.elsewhere : w.used.get(name));
    const coreShare = (w: CpuWindow, name: string) => {
      const ms = msIn(w, name);
      return ms === undefined ? '–' : `${fmt((100 * ms) / (w.seconds * 1000), 1)} %`;
    };
    const totalOf = (w: CpuWindow) => [...w.used.values()].reduce((sum, v) => sum + v, 0);
    const aboveIdle = (w: CpuWindow, name: string) => {
      const ms = msIn(w, name);
      const idleMs = msIn(idle, name);
      return ms === undefined || idleMs === undefined ? undefined : ms - (idleMs * w.seconds) / idle.seconds;
    };
    const idleTotal = totalOf(idle);
    const marginalTotal = totalOf(halfCpu) - (idleTotal * halfCpu.seconds) / idle.seconds;
    tables.push({
      title: `whole platform: CPU per trade by process at ${half} trades/s offered (the latency run)`,
      header: ['process', 'idle: % of a core', 'ms of CPU per trade', '… above its idle', `% of a core at ${half}/s`],
      rows: [
        ...names.map((name) => {
          const ms = msIn(halfCpu, name);
          const above = aboveIdle(halfCpu, name);
          const aboveText = above === undefined || name === REST_OF_MACHINE ? '–' : fmt(above / trades, 2);
          return [name, coreShare(idle, name), ms === undefined ? '–' : fmt(ms / trades, 2), aboveText, coreShare(halfCpu, name)];
        }),
        [
          '**all measured processes**',
          `${fmt((100 * idleTotal) / (idle.seconds * 1000), 1)} %`,
          fmt(totalOf(halfCpu) / trades, 2),
          fmt(marginalTotal / trades, 2),
          `${fmt((100 * totalOf(halfCpu)) / (halfCpu.seconds * 1000), 1)} %`,
        ],
      ],
      notes: [
        `CPU from /proc/<pid>/stat (utime + stime) over the latency run, from its first offer to its last trade's settlement entry (${fmt(halfCpu.seconds, 1)} s, ${fmt(trades)} trades); idle over ${fmt(idle.seconds, 1)} s with nothing offered. "Above its idle" takes away what the process spends idle over as long. The rest of the machine is its busy time (/proc/stat) less the processes measured: other work on the shared machine.`,
      ],
    });
    tables.push({
      title: 'whole platform: share of a core by process at each offered rate (the judged part of each step)',
      header: ['process', ...steps.map((st) => `${fmt(st.rate)}/s${st.verdict.sustained ? '' : ' (behind)'}`)],
      rows: [
        ...names.map((name) => [name, ...steps.map((st) => coreShare(st.cpu, name))]),
        ['**all measured processes**', ...steps.map((st) => `${fmt((100 * totalOf(st.cpu)) / (st.cpu.seconds * 1000), 1)} %`)],
        ['ms of CPU per trade completed, all measured', ...steps.map((st) => fmt(totalOf(st.cpu) / st.completedInWindow, 1))],
      ],
    });

    // Database rows and Kafka messages per trade over the latency run.
    const schemaRows = SERVICES.map((service) => {
      const a = dbFrom.tables.get(service.database.schema);
      const b = dbTo.tables.get(service.database.schema);
      const per = (k: keyof Omit<TableCounters, 'schema'>) => (a && b ? fmt((b[k] - a[k]) / trades, 1) : '–');
      const sa = dbFrom.statements?.get(service.database.role);
      const sb = dbTo.statements?.get(service.database.role);
      const statements = sb ? `${fmt((sb.calls - (sa?.calls ?? 0)) / trades, 1)} (${fmt((sb.ms - (sa?.ms ?? 0)) / trades, 2)} ms)` : '–';
      return [`${service.name} (\`${service.database.schema}\`)`, statements, per('inserted'), per('updated'), per('deleted'), per('indexScans'), per('seqScans')];
    });
    tables.push({
      title: `whole platform: Postgres work per trade over the latency run (per service role and schema)`,
      header: ['service (schema)', 'SQL statements (their execution time)', 'rows inserted', 'rows updated', 'rows deleted', 'index scans', 'sequential scans'],
      rows: schemaRows,
      notes: [
        `transactions committed per trade, all services together (pg_stat_database): ${fmt((dbTo.commits - dbFrom.commits) / trades, 1)}. Rows and scans from pg_stat_user_tables of each service's schema.`,
        dbTo.statements
          ? 'SQL statements per service from pg_stat_statements, by the service\'s runtime role (the outbox relay and retention sweeps included).'
          : `SQL statements per service not measured: pg_stat_statements is not loaded and installed (shared_preload_libraries = '${dbTo.preload}'), and pg_stat_database counts transactions for the whole database, not per role.`,
      ],
    });
    const messages = [...offsetsTo].map(([topic, high]) => [topic, (high - (offsetsFrom.get(topic) ?? 0)) / trades] as const).filter(([, n]) => n > 0);
    const messagesPerTrade = messages.reduce((sum, [, n]) => sum + n, 0);

    // Summary.
    const headline = highest
      ? `**${fmt(highest.rate)} trades/s** (completed ${fmt(highest.verdict.completedPerSecond, 1)}/s)`
      : `none of the rates tried (the lowest, ${s.rates[0]}/s, was not sustained)`;
    summary.push(['Highest offered rate sustained, OMS message → ledger settlement entry', headline]);
    if (saturated) {
      summary.push([
        `… at ${fmt(saturated.rate)}/s offered`,
        `completed ${fmt(saturated.verdict.completedPerSecond, 1)}/s, backlog growing ${fmt(saturated.verdict.backlogGrowthPerSecond, 1)}/s (${saturated.verdict.reason})`,
      ]);
    }
    const fastest = [...steps].sort((a, b) => b.verdict.completedPerSecond - a.verdict.completedPerSecond)[0];
    if (fastest && fastest.verdict.completedPerSecond > fastest.verdict.offeredPerSecond * 1.2) {
      summary.push([
        'Highest completion rate seen in a step (draining what earlier steps left: batches grow with the backlog)',
        `${fmt(fastest.verdict.completedPerSecond, 1)}/s at ${fmt(fastest.rate)}/s offered`,
      ]);
    }
    const ledgerHistogram = histograms.get('ledger');
    if (ledgerHistogram) {
      summary.push([`Latency OMS message → ledger settlement entry at ${half}/s offered`, `p50 ${fmt(ledgerHistogram.getValueAtPercentile(50))} ms, p99 ${fmt(ledgerHistogram.getValueAtPercentile(99))} ms, max ${fmt(ledgerHistogram.maxValue)} ms`]);
    }
    summary.push([
      `CPU per trade, all measured processes, at ${half}/s`,
      `${fmt(totalOf(halfCpu) / trades, 1)} ms, ${fmt(marginalTotal / trades, 1)} ms above idle (at that cost two whole cores, less the idle platform's share, would give at most ~${fmt(Math.max(0, 2000 - idleTotal / idle.seconds) / Math.max(0.001, marginalTotal / trades))} trades/s; arithmetic)`,
    ]);
    summary.push(['Idle platform CPU (nothing offered), all processes', `${fmt((100 * totalOf(idle)) / (idle.seconds * 1000), 1)} % of one core`]);
    summary.push([
      'Kafka messages per trade (all topics, the bench\'s own four included)',
      `${fmt(messagesPerTrade, 1)}: ${messages.map(([t, n]) => `${t} ${fmt(n, 1)}`).join(', ')}; the raw ceiling ÷ this ≈ ${fmt(ceilings.kafka / messagesPerTrade)} trades/s`,
    ]);
    const rowsPerTrade = SERVICES.reduce((sum, service) => {
      const a = dbFrom.tables.get(service.database.schema);
      const b = dbTo.tables.get(service.database.schema);
      return a && b ? sum + (b.inserted - a.inserted + b.updated - a.updated + b.deleted - a.deleted) / trades : sum;
    }, 0);
    summary.push(['Postgres rows written per trade (all services)', `${fmt(rowsPerTrade, 1)}; the raw ceiling (2 rows an event) ÷ this ≈ ${fmt((2 * ceilings.postgres) / rowsPerTrade)} trades/s`]);
    const anomalies = [...observer.anomalies].map(([what, n]) => `${what}: ${n}`);
    summary.push(['Anything but the happy path (held, mismatched, failed, dead-lettered)', anomalies.length === 0 ? 'none' : anomalies.join('; ')]);
    summary.push(['Trades offered in all / custodian answers', `${fmt(generator.offered)} / ${fmt(custodian.answered)}`]);
    summary.push(['Run', `trade date ${ref.tradeDate}, ISD ${ref.settlementDate}, ${ref.counterparties.length} counterparties (Zipf 1.1), ${ref.instruments.length} ISINs (Zipf 1.0), ${BOOKS} books, run tag ${ref.tag}; whole bench ${Math.round((Date.now() - benchStarted) / 1000)} s`]);
    return [{ title: `whole platform (${new Date().toISOString().slice(0, 10)}): summary`, header: ['measure', 'figure'], rows: summary }, ...tables];
  } catch (err) {
    if (!(err instanceof PlatformWedged)) throw err;
    log(`  the platform wedged: ${err.message}`);
    return [{ title: 'whole platform: summary so far', header: ['measure', 'figure'], rows: summary }, await healthTable(err.message)];
  } finally {
    await custodian.stop();
    if (observing) await observer.stop().catch(() => undefined);
    await orderSender.close().catch(() => undefined);
    await custodianSender.close().catch(() => undefined);
    await stopServices(services);
    process.removeListener('exit', killOnExit);
  }
}
