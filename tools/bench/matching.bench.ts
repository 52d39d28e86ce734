/**
 * Confirmation matching throughput: confirmations from `confirmations.inbound.v1` applied by the
 * confirmation handler's `handleBatch` (locks, multi-row reads by pairing key, matching, multi-row
 * writes, outbox rows), driven directly in one process against the real database, with a book of
 * open trades seeded beforehand. Payload parsing and validation, which the consumer runner does
 * before the handler, is timed apart. Each confirmation pairs with one open trade and ends AFFIRMED
 * (two results in the outbox). Kafka, the inbox and offset commits are the consumer runner's and
 * are measured by the messaging benchmark, not here.
 *
 * The confirmations come from 24 counterparties and are keyed by sender LEI, as on the topic, so
 * they fall into the topic's partitions; like the consumer runner, up to
 * `CONSUMER_CONCURRENT_PARTITIONS` (4) partitions are applied at once, each in order, one
 * transaction per batch.
 *
 *   BENCH_MATCHING_OPEN_ITEMS      open trades, comma-separated sizes (default 100000,1000000)
 *   BENCH_MATCHING_CONFIRMATIONS   confirmations per size (default 50000)
 *   BENCH_MATCHING_BATCH           confirmations per handleBatch call, one transaction each (default 500)
 *   BENCH_MATCHING_PROFILE         a directory: writes a V8 CPU profile of each timed run there
 *   BENCH_MATCHING_END_TO_END      confirmations per size through Kafka and the consumer runner (default 30000; 0 skips)
 *
 * Needs DATABASE_URL (an admin connection); works in its own schema `matching_bench`, which it
 * empties before each size.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { ConfirmationReceived, EventTypes, TOPIC_DEFINITIONS, Topics, toHeaders, validatePayload } from '@postrade/contracts';
import {
  ConsumerRunner,
  createKafka,
  ensureTopics,
  kafkaConnectionFromEnv,
  KafkajsEventPublisher,
  Outbox,
  OutboxRelay,
  transactionWroteOutbox,
  type ConsumedEvent,
} from '@postrade/messaging';
import { bootstrapServiceDatabase, createServiceDataSource, onCommit, serviceDatabaseUrl, type ServiceDatabase } from '@postrade/persistence';
import { PairingKeyMatcher } from '../../apps/confirmation-matching/src/application/rematch/pairing-key-matcher';
import { ReceiveConfirmationsHandler } from '../../apps/confirmation-matching/src/application/receive-confirmations/receive-confirmations.command-handler';
import { ConfirmationReceivedHandler } from '../../apps/confirmation-matching/src/messaging/confirmation-received.handler';
import { confirmationMatchingDatabase } from '../../apps/confirmation-matching/src/persistence/confirmation-matching.database';
import { ConfirmationRepository } from '../../apps/confirmation-matching/src/persistence/confirmation.repository';
import { MatchingProfileRepository } from '../../apps/confirmation-matching/src/persistence/matching-profile.repository';
import { PairingLocks } from '../../apps/confirmation-matching/src/persistence/pairing-locks';
import { TradeRepository } from '../../apps/confirmation-matching/src/persistence/trade.repository';

/** A valid LEI (ISO 17442 check digits, ISO 7064 MOD 97-10) for counterparty n. */
function leiOf(n: number): string {
  const base = `5493${String(n).padStart(14, '0')}`;
  return `${base}${String(98n - (BigInt(`${base}00`) % 97n)).padStart(2, '0')}`;
}
const COUNTERPARTIES = Array.from({ length: 24 }, (_, n) => leiOf(n + 1));
const counterpartyOf = (i: number): string => COUNTERPARTIES[i % COUNTERPARTIES.length];
const OUR_LEI = '529900T8BM49AURSDO55';
const ISIN = 'US0378331005';
const FIRST_TRADE_DATE = '2026-10-01';
const TRADE_DATES = 40;

const benchDatabase: ServiceDatabase = { ...confirmationMatchingDatabase, service: 'matching-bench', schema: 'matching_bench', role: 'matching_bench_svc' };

const sizesFromEnv = (): number[] => (process.env.BENCH_MATCHING_OPEN_ITEMS ?? '100000,1000000').split(',').map((s) => Number(s.trim()));

