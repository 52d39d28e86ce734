/**
 * The reliable-messaging spine, measured against its raw ceilings in the same run:
 * - Kafka alone: kafkajs produce (acks=all, idempotent, as the relay does) and consume;
 * - Postgres alone: the inbox row and one effect row per event, multi-row inserts in transactions;
 * - outbox writes alone, then the spine end to end (outbox → relay → Kafka → batch consumer with
 *   inbox + one effect row per event, one process) draining that backlog: the sustained maximum,
 *   then latency percentiles from commit to applied at
 *   fixed offered rates (open model: writes are issued on a clock, whether or not earlier ones are
 *   done), recorded in an HdrHistogram.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import * as hdr from 'hdr-histogram-js';
import {
  ConsumerRunner,
  createKafka,
  ensureTopics,
  KafkajsEventPublisher,
  messagingMigrations,
  Outbox,
  OutboxRelay,
  transactionWroteOutbox,
  type ConsumedEvent,
  type EventHandler,
  type KafkaConnection,
} from '@postrade/messaging';
import { bootstrapServiceDatabase, createServiceDataSource, grantRuntime, onCommit, serviceDatabaseUrl, TransactionRunner, type ServiceDatabase } from '@postrade/persistence';

const TOPIC = 'bench.events.v1';
const RAW_TOPIC = 'bench.raw.v1';
const TYPE = 'postrade.bench.tick.v1';
const PARTITIONS = 6;

class BenchEffects1700000000002 implements MigrationInterface {
  name = 'BenchEffects1700000000002';
  async up(q: QueryRunner): Promise<void> {
    await q.query('create table bench_effects (event_id uuid primary key, n bigint not null, applied_at timestamptz not null default clock_timestamp())');
    await q.query('create table bench_raw (event_id uuid primary key, n bigint not null)');
    await grantRuntime(q, 'bench_effects', 'read-write');
    await grantRuntime(q, 'bench_raw', 'read-write');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table bench_effects');
    await q.query('drop table bench_raw');
  }
}

const benchDatabase: ServiceDatabase = {
  service: 'bench',
  schema: 'bench',
  role: 'bench_svc',
  entities: [],
  migrations: [...messagingMigrations, BenchEffects1700000000002],
};

/** One effect row per event, one multi-row insert per batch: what a batch-aware handler does. */
class TickHandler implements EventHandler<{ n: number }> {
  readonly eventTypes = [TYPE];
  async handle(event: ConsumedEvent<{ n: number }>, em: EntityManager): Promise<void> {
    await this.handleBatch([event], em);
  }
  async handleBatch(events: ConsumedEvent<{ n: number }>[], em: EntityManager): Promise<void> {
    await em.query('insert into bench_effects (event_id, n) select * from unnest($1::uuid[], $2::bigint[])', [
      events.map((e) => e.envelope.id),
      events.map((e) => e.envelope.data.n),
    ]);
  }
}

export type Report = [string, string][];

const rate = (count: number, ms: number) => Math.round((count * 1000) / ms);
const fmt = (n: number) => n.toLocaleString('en-US');

/** kafkajs alone: produce (acks=all, idempotent, 1,000 a send, as the relay does) and consume `events`, events/s. */
async function kafkaCeiling(connection: KafkaConnection, events: number): Promise<number> {
  const kafka = createKafka(connection);
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: RAW_TOPIC, fromBeginning: false });
  let consumed = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      consumed += batch.messages.length;
      if (consumed >= events) done();
    },
  });
  await joined;
  const publisher = new KafkajsEventPublisher(connection);
  await publisher.connect();
  const value = JSON.stringify({ n: 0, padding: 'x'.repeat(120) });
  const started = Date.now();
  for (let sent = 0; sent < events; sent += 1000) {
    await publisher.send(
      Array.from({ length: Math.min(1000, events - sent) }, (_, i) => ({
        topic: RAW_TOPIC,
        key: `agg-${(sent + i) % 256}`,
        value,
        headers: { ce_id: randomUUID(), ce_type: TYPE, ce_source: 'bench', ce_specversion: '1.0', ce_time: new Date().toISOString(), 'content-type': 'application/json' },
      })),
    );
  }
  await all;
  const ms = Date.now() - started;
  await publisher.disconnect();
  await consumer.disconnect();
  return rate(events, ms);
}

