/**
 * The messaging spine through the outages an operator meets: Postgres stopped for 30 s, the Kafka
 * broker restarted, SIGTERM while the broker is down. This suite runs its own Postgres and broker
 * (so it can stop them) and the miniature msgtest service in process, with its real readiness.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { DataSource } from 'typeorm';
import { bootstrapServiceDatabase } from '@postrade/persistence';
import { ReadinessRegistry } from '@postrade/platform';
import {
  eventually,
  spawnTs,
  startLocalKafka,
  startLocalPostgres,
  type LocalKafka,
  type LocalKafkaOptions,
  type LocalPostgres,
  type LocalPostgresOptions,
} from '@postrade/testing';
import { ensureTopics, kafkaConnectionFromEnv, KafkajsEventPublisher, readTopic } from '../src';
import { MsgtestModule } from './fixtures/msgtest.module';
import { createWidget, msgtestDatabase, msgtestDataSource, WIDGET_DLQ, WIDGET_TOPIC } from './fixtures/widgets';

const SERVICE = 'libs/messaging/test/fixtures/msgtest-service.ts';

/** A free port whose successor is free too (the broker's controller listens on port + 1). */
async function freePortPair(): Promise<number> {
  const listen = (port: number) =>
    new Promise<Server | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  for (;;) {
    const first = (await listen(0))!;
    const port = (first.address() as AddressInfo).port;
    const second = await listen(port + 1);
    await new Promise((r) => first.close(r));
    if (second) {
      await new Promise((r) => second.close(r));
      return port;
    }
  }
}