/** Trade i: a pairing key of its own (quantity 1000 + i), trade date cycling over 40 days. */
const tradeDateOf = (i: number): string => {
  const d = new Date(`${FIRST_TRADE_DATE}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + (i % TRADE_DATES));
  return d.toISOString().slice(0, 10);
};

/** Confirmation i's id: unique to this run, so that ids never repeat across runs on a kept database. */
const RUN = randomUUID().slice(0, 8);
const confirmationIdOf = (i: number): string => `CP-${i}-${RUN}`;

function confirmationEvent(i: number): ConsumedEvent<ConfirmationReceived> {
  const data = {
    confirmationId: confirmationIdOf(i),
    senderLei: counterpartyOf(i),
    receiverLei: OUR_LEI,
    tradeDate: tradeDateOf(i),
    settlementDate: tradeDateOf(i),
    side: 'SELL',
    isin: ISIN,
    quantity: String(1000 + i),
    price: '100.25',
    currency: 'USD',
    netAmount: '1000.00',
    ourReference: `S-${i}`,
  };
  const id = randomUUID();
  return {
    envelope: { id, source: 'bench', type: EventTypes.confirmationReceived, time: new Date().toISOString(), subject: data.senderLei, data: data as ConfirmationReceived },
    message: { topic: 'confirmations.inbound.v1', partition: partitionOf(data.senderLei), offset: String(i), key: data.senderLei, headers: {}, value: JSON.stringify(data) },
  };
}

/** The partition of a key (the topic's partition count; the spread, not Kafka's exact murmur2 hash, is what matters here). */
function partitionOf(key: string): number {
  let h = 0;
  for (const c of key) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % TOPIC_DEFINITIONS.find((t) => t.name === Topics.confirmationsInbound)!.partitions;
}

/** Events split by partition, each in offset order: what kafkajs hands the runner. */
function byPartition(events: readonly ConsumedEvent<ConfirmationReceived>[]): ConsumedEvent<ConfirmationReceived>[][] {
  const partitions = new Map<number, ConsumedEvent<ConfirmationReceived>[]>();
  for (const e of events) {
    const queue = partitions.get(e.message.partition);
    if (queue) queue.push(e);
    else partitions.set(e.message.partition, [e]);
  }
  return [...partitions.values()];
}

/**
 * Applies partitions as the consumer runner does: each in order, in batches of `batchSize` (one
 * transaction each), with up to `concurrency` partitions in flight at once, taking turns.
 */
async function applyAsConsumer(partitions: ConsumedEvent<ConfirmationReceived>[][], batchSize: number, concurrency: number, apply: (batch: ConsumedEvent<ConfirmationReceived>[]) => Promise<void>): Promise<void> {
  const queues = partitions.map((events) => ({ events, at: 0 }));
  const worker = async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      const batch = queue.events.slice(queue.at, queue.at + batchSize);
      queue.at += batch.length;
      await apply(batch);
      if (queue.at < queue.events.length) queues.push(queue);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * With `BENCH_MATCHING_PROFILE=<dir>`, a V8 CPU profile of each timed run (open it in Chrome's
 * DevTools): where this process spends its time, without start-up and seeding.
 */
async function startProfile(): Promise<{ stop: (name: number | string) => Promise<void> } | undefined> {
  const dir = process.env.BENCH_MATCHING_PROFILE;
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) => session.post(method, (err, result) => (err ? reject(err) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    stop: async (name) => {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `matching-${name}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** CPU time of the whole machine so far (Linux /proc/stat), busy and idle, in ms; undefined elsewhere. */
function machineCpuMs(): { busy: number; idle: number } | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  return { busy: (user + nice + system + irq + softirq + steal) * tick, idle: (idle + iowait) * tick };
}

/** Distinct trade numbers in 1..openItems not in `used`, spread over the whole book. */
function sample(openItems: number, count: number, used: ReadonlySet<number> = new Set()): number[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, openItems - used.size)) {
    const i = 1 + Math.floor(Math.random() * openItems);
    if (!used.has(i)) picked.add(i);
  }
  return [...picked];
}