/** Postgres alone: an inbox row and an effect row per event, 500 events a transaction, events/s. */
async function postgresCeiling(transactions: TransactionRunner, events: number): Promise<number> {
  const started = Date.now();
  for (let done = 0; done < events; done += 500) {
    const ids = Array.from({ length: Math.min(500, events - done) }, () => randomUUID());
    await transactions.run(async (em) => {
      await em.query(
        `insert into inbox (consumer, event_id, event_type, topic, partition, "offset")
         select 'bench-raw', id, $2, $3, 0, 0 from unnest($1::uuid[]) as id`,
        [ids, TYPE, TOPIC],
      );
      await em.query('insert into bench_raw (event_id, n) select id, 0 from unnest($1::uuid[]) as id', [ids]);
    });
  }
  return rate(events, Date.now() - started);
}

/** The runtime role may not truncate (least privilege): the bench's admin connection does. */
async function truncateAsAdmin(adminUrl: string, tables: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`truncate ${tables}`);
  } finally {
    await admin.end();
  }
}

/**
 * The two raw ceilings alone, on this benchmark's own topic and schema: for another benchmark
 * (the whole platform) to report beside its figures, measured in its own run.
 */
export async function rawCeilings(connection: KafkaConnection, adminUrl: string, events: number): Promise<{ kafka: number; postgres: number }> {
  // On a broker that has just started, kafkajs may fail waiting for the new topic's leaders
  // ("This server does not host this topic-partition"): the topic is there the second time.
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureTopics(connection, [{ name: RAW_TOPIC, partitions: PARTITIONS }]);
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  const env = { ...process.env, DATABASE_URL: adminUrl };
  await bootstrapServiceDatabase(adminUrl, benchDatabase, env);
  await truncateAsAdmin(adminUrl, 'bench.bench_raw, bench.inbox');
  const dataSource = createServiceDataSource(benchDatabase, { url: serviceDatabaseUrl(benchDatabase, env), poolSize: 2 });
  await dataSource.initialize();
  try {
    const kafka = await kafkaCeiling(connection, events);
    const postgres = await postgresCeiling(new TransactionRunner(dataSource), events);
    return { kafka, postgres };
  } finally {
    await dataSource.destroy();
  }
}