describe('messaging through database and broker outages', () => {
  // Fresh ports and folders each run: a server left over from an interrupted run is never reused.
  const postgresOptions: LocalPostgresOptions = { embedded: true, dataDir: mkdtempSync(join(tmpdir(), 'postrade-outage-pg-')) };
  const kafkaOptions: LocalKafkaOptions = { dataDir: mkdtempSync(join(tmpdir(), 'postrade-outage-kafka-')) };
  const savedEnv = { ...process.env };
  let postgres: LocalPostgres;
  let kafka: LocalKafka;
  let writerDb: DataSource;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    postgresOptions.port = await freePortPair();
    kafkaOptions.port = await freePortPair();
    [postgres, kafka] = await Promise.all([startLocalPostgres(postgresOptions), startLocalKafka(kafkaOptions)]);
    process.env.DATABASE_URL = postgres.adminUrl;
    process.env.KAFKA_BROKERS = kafka.connection.brokers.join(',');
    process.env.KAFKA_SESSION_TIMEOUT_MS = '6000';
    await ensureTopics(kafkaConnectionFromEnv('outage-test'), [
      { name: WIDGET_TOPIC, partitions: 3 },
      { name: WIDGET_DLQ, partitions: 1 },
    ]);
    await bootstrapServiceDatabase(postgres.adminUrl, msgtestDatabase);
    writerDb = msgtestDataSource();
    await writerDb.initialize();
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await writerDb?.destroy().catch(() => undefined);
    await Promise.all([kafka?.stop(), postgres?.stop()]);
    process.env = savedEnv;
  }, 120_000);

  async function startService(): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({ imports: [MsgtestModule] }).compile();
    const nest = moduleRef.createNestApplication({ logger: false });
    await nest.init();
    return nest;
  }

  async function readiness(): Promise<'ok' | 'unavailable'> {
    return (await app!.get(ReadinessRegistry).report()).status;
  }

  /** An upstream writer: one widget per transaction; a failed write is retried until it lands. */
  function startWriter(prefix: string) {
    const written: string[] = [];
    let stopped = false;
    const done = (async () => {
      for (let i = 0; !stopped; i++) {
        const id = `${prefix}-${i}`;
        for (;;) {
          try {
            await writerDb.transaction((em) => createWidget(em, id, 'through an outage'));
            break;
          } catch (err) {
            // The commit may have landed before the connection broke: then the widget is there.
            if ((err as { code?: string }).code === '23505') break;
            await new Promise((r) => setTimeout(r, 200));
          }
        }
        written.push(id);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    return {
      written,
      stop: async () => {
        stopped = true;
        await done;
      },
    };
  }

  async function effectCounts(ids: string[]): Promise<Map<string, number>> {
    const rows: { widget_id: string; n: number }[] = await writerDb.query(
      'select widget_id, count(*)::int as n from widget_effects where widget_id = any($1) group by widget_id',
      [ids],
    );
    return new Map(rows.map((r) => [r.widget_id, r.n]));
  }

  async function expectEachAppliedOnce(ids: string[]): Promise<void> {
    await eventually(() => effectCounts(ids), (counts) => ids.every((id) => counts.has(id)), 120_000, `all ${ids.length} widgets applied`);
    const counts = await effectCounts(ids);
    expect(ids.filter((id) => counts.get(id) !== 1)).toEqual([]);
    expect(await writerDb.query('select count(*)::int as n from dead_letters')).toEqual([{ n: 0 }]);
    // The DLQ topic holds nothing but our end-of-topic marker.
    const publisher = new KafkajsEventPublisher(kafkaConnectionFromEnv('outage-marker'));
    const marker = `marker-${Date.now()}`;
    await publisher.send([{ topic: WIDGET_DLQ, key: marker, value: '{}', headers: {} }]);
    await publisher.disconnect();
    const dlq = await readTopic(kafkaConnectionFromEnv('outage-dlq-reader'), WIDGET_DLQ, (ms) => ms.some((m) => m.key === marker));
    expect(dlq.filter((m) => !m.key?.startsWith('marker-'))).toEqual([]);
  }

  it('waits out Postgres stopped for 30 s: not ready meanwhile, then resumes with nothing lost or doubled', async () => {
    app = await startService();
    await eventually(readiness, (s) => s === 'ok', 60_000, 'ready before the outage');
    const writer = startWriter('pg-outage');
    await eventually(async () => (await effectCounts(writer.written)).size, (n) => n >= 20, 60_000, 'events flowing');

    await postgres.stop();
    await eventually(readiness, (s) => s === 'unavailable', 30_000, 'not ready while Postgres is down');
    await new Promise((r) => setTimeout(r, 30_000)); // the outage itself
    expect(await readiness()).toBe('unavailable');
    postgres = await startLocalPostgres(postgresOptions);

    await eventually(readiness, (s) => s === 'ok', 90_000, 'ready again once Postgres is back');
    await eventually(async () => writer.written.length, (n) => n > 0, 1000, 'writer alive');
    const before = writer.written.length;
    await eventually(async () => writer.written.length, (n) => n >= before + 10, 60_000, 'writes land again');
    await writer.stop();
    await expectEachAppliedOnce(writer.written);
  }, 300_000);

  it('rides out a Kafka broker restart: not ready meanwhile, then resumes with nothing lost or doubled', async () => {
    app ??= await startService();
    await eventually(readiness, (s) => s === 'ok', 60_000, 'ready before the restart');
    const writer = startWriter('kafka-restart');
    await eventually(async () => (await effectCounts(writer.written)).size, (n) => n >= 20, 60_000, 'events flowing');

    await kafka.stop();
    await eventually(readiness, (s) => s === 'unavailable', 30_000, 'not ready while the broker is down');
    const writtenWhileDown = writer.written.length;
    await eventually(async () => writer.written.length, (n) => n >= writtenWhileDown + 20, 30_000, 'commits go on while the broker is down');
    kafka = await startLocalKafka(kafkaOptions);

    await eventually(readiness, (s) => s === 'ok', 120_000, 'ready again once the broker is back');
    await writer.stop();
    await expectEachAppliedOnce(writer.written);
  }, 300_000);

  it('ends within the shutdown budget on SIGTERM with the broker down, and what it committed is published later', async () => {
    await app?.close();
    app = undefined;
    const service = spawnTs(SERVICE, {
      PORT: '13998',
      LOG_LEVEL: 'info',
      DATABASE_URL: postgres.adminUrl,
      KAFKA_BROKERS: kafka.connection.brokers.join(','),
      SHUTDOWN_TIMEOUT_MS: '10000',
    });
    try {
      await service.waitForLine(/serving at/, 90_000);
      await eventually(async () => (await fetch('http://127.0.0.1:13998/health/ready')).status, (s) => s === 200, 60_000, 'service ready');
      await kafka.stop();
      const widget = `sigterm-${Date.now()}`;
      await writerDb.transaction((em) => createWidget(em, widget, 'committed while the broker is down'));

      const started = Date.now();
      await service.kill('SIGTERM');
      const tookMs = Date.now() - started;
      expect(tookMs).toBeLessThan(10_000 + 3_000); // the budget, plus process exit

      const [row] = await writerDb.query('select sent_at from outbox where message_key = $1', [widget]);
      expect(row).toEqual({ sent_at: null }); // still in the outbox, not lost
      kafka = await startLocalKafka(kafkaOptions);
      app = await startService();
      await expectEachAppliedOnce([widget]);
    } finally {
      await service.kill('SIGKILL');
    }
  }, 300_000);
});