/**
 * End to end from the topic, as the service runs: confirmations published beforehand on a topic
 * of the inbound topic's partitions, keyed by sender LEI, with CloudEvents headers; the consumer
 * runner (Kafka fetch, payload parsing and validation, inbox, the handler's `handleBatch`, offset
 * commits) applies them, while the outbox relay publishes the results to Kafka. Timed from the
 * first confirmation applied (after the consumer group has formed) to the last.
 */
async function endToEnd(
  dataSource: DataSource,
  handler: ConfirmationReceivedHandler,
  outbox: Outbox,
  databaseUrl: string,
  numbers: number[],
  label: string,
): Promise<{ rate: number; nodeMs: number; busyMs?: number; availableMs?: number; deadLetters: number }> {
  const connection = kafkaConnectionFromEnv('matching-bench');
  const topic = `bench.confirmations.inbound.${Date.now()}`;
  const partitions = TOPIC_DEFINITIONS.find((t) => t.name === Topics.confirmationsInbound)!.partitions;
  await ensureTopics(connection, [{ name: topic, partitions }]);
  const upstream = new KafkajsEventPublisher(connection);
  await upstream.connect();
  for (let at = 0; at < numbers.length; at += 1_000) {
    await upstream.send(
      numbers.slice(at, at + 1_000).map((i) => {
        const { envelope, message } = confirmationEvent(i);
        return { topic, key: message.key, value: message.value, headers: toHeaders(envelope) };
      }),
    );
  }
  await upstream.disconnect();

  // Progress from the runner's after-commit hook, counted in memory: polling the table would load the database being measured.
  let applied = 0;
  let started: { at: bigint; cpu: NodeJS.CpuUsage; machine?: { busy: number; idle: number }; first: number } | undefined;
  let finished: () => void = () => undefined;
  let profiling: ReturnType<typeof startProfile> | undefined;
  const allApplied = new Promise<void>((resolve) => (finished = resolve));
  // The results go to a topic of this run, never to the platform's `matching.results.v1`, whose
  // consumers (settlement) would otherwise take the benchmark's trades for real ones.
  const resultsTopic = `bench.matching.results.${Date.now()}`;
  const dlqTopic = `bench.matching.dlq.${Date.now()}`;
  await ensureTopics(connection, [{ name: resultsTopic, partitions }, { name: dlqTopic, partitions: 1 }]);
  const publisher = new KafkajsEventPublisher(connection);
  const relay = new OutboxRelay(
    {
      connect: () => publisher.connect(),
      disconnect: () => publisher.disconnect(),
      send: (messages) => publisher.send(messages.map((m) => ({ ...m, topic: m.topic === Topics.matchingResults ? resultsTopic : m.topic }))),
    },
    { databaseUrl, schema: benchDatabase.schema },
  );
  const stopWaking = onCommit(dataSource, (em) => transactionWroteOutbox(em) && relay.wake());
  const consumer = new ConsumerRunner(connection, dataSource, {
    consumer: `matching-bench-${randomUUID()}`,
    dlqTopic,
    topics: [topic],
    handlers: [handler],
    outbox,
    fromBeginning: true,
    afterApplied: (messages) => {
      applied += messages.length;
      // The clock starts at the first batch applied, once the consumer group has formed.
      if (!started) {
        started = { at: process.hrtime.bigint(), cpu: process.cpuUsage(), machine: machineCpuMs(), first: applied };
        profiling = startProfile();
      }
      if (applied >= numbers.length) finished();
    },
  });
  try {
    await relay.start();
    await consumer.start();
    await allApplied;
    const ms = Number(process.hrtime.bigint() - started!.at) / 1e6;
    const cpu = process.cpuUsage(started!.cpu);
    const machine = machineCpuMs();
    await (await profiling)?.stop(`end-to-end-${label}`);
    const timed = numbers.length - started!.first;
    const [{ affirmed }] = await dataSource.query(`select count(*)::int as affirmed from confirmations where match_status = 'AFFIRMED' and confirmation_id = any($1)`, [
      numbers.map((i) => confirmationIdOf(i)),
    ]);
    if (affirmed !== numbers.length) throw new Error(`expected ${numbers.length} confirmations from the topic AFFIRMED, found ${affirmed}`);
    const [{ letters }] = await dataSource.query('select count(*)::int as letters from dead_letters');
    const machineBefore = started!.machine;
    return {
      rate: (timed * 1000) / ms,
      nodeMs: (cpu.user + cpu.system) / 1000 / timed,
      ...(machine && machineBefore
        ? { busyMs: (machine.busy - machineBefore.busy) / timed, availableMs: machine.busy + machine.idle - machineBefore.busy - machineBefore.idle }
        : {}),
      deadLetters: letters,
    };
  } finally {
    await consumer.stop();
    await relay.stop();
    stopWaking();
    const admin = createKafka(connection, { quiet: true }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, resultsTopic, dlqTopic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

export async function benchMatching(): Promise<Record<string, string>> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('benchMatching needs DATABASE_URL (an admin connection to Postgres)');
  const confirmations = Number(process.env.BENCH_MATCHING_CONFIRMATIONS ?? 50_000);
  const batchSize = Number(process.env.BENCH_MATCHING_BATCH ?? 500);
  const concurrency = Number(process.env.CONSUMER_CONCURRENT_PARTITIONS ?? 4);
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: adminUrl };
  delete env.MATCHING_BENCH_DATABASE_URL;
  await bootstrapServiceDatabase(adminUrl, benchDatabase, env);
  const dataSource = createServiceDataSource(benchDatabase, { url: serviceDatabaseUrl(benchDatabase, env), poolSize: concurrency + 2 });
  await dataSource.initialize();
  // The runtime role may not truncate or analyze (least privilege): the admin connection prepares the book.
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`set search_path = ${benchDatabase.schema}`);

  const outbox = new Outbox('confirmation-matching', benchDatabase.schema);
  const matcher = new PairingKeyMatcher(new TradeRepository(), new ConfirmationRepository(), new MatchingProfileRepository(), new PairingLocks(), outbox);
  const endToEndConfirmations = Number(process.env.BENCH_MATCHING_END_TO_END ?? 30_000);
  const e2eRates: number[] = [];
  const handler = new ConfirmationReceivedHandler(new ReceiveConfirmationsHandler(new ConfirmationRepository(), matcher));
  const figures: Record<string, string> = {};
  const rates: number[] = [];
  let validationMs = 0;
  let validated = 0;
  try {
    for (const openItems of sizesFromEnv()) {
      await admin.query('truncate trades, confirmations, match_breaks, match_exclusions, outbox, inbox');
      const seedStarted = Date.now();
      // Open trades, already evaluated as UNMATCHED: as the trade consumer would have left them.
      await admin.query(
        `insert into trades (trade_id, source_trade_id, version, cancelled, counterparty_lei, isin, trade_date, currency, quantity, side,
           settlement_date, price, gross_amount, net_amount, accrued_interest, match_status, evaluated_trade_version, profile, profile_revision,
           received_at, updated_at)
         select gen_random_uuid(), 'S-' || i, 1, false, ($1::text[])[1 + i % cardinality($1::text[])], $2, $3::date + (i % $4), 'USD', 1000 + i, 'BUY',
           $3::date + (i % $4), 100.25, 1000.00, 1000.00, null, 'UNMATCHED', 1, 'DEFAULT', 1, now(), now()
         from generate_series(1, $5::int) as i`,
        [COUNTERPARTIES, ISIN, FIRST_TRADE_DATE, TRADE_DATES, openItems],
      );
      // As a book that has been open a while: vacuumed and analysed, so that autovacuum does not
      // visit the freshly loaded table during the timed run.
      await admin.query('vacuum (analyze) trades');
      await admin.query('vacuum (analyze) confirmations');
      const seedMs = Date.now() - seedStarted;

      const numbers = sample(openItems, confirmations);
      const events = numbers.map(confirmationEvent);
      // The consumer runner parses and validates each payload before the handler sees it: timed
      // apart, since it is the runner's cost and does not depend on the book.
      const validationStarted = process.hrtime.bigint();
      for (const e of events) e.envelope.data = validatePayload(ConfirmationReceived, JSON.parse(e.message.value));
      validationMs += Number(process.hrtime.bigint() - validationStarted) / 1e6;
      validated += events.length;
      const apply = (run: ConsumedEvent<ConfirmationReceived>[][]) =>
        applyAsConsumer(run, batchSize, concurrency, (batch) => dataSource.transaction((em) => handler.handleBatch(batch, em)));
      // A warm-up run first (not timed), so that no size pays for the JIT and cold caches alone.
      const warmUp = Math.min(2_000, Math.floor(events.length / 10));
      await apply(byPartition(events.slice(0, warmUp)));
      const timed = events.slice(warmUp);
      const timedPartitions = byPartition(timed);
      const profiler = await startProfile();
      const started = process.hrtime.bigint();
      const cpuBefore = process.cpuUsage();
      const machineBefore = machineCpuMs();
      await apply(timedPartitions);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const cpu = process.cpuUsage(cpuBefore);
      await profiler?.stop(openItems);
      const machine = machineCpuMs();
      const [{ affirmed }] = await dataSource.query(`select count(*)::int as affirmed from confirmations where match_status = 'AFFIRMED'`);
      if (affirmed !== events.length) throw new Error(`expected ${events.length} confirmations AFFIRMED, found ${affirmed}`);
      const rate = (timed.length * 1000) / ms;
      rates.push(rate);
      const label = `confirmations matched/s with ${openItems.toLocaleString('en-US')} open items`;
      const nodeMs = (cpu.user + cpu.system) / 1000;
      if (machine && machineBefore) {
        const busyMs = machine.busy - machineBefore.busy;
        const availableMs = machine.busy + machine.idle - machineBefore.busy - machineBefore.idle;
        figures[`CPU per confirmation with ${openItems.toLocaleString('en-US')} open items`] =
          `${Math.round((nodeMs * 1000) / timed.length)} µs in this Node process, ${Math.round(((busyMs - nodeMs) * 1000) / timed.length)} µs elsewhere (Postgres); machine ${Math.round((100 * busyMs) / availableMs)} % busy`;
      }
      figures[label] = `${Math.round(rate).toLocaleString('en-US')}/s (${timed.length.toLocaleString('en-US')} timed after ${warmUp.toLocaleString('en-US')} warm-up, batches of ${batchSize}, ${concurrency} partitions at once; book seeded in ${Math.round(seedMs / 1000)} s)`;

      if (endToEndConfirmations > 0) {
        // The handler phase ran without a relay: its results are not this phase's to publish.
        await admin.query('truncate outbox');
        const e2e = await endToEnd(dataSource, handler, outbox, serviceDatabaseUrl(benchDatabase, env), sample(openItems, endToEndConfirmations, new Set(numbers)), String(openItems));
        e2eRates.push(e2e.rate);
        const cpuNote = e2e.busyMs === undefined ? '' : `; CPU per confirmation ${Math.round(e2e.nodeMs * 1000)} µs in this process, ${Math.round((e2e.busyMs - e2e.nodeMs) * 1000)} µs elsewhere (Postgres, Kafka)`;
        figures[`end to end from the topic with ${openItems.toLocaleString('en-US')} open items`] =
          `${Math.round(e2e.rate).toLocaleString('en-US')}/s (consumer runner with inbox and offsets, relay publishing the results${cpuNote}; ${e2e.deadLetters} dead letters)`;
      }
    }
    figures['payload parse + validation (consumer runner, class-validator)'] = `${Math.round((validated * 1000) / validationMs).toLocaleString('en-US')}/s`;
    if (rates.length > 1) {
      const spread = (Math.max(...rates) - Math.min(...rates)) / Math.max(...rates);
      figures['matching rate spread across book sizes'] = `${(spread * 100).toFixed(1)} % (target: within 20 %)`;
    }
    if (e2eRates.length > 1) {
      const spread = (Math.max(...e2eRates) - Math.min(...e2eRates)) / Math.max(...e2eRates);
      figures['end-to-end rate spread across book sizes'] = `${(spread * 100).toFixed(1)} %`;
    }
    return figures;
  } finally {
    await admin.end();
    await dataSource.destroy();
  }
}

if (require.main === module) {
  benchMatching()
    .then((figures) => {
      for (const [label, value] of Object.entries(figures)) process.stdout.write(`  ${label.padEnd(58)} ${value}\n`);
    })
    .catch((err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
}
