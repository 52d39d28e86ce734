/**
 * Failure handling against the real broker and database (issue 19): an outbox row the broker
 * refuses for good is parked and the rest flows; a dead letter replayed twice, or replayed after a
 * replay died mid-way, applies its event once; an event type nobody handles is dead-lettered with
 * the reason; a partition stuck on a fault keeps its lag current and is reported as waiting; the
 * broker probe of readiness keeps one connection; a request while the database refuses the
 * service answers 503 with Retry-After; the messaging gauges read the database at scrape.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource as TypeOrmDataSource, type DataSource, type EntityManager } from 'typeorm';
import { toHeaders } from '@postrade/contracts';
import { bootstrapServiceDatabase, serviceDatabaseUrl } from '@postrade/persistence';
import { configureLogging, createLogger, metricsRegistry, ReadinessRegistry } from '@postrade/platform';
import { eventually } from '@postrade/testing';
import {
  BrokerAdminSession,
  ConsumerRunner,
  DeadLetterStore,
  deadLetterInTransaction,
  ensureTopics,
  kafkaConnectionFromEnv,
  KafkajsEventPublisher,
  MessageProcessor,
  OutboxRelay,
  readTopic,
  replayDeadLetter,
  type ConsumedEvent,
  type KafkaConnection,
  type RawMessage,
} from '../src';
import { MsgtestModule } from './fixtures/msgtest.module';
import { msgtestDatabase, msgtestDataSource, widgetOutbox, WidgetCreatedHandler, WIDGET_CREATED, WIDGET_DLQ, WIDGET_TOPIC, type WidgetCreated } from './fixtures/widgets';

/** The local broker runs with Kafka's default message.max.bytes (1 MiB + 12 bytes; libs/local-runtime/src/kafka). */
const BROKER_MAX_MESSAGE_BYTES = 1_048_588;

async function metricValue(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = (await metricsRegistry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric as { values?: { value: number; labels: Record<string, string | number> }[] } | undefined)?.values ?? [];
  return values.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))?.value;
}

