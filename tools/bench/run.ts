/**
 * `npm run bench`: throughput and latency of the reliable-messaging path on the real broker and
 * database, plus the hot kernel computations. Figures go into the README by hand; nothing here
 * asserts a timing.
 *
 *   BENCH_EVENTS (default 5000) events are written through the outbox in transactions of 100,
 *   published by the relay and applied by a consumer (inbox + one effect row each).
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { Decimal, intendedSettlementDate, roundToMinorUnit, validateIsin, validateLei } from '@postrade/kernel';
import {
  ConsumerRunner,
  ensureTopics,
  kafkaConnectionFromEnv,
  KafkajsEventPublisher,
  MessagingTables1700000000000,
  Outbox,
  OutboxRelay,
  type ConsumedEvent,
  type EventHandler,
} from '@postrade/messaging';
import { bootstrapServiceDatabase, createServiceDataSource, serviceDatabaseUrl, type ServiceDatabase } from '@postrade/persistence';
import { startPlatformRuntime } from '../runtime/platform-runtime';

const TOPIC = 'bench.events.v1';
const TYPE = 'postrade.bench.tick.v1';

class BenchEffects1700000000001 implements MigrationInterface {
  name = 'BenchEffects1700000000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query('create table bench_effects (event_id uuid primary key, committed_at timestamptz not null, applied_at timestamptz not null default clock_timestamp())');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table bench_effects');
  }
}

const benchDatabase: ServiceDatabase = {
  service: 'bench',
  schema: 'bench',
  role: 'bench_svc',
  entities: [],
  migrations: [MessagingTables1700000000000, BenchEffects1700000000001],
};

class TickHandler implements EventHandler<{ n: number }> {
  readonly eventTypes = [TYPE];
  async handle(event: ConsumedEvent<{ n: number }>, em: EntityManager): Promise<void> {
    await em.query('insert into bench_effects (event_id, committed_at) values ($1, $2)', [event.envelope.id, event.envelope.time]);
  }
}

function perSecond(count: number, ms: number): string {
  return `${Math.round((count * 1000) / ms).toLocaleString('en-US')}/s`;
}

function timeLoop(label: string, iterations: number, body: (i: number) => void): void {
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) body(i);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`  ${label.padEnd(44)} ${perSecond(iterations, ms)}\n`);
}

function kernelBenchmarks(): void {
  process.stdout.write('kernel (single core)\n');
  const price = new Decimal('189.2537');
  timeLoop('gross amount (qty x price, half-up to cents)', 200_000, (i) => roundToMinorUnit(price.times(1000 + i), 'USD'));
  timeLoop('intended settlement date (US, T+1)', 100_000, (i) => intendedSettlementDate('US', `2026-${String((i % 12) + 1).padStart(2, '0')}-15`));
  timeLoop('ISIN check digit', 200_000, () => validateIsin('US0378331005'));
  timeLoop('LEI check digits', 200_000, () => validateLei('5493001KJTIIGC8Y1R12'));
}

async function messagingBenchmark(): Promise<void> {
  const events = Number(process.env.BENCH_EVENTS ?? 5000);
  const runtime = await startPlatformRuntime();
  try {
    const connection = kafkaConnectionFromEnv('bench');
    connection.brokers = runtime.kafkaBrokers.split(',');
    await ensureTopics(connection, [{ name: TOPIC, partitions: 6 }, { name: 'bench.dlq.v1', partitions: 1 }]);
    const env = { ...process.env, DATABASE_URL: runtime.databaseUrl };
    await bootstrapServiceDatabase(runtime.databaseUrl, benchDatabase, env);
    const dataSource = createServiceDataSource(benchDatabase, { url: serviceDatabaseUrl(benchDatabase, env) });
    await dataSource.initialize();
    await dataSource.query('truncate bench_effects, outbox, inbox');
    const outbox = new Outbox('bench', 'bench');
    const relay = new OutboxRelay(new KafkajsEventPublisher(connection), { databaseUrl: serviceDatabaseUrl(benchDatabase, env), schema: 'bench' });
    const consumer = new ConsumerRunner(connection, dataSource, new KafkajsEventPublisher(connection), {
      consumer: `bench-${randomUUID()}`,
      dlqTopic: 'bench.dlq.v1',
      topics: [TOPIC],
      handlers: [new TickHandler()],
      fromBeginning: false,
    });
    await consumer.start();
    await relay.start();
    // Let the group settle so the figures measure flow, not the first rebalance.
    await new Promise((r) => setTimeout(r, 3000));

    const started = Date.now();
    for (let written = 0; written < events; written += 100) {
      await dataSource.transaction(async (em) => {
        await outbox.add(
          em,
          Array.from({ length: Math.min(100, events - written) }, (_, i) => ({ topic: TOPIC, key: `agg-${(written + i) % 64}`, type: TYPE, data: { n: written + i } })),
        );
      });
      if (written % 1000 === 0) process.stdout.write(`  written ${written}/${events}\r`);
    }
    const writtenMs = Date.now() - started;
    for (;;) {
      const [{ n }] = await dataSource.query('select count(*)::int as n from bench_effects');
      process.stdout.write(`  applied ${n}/${events}   \r`);
      if (n >= events) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const totalMs = Date.now() - started;
    const [lat] = await dataSource.query(
      `select percentile_cont(0.5) within group (order by extract(epoch from applied_at - committed_at) * 1000) as p50,
              percentile_cont(0.99) within group (order by extract(epoch from applied_at - committed_at) * 1000) as p99
         from bench_effects`,
    );
    const mem = process.memoryUsage();
    process.stdout.write(
      [
        `messaging (${events} events, outbox -> Kafka -> consumer with inbox, one process)`,
        `  outbox writes (transactions of 100)          ${perSecond(events, writtenMs)}`,
        `  end to end (commit to applied)               ${perSecond(events, totalMs)}`,
        `  latency from event time to applied           p50 ${Math.round(lat.p50)} ms, p99 ${Math.round(lat.p99)} ms`,
        `  process RSS / heap used                      ${Math.round(mem.rss / 2 ** 20)} MiB / ${Math.round(mem.heapUsed / 2 ** 20)} MiB`,
        '',
      ].join('\n'),
    );
    await consumer.stop();
    await relay.stop();
    await dataSource.destroy();
  } finally {
    await runtime.stop();
  }
}

async function main(): Promise<void> {
  kernelBenchmarks();
  await messagingBenchmark();
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