export async function benchMessaging(connection: KafkaConnection, adminUrl: string, log: (line: string) => void): Promise<Report> {
  const events = Number(process.env.BENCH_EVENTS ?? 50_000);
  const rateSeconds = Number(process.env.BENCH_RATE_SECONDS ?? 10);
  await ensureTopics(connection, [
    { name: TOPIC, partitions: PARTITIONS },
    { name: RAW_TOPIC, partitions: PARTITIONS },
    { name: 'bench.dlq.v1', partitions: 1 },
  ]);
  const env = { ...process.env, DATABASE_URL: adminUrl };
  await bootstrapServiceDatabase(adminUrl, benchDatabase, env);
  const url = serviceDatabaseUrl(benchDatabase, env);
  const dataSource = createServiceDataSource(benchDatabase, { url, poolSize: 10 });
  await dataSource.initialize();
  const truncate = (tables: string) => truncateAsAdmin(adminUrl, tables);
  await truncate('bench.bench_effects, bench.bench_raw, bench.outbox, bench.inbox');
  const transactions = new TransactionRunner(dataSource);
  const report: Report = [];

  log('  raw ceilings…');
  const kafkaMax = await kafkaCeiling(connection, events);
  const postgresMax = await postgresCeiling(transactions, events);
  report.push(['Kafka alone: kafkajs produce (acks=all, idempotent) and consume, 1,000 per send', `${fmt(kafkaMax)} events/s`]);
  report.push(['Postgres alone: inbox row + effect row per event, 500 events per transaction', `${fmt(postgresMax)} events/s`]);

  const outbox = new Outbox('bench', 'bench');
  const relay = new OutboxRelay(new KafkajsEventPublisher(connection), { databaseUrl: url, schema: 'bench' });
  onCommit(dataSource, (em) => transactionWroteOutbox(em) && relay.wake());
  const consumer = new ConsumerRunner(connection, dataSource, {
    consumer: `bench-${randomUUID()}`,
    dlqTopic: 'bench.dlq.v1',
    topics: [TOPIC],
    handlers: [new TickHandler()],
    outbox,
    fromBeginning: false,
  });
  await consumer.start();
  await new Promise((r) => setTimeout(r, 3000)); // the first rebalance, so figures measure flow

  let n = 0;
  const commitTimes = new Map<number, number>();
  const write = async (count: number) => {
    const first = n;
    n += count;
    await transactions.run((em) =>
      outbox.add(
        em,
        Array.from({ length: count }, (_, i) => ({ topic: TOPIC, key: `agg-${(first + i) % 1024}`, type: TYPE, data: { n: first + i } })),
      ),
    );
    const at = Date.now();
    for (let i = 0; i < count; i++) commitTimes.set(first + i, at);
  };
  const applied = async () => (await dataSource.query('select count(*)::int as n from bench_effects'))[0].n as number;

  // Outbox writes alone (the producing use cases' share), then the spine's sustained maximum: the
  // relay and the consumer draining that backlog, from the relay's start to the last event applied.
  log('  sustained maximum…');
  const writeStarted = Date.now();
  await Promise.all(
    Array.from({ length: 4 }, async (_, w) => {
      for (let i = w; i * 100 < events; i += 4) await write(Math.min(100, events - i * 100));
    }),
  );
  const writeRate = rate(events, Date.now() - writeStarted);
  const drainStarted = Date.now();
  await relay.start();
  let publishedMs = 0;
  while ((await applied()) < events) {
    if (!publishedMs && Number((await dataSource.query('select count(*) as n from outbox where sent_at is null'))[0].n) === 0) publishedMs = Date.now() - drainStarted;
    await new Promise((r) => setTimeout(r, 20));
  }
  const spineMax = rate(events, Date.now() - drainStarted);
  log(`    all published after ${publishedMs} ms, all applied after ${Date.now() - drainStarted} ms`);
  report.push(['Outbox writes alone: 4 writers, transactions of 100 events (multi-row insert)', `${fmt(writeRate)} events/s`]);
  report.push([`Spine end to end: outbox → relay → Kafka → consumer (inbox + effect), sustained maximum (${fmt(events)} queued)`, `${fmt(spineMax)} events/s`]);
  report.push(['… of which the relay alone had published them all (outbox → Kafka, acks=all)', `${fmt(rate(events, publishedMs))} events/s`]);

  // Open model at fixed offered rates: every 10 ms a transaction of rate/100 events, on the clock.
  for (const share of [0.25, 0.5]) {
    const offered = Math.max(100, Math.round((spineMax * share) / 100) * 100);
    log(`  latency at ${fmt(offered)} events/s…`);
    await truncate('bench.bench_effects');
    commitTimes.clear();
    const firstN = n;
    const ticks = rateSeconds * 100;
    const inFlight: Promise<void>[] = [];
    const t0 = Date.now();
    for (let tick = 0; tick < ticks; tick++) {
      const due = t0 + tick * 10;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inFlight.push(write(offered / 100));
    }
    await Promise.all(inFlight);
    const expected = n - firstN;
    while ((await applied()) < expected) await new Promise((r) => setTimeout(r, 50));
    const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000, numberOfSignificantValueDigits: 3 });
    const rows: { n: string; at: Date }[] = await dataSource.query('select n, applied_at as at from bench_effects');
    for (const row of rows) histogram.recordValue(Math.max(1, row.at.getTime() - commitTimes.get(Number(row.n))!));
    report.push([
      `Latency commit → applied at ${fmt(offered)} events/s offered (${Math.round(share * 100)} % of max, open model)`,
      `p50 ${histogram.getValueAtPercentile(50)} ms, p99 ${histogram.getValueAtPercentile(99)} ms, max ${histogram.maxValue} ms`,
    ]);
  }
  const mem = process.memoryUsage();
  report.push(['Bench process (relay + consumer + writers) RSS / heap', `${Math.round(mem.rss / 2 ** 20)} MiB / ${Math.round(mem.heapUsed / 2 ** 20)} MiB`]);
  await consumer.stop();
  await relay.stop();
  await dataSource.destroy();
  return report;
}