describe('failure handling against the real broker and database', () => {
  const run = randomUUID().slice(0, 8);
  const topic = `msgtest.failures.${run}.v1`;
  let connection: KafkaConnection;
  let dataSource: DataSource;
  const stoppables: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    connection = kafkaConnectionFromEnv('msgtest');
    await ensureTopics(connection, [
      { name: topic, partitions: 1 },
      { name: WIDGET_TOPIC, partitions: 3 }, // the msgtest service's consumer reads it
      { name: WIDGET_DLQ, partitions: 1 },
    ]);
    await bootstrapServiceDatabase(process.env.DATABASE_URL!, msgtestDatabase);
    dataSource = msgtestDataSource();
    await dataSource.initialize();
  });

  afterEach(async () => {
    while (stoppables.length) await stoppables.pop()!.stop();
  });

  afterAll(async () => {
    // Parked rows of this run would keep the msgtest schema's readiness down for later suites.
    await dataSource.query('delete from outbox where parked_at is not null');
    await dataSource.destroy();
  });

  function widgetMessage(id: string, data: unknown, type = WIDGET_CREATED): RawMessage {
    const eventId = randomUUID();
    return {
      topic,
      partition: 0,
      offset: '0',
      key: id,
      headers: toHeaders({ id: eventId, source: 'msgtest', type, time: new Date().toISOString(), subject: id, correlationId: `corr-${id}` }),
      value: JSON.stringify(data),
    };
  }

  /** The letter of a consumer for a key (the schema is shared with other suites: many letters, so not by listing). */
  async function letterOf(consumer: string, key: string) {
    const rows: { id: string }[] = await dataSource.query('select id from dead_letters where consumer = $1 and message_key = $2', [consumer, key]);
    return rows[0] ? new DeadLetterStore(dataSource).get(rows[0].id) : undefined;
  }

  async function effects(widgetId: string): Promise<number> {
    const [{ n }] = await dataSource.query('select count(*)::int as n from widget_effects where widget_id = $1', [widgetId]);
    return n;
  }

  describe('an outbox row larger than the broker accepts', () => {
    it('is parked with its reason, counted, and the rows behind it are published', async () => {
      const key = `big-${run}`;
      const huge = 'x'.repeat(BROKER_MAX_MESSAGE_BYTES + 200_000);
      await dataSource.transaction(async (em) => {
        await widgetOutbox.add(em, [
          { topic, key, type: WIDGET_CREATED, data: { id: key, name: 'before' } },
          { topic, key, type: WIDGET_CREATED, data: { id: key, name: huge } },
          { topic, key, type: WIDGET_CREATED, data: { id: key, name: 'after' } },
        ]);
      });
      const parkedBefore = (await metricValue('postrade_outbox_parked_total', { schema: 'msgtest', topic })) ?? 0;
      // maxBytes above the broker's limit, so the relay tries the rows as one send, as a relay
      // configured for a bigger broker would: the refusal must still isolate the one row at fault.
      const relay = new OutboxRelay(new KafkajsEventPublisher(connection), { databaseUrl: serviceDatabaseUrl(msgtestDatabase), schema: 'msgtest', maxBytes: 8 * 1024 * 1024 });
      stoppables.push(relay);
      await relay.start();
      await relay.flush();

      const published = await readTopic(connection, topic, (seen) => seen.filter((m) => m.key === key).length >= 2);
      expect(published.filter((m) => m.key === key).map((m) => JSON.parse(m.value).name)).toEqual(['before', 'after']);
      const rows: { name: string; sent: boolean; parked: boolean; reason: string | null }[] = await dataSource.query(
        `select case when length(payload) > 1000 then 'huge' else payload::jsonb ->> 'name' end as name, sent_at is not null as sent,
                parked_at is not null as parked, parked_reason as reason
           from outbox where topic = $1 and message_key = $2 order by position`,
        [topic, key],
      );
      expect(rows.map(({ name, sent, parked }) => ({ name, sent, parked }))).toEqual([
        { name: 'before', sent: true, parked: false },
        { name: 'huge', sent: false, parked: true },
        { name: 'after', sent: true, parked: false },
      ]);
      expect(rows[1].reason).toMatch(/too large/);
      expect(relay.health()).toMatchObject({ ok: true, parked: [expect.objectContaining({ topic, key, reason: expect.stringMatching(/too large/) })] });
      expect(await metricValue('postrade_outbox_parked_total', { schema: 'msgtest', topic })).toBe(parkedBefore + 1);
      expect(await metricValue('postrade_outbox_relay_leader', { schema: 'msgtest' })).toBe(1);
    });
  });

  describe('applying a batch', () => {
    /** The processor over a DataSource whose transactions record every statement they send. */
    function recordingProcessor(consumer: string) {
      const statements: string[] = [];
      const recording = {
        transaction: (work: (em: EntityManager) => Promise<unknown>) =>
          dataSource.transaction((em) => {
            const query = em.query.bind(em);
            em.query = ((sql: string, parameters?: unknown[]) => {
              statements.push(sql.trim().split(/\s+/).slice(0, 2).join(' ').toLowerCase());
              return query(sql, parameters);
            }) as EntityManager['query'];
            return work(em);
          }),
      } as unknown as DataSource;
      return { statements, processor: new MessageProcessor(consumer, recording, [new WidgetCreatedHandler()], widgetOutbox) };
    }
    const batchOf = (names: string[]) => names.map((name, k) => ({ ...widgetMessage(`${name}-${run}-${k}`, { id: `${name}-${run}-${k}`, name }), offset: String(k) }));

    it('takes no savepoint when every event applies, and isolates a poison event in a second attempt that applies its neighbours once', async () => {
      const clean = recordingProcessor(`batch-clean-${run}`);
      const fine = batchOf(['a', 'b', 'c']);
      expect((await clean.processor.processBatch(fine, { dlqTopic: WIDGET_DLQ })).outcomes).toEqual(['applied', 'applied', 'applied']);
      expect(clean.statements.filter((sql) => sql.startsWith('savepoint'))).toEqual([]);

      const poisoned = recordingProcessor(`batch-poison-${run}`);
      const mixed = batchOf(['d', 'poison', 'e']);
      expect((await poisoned.processor.processBatch(mixed, { dlqTopic: WIDGET_DLQ })).outcomes).toEqual(['applied', 'dead-lettered', 'applied']);
      expect(poisoned.statements.filter((sql) => sql.startsWith('savepoint')).length).toBeGreaterThan(0);
      for (const message of [...fine, ...mixed]) {
        const id = JSON.parse(message.value).id as string;
        expect({ id, effects: await effects(id) }).toEqual({ id, effects: id.startsWith('poison') ? 0 : 1 });
      }
    });
  });

  describe('replaying a dead letter', () => {
    /** A dead letter of a valid widget event (the cause since fixed), and the processor that replays it. */
    async function letterFor(widgetId: string, handler = new WidgetCreatedHandler()) {
      const message = { ...widgetMessage(widgetId, { id: widgetId, name: 'replayed' }), offset: String(Date.now()) };
      await dataSource.transaction((em) =>
        deadLetterInTransaction(em, widgetOutbox, { consumer: `replay-${run}`, dlqTopic: WIDGET_DLQ, message, error: 'widget registry unavailable', attempts: 5 }),
      );
      const store = new DeadLetterStore(dataSource);
      const letter = (await letterOf(`replay-${run}`, widgetId))!;
      const processor = new MessageProcessor(`replay-${run}`, dataSource, [handler], widgetOutbox);
      return { store, letter, processor };
    }

    it('twice at once applies the event once, and both calls answer the letter REPLAYED', async () => {
      const widgetId = `twice-${run}`;
      const { store, letter, processor } = await letterFor(widgetId);
      const [a, b] = await Promise.all([replayDeadLetter(store, [processor], letter.id), replayDeadLetter(store, [processor], letter.id)]);
      expect([a.status, b.status]).toEqual(['REPLAYED', 'REPLAYED']);
      await replayDeadLetter(store, [processor], letter.id); // and a third time, later
      expect(await effects(widgetId)).toBe(1);
    });

    it('leaves no window between the effect and the REPLAYED mark: a process dying after the handler commits cannot cause a second effect', async () => {
      const widgetId = `window-${run}`;
      const { letter, processor } = await letterFor(widgetId);
      // A store whose separate "mark replayed" never happens (the process died right after the handler's commit).
      const dying = new (class extends DeadLetterStore {
        override async markReplayed(): Promise<void> {
          throw new Error('process killed');
        }
      })(dataSource);
      await replayDeadLetter(dying, [processor], letter.id).catch(() => undefined);
      await replayDeadLetter(new DeadLetterStore(dataSource), [processor], letter.id);
      expect(await effects(widgetId)).toBe(1);
      expect((await dying.get(letter.id))!.status).toBe('REPLAYED');
    });

    it('after a replay whose session died mid-way applies the event once', async () => {
      const widgetId = `crash-${run}`;
      const handler = new (class extends WidgetCreatedHandler {
        crashes = 1;
        override async handleBatch(events: ConsumedEvent<WidgetCreated>[], em: EntityManager): Promise<void> {
          await super.handleBatch(events, em); // the effect is written…
          if (this.crashes-- > 0) await em.query('select pg_terminate_backend(pg_backend_pid())'); // …and the session dies before commit
        }
      })();
      const { store, letter, processor } = await letterFor(widgetId, handler);
      await expect(replayDeadLetter(store, [processor], letter.id)).rejects.toThrow(/replay failed/);
      expect((await store.get(letter.id))!.status).toBe('PENDING');
      expect(await effects(widgetId)).toBe(0);
      expect((await replayDeadLetter(store, [processor], letter.id)).status).toBe('REPLAYED');
      await replayDeadLetter(store, [processor], letter.id);
      expect(await effects(widgetId)).toBe(1);
    });
  });

  it('dead-letters an event type no handler takes and the contract does not put on the topic, with the reason', async () => {
    const id = `stray-${run}`;
    const stray = widgetMessage(id, { id }, 'postrade.test.stray.v1');
    const publisher = new KafkajsEventPublisher(connection);
    await publisher.send([stray]);
    await publisher.disconnect();
    const group = `msgtest-stray-${run}`;
    // Consumer logs carry the event's correlation id: capture the warn lines of this consumer.
    const logged: Record<string, unknown>[] = [];
    configureLogging({
      level: 'warn',
      destination: new Writable({
        write(chunk, _encoding, done) {
          logged.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    });
    stoppables.push({ stop: async () => configureLogging({ level: (process.env.LOG_LEVEL as 'error') ?? 'error', destination: process.stdout }) });
    const handler = new (class extends WidgetCreatedHandler {
      override async handleBatch(events: ConsumedEvent<WidgetCreated>[], em: EntityManager): Promise<void> {
        createLogger('widget-handler').warn({ widgets: events.length }, 'applying widgets');
        await super.handleBatch(events, em);
      }
    })();
    const runner = new ConsumerRunner(connection, dataSource, { consumer: group, dlqTopic: WIDGET_DLQ, topics: [topic], handlers: [handler], outbox: widgetOutbox });
    stoppables.push(runner);
    await runner.start();
    const letter = (await eventually(() => letterOf(group, id), (found) => found !== undefined, 60_000, 'the stray event dead-lettered'))!;
    expect(letter.error).toMatch(/no handler for event type postrade\.test\.stray\.v1 on msgtest\.failures\./);
    expect(letter.headers.ce_id).toBe(stray.headers.ce_id);
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'message dead-lettered', consumer: group, correlationId: `corr-${id}`, reason: expect.stringMatching(/^no handler/) }));
    // A handler's own lines, written while it applies an event, carry that event's correlation id too.
    const later = `later-${run}`;
    const sender = new KafkajsEventPublisher(connection);
    await sender.send([widgetMessage(later, { id: later, name: 'logged' })]);
    await sender.disconnect();
    await eventually(() => effects(later), (n) => n === 1, 30_000, 'the later widget applied');
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'applying widgets', logger: 'widget-handler', correlationId: `corr-${later}` }));
  });

  it('keeps the lag of a partition waiting out a fault current, and reports it waiting since when', async () => {
    const waitTopic = `msgtest.stuck.${run}.v1`;
    await ensureTopics(connection, [{ name: waitTopic, partitions: 1 }]);
    const publisher = new KafkajsEventPublisher(connection);
    stoppables.push({ stop: () => publisher.disconnect() });
    const send = (n: number, prefix: string) =>
      publisher.send(Array.from({ length: n }, (_, i) => ({ ...widgetMessage(`${prefix}-${i}`, { id: `${prefix}-${i}`, name: 'stuck' }), topic: waitTopic })));
    await send(1, `first-${run}`);
    const handler = new WidgetCreatedHandler();
    handler.transientFailures = Number.MAX_SAFE_INTEGER; // the database "keeps failing" until we say
    const admin = new BrokerAdminSession(connection);
    stoppables.push({ stop: () => admin.close() });
    const group = `msgtest-stuck-${run}`;
    const runner = new ConsumerRunner(connection, dataSource, {
      consumer: group,
      dlqTopic: WIDGET_DLQ,
      topics: [waitTopic],
      handlers: [handler],
      outbox: widgetOutbox,
      retryBackoffMs: 50,
      maxBackoffMs: 200,
      highWatermarks: (t) => admin.highWatermarks(t),
    });
    stoppables.push(runner);
    await runner.start();
    const labels = { consumer: group, topic: waitTopic, partition: '0' };
    await eventually(() => metricValue('postrade_consumer_lag', labels), (lag) => lag === 1, 30_000, 'lag of the stuck first message');
    expect(await metricValue('postrade_consumer_partitions_waiting', { consumer: group })).toBe(1);
    const since = (await metricValue('postrade_consumer_partition_waiting_since_seconds', labels))!;
    expect(since).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(since).toBeLessThanOrEqual(Date.now() / 1000);

    await send(4, `more-${run}`); // arrives while the partition is stuck on the first message
    await eventually(() => metricValue('postrade_consumer_lag', labels), (lag) => lag === 5, 30_000, 'lag counting messages that arrived while stuck');

    handler.transientFailures = 0;
    await eventually(() => metricValue('postrade_consumer_lag', labels), (lag) => lag === 0, 30_000, 'lag after the fault cleared');
    expect(await metricValue('postrade_consumer_partitions_waiting', { consumer: group })).toBe(0);
    expect(await metricValue('postrade_consumer_partition_waiting_since_seconds', labels)).toBeUndefined();
  });

  it('probes the broker for readiness on one kept connection, not a new one per call', async () => {
    const admin = new BrokerAdminSession(connection);
    stoppables.push({ stop: () => admin.close() });
    for (let i = 0; i < 10; i++) await admin.ping();
    expect(admin.created).toBe(1);
    const unreachable = new BrokerAdminSession({ clientId: 'msgtest', brokers: ['127.0.0.1:1'] });
    await expect(unreachable.ping()).rejects.toThrow();
    await unreachable.close();
  });

  describe('the msgtest service', () => {
    let app: INestApplication;
    let admin: DataSource;

    beforeAll(async () => {
      process.env.POSTRADE_DEV_KEYS = '1';
      admin = new TypeOrmDataSource({ type: 'postgres', url: process.env.DATABASE_URL });
      await admin.initialize();
      const moduleRef = await Test.createTestingModule({ imports: [MsgtestModule] }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      await app.init();
    });

    afterAll(async () => {
      await admin?.query('alter role msgtest_svc connection limit -1');
      await admin?.destroy();
      await app?.close();
    });

    it('reports a parked outbox row in readiness and the backlog, oldest age, parked rows and pending dead letters on /metrics', async () => {
      await dataSource.query('delete from outbox where parked_at is not null');
      const ready = await app.get(ReadinessRegistry).report();
      expect(ready.checks['outbox-parked']).toMatchObject({ status: 'up' });

      await dataSource.query(
        `insert into outbox (event_id, topic, message_key, event_type, source, event_time, payload, parked_at, parked_reason)
         values ($1, $2, 'k', $3, 'msgtest', now()::text, '{}', now(), 'refused by the broker as too large (test)')`,
        [randomUUID(), topic, WIDGET_CREATED],
      );
      const report = await app.get(ReadinessRegistry).report();
      expect(report.status).toBe('unavailable');
      expect(report.checks['outbox-parked']).toMatchObject({ status: 'down', error: expect.stringMatching(/1 outbox row\(s\) parked.*too large \(test\)/) });

      // The gauges are sampled at most once a second: a scrape within a second of an earlier one
      // (another test's) answers that sample, so scrape until one is taken after the insert.
      const text = await eventually(
        () => request(app.getHttpServer()).get('/metrics').expect(200).then((r) => r.text),
        (body) => /postrade_outbox_parked_rows\{schema="msgtest"\} 1\b/.test(body),
        5_000,
        'a metrics sample taken after the parked row',
      );
      expect(text).toMatch(/postrade_outbox_parked_rows\{schema="msgtest"\} 1\b/);
      expect(text).toMatch(/postrade_outbox_backlog\{schema="msgtest"\} \d+/);
      expect(text).toMatch(/postrade_outbox_oldest_unsent_age_seconds\{schema="msgtest"\} [\d.e+-]+/);
      expect(text).toMatch(/postrade_outbox_relay_leader\{schema="msgtest"\} [01]/);
      const [{ n: pending }] = await dataSource.query(`select count(*)::int as n from dead_letters where status = 'PENDING' and consumer = $1`, [`msgtest-stray-${run}`]);
      expect(pending).toBe(1);
      expect(text).toContain(`postrade_dead_letters_pending{schema="msgtest",consumer="msgtest-stray-${run}"} 1`);
      await dataSource.query('delete from outbox where parked_at is not null');
      expect((await app.get(ReadinessRegistry).report()).checks['outbox-parked']).toMatchObject({ status: 'up' });
    });

    it('answers 503 with Retry-After, not 500, while its database refuses it', async () => {
      const http = request(app.getHttpServer());
      await http.get('/api/v1/dead-letters').set('Authorization', 'Bearer dev-ops').expect(200);
      // The database goes away for this service: no new session for its role, and the open ones are ended.
      await admin.query('alter role msgtest_svc connection limit 0');
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where usename = 'msgtest_svc'`);
      const response = await http.get('/api/v1/dead-letters').set('Authorization', 'Bearer dev-ops');
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 503, type: expect.stringContaining('service-unavailable') });

      await admin.query('alter role msgtest_svc connection limit -1');
      await eventually(
        () => http.get('/api/v1/dead-letters').set('Authorization', 'Bearer dev-ops').then((r) => r.status),
        (status) => status === 200,
        30_000,
        'the service answering again once the database is back',
      );
    });
  });
});
