import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { bootstrapServiceDatabase, serviceDatabaseUrl } from '@postrade/persistence';
import { eventually, spawnTs } from '@postrade/testing';
import { toHeaders } from '@postrade/contracts';
import {
  ConsumerRunner,
  DeadLetterStore,
  ensureTopics,
  kafkaConnectionFromEnv,
  KafkajsEventPublisher,
  Outbox,
  OutboxRelay,
  readTopic,
  replayDeadLetter,
  type KafkaConnection,
} from '../src';
import { createWidget, msgtestDatabase, msgtestDataSource, WidgetCreatedHandler, WIDGET_CREATED, WIDGET_DLQ, WIDGET_TOPIC } from './fixtures/widgets';

const WORKER = 'libs/messaging/test/fixtures/worker.ts';

describe('reliable messaging against the real broker and database', () => {
  let connection: KafkaConnection;
  let dataSource: DataSource;
  const stoppables: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    connection = kafkaConnectionFromEnv('msgtest');
    await ensureTopics(connection, [
      { name: WIDGET_TOPIC, partitions: 3 },
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
    await dataSource.destroy();
  });

  function relay(): OutboxRelay {
    const r = new OutboxRelay(new KafkajsEventPublisher(connection), { databaseUrl: serviceDatabaseUrl(msgtestDatabase), schema: 'msgtest' });
    stoppables.push(r);
    return r;
  }

  async function consumer(group: string, handler = new WidgetCreatedHandler(), maxAttempts = 3): Promise<ConsumerRunner> {
    const runner = new ConsumerRunner(connection, dataSource, new KafkajsEventPublisher(connection), {
      consumer: group,
      dlqTopic: WIDGET_DLQ,
      topics: [WIDGET_TOPIC],
      handlers: [handler],
      maxAttempts,
      retryBackoffMs: 20,
    });
    stoppables.push(runner);
    await runner.start();
    return runner;
  }

  async function effectsOf(eventIds: string[]): Promise<number> {
    const rows = await dataSource.query('select count(*)::int as n from widget_effects where event_id = any($1::uuid[])', [eventIds]);
    return rows[0].n;
  }

  async function outboxRow(eventId: string): Promise<{ sent_at: Date | null } | undefined> {
    return (await dataSource.query('select sent_at from outbox where event_id = $1', [eventId]))[0];
  }

  it('commits the business row and its outbox event together, or neither', async () => {
    const rolledBack = `w-${randomUUID()}`;
    let rolledBackEvent = '';
    await expect(
      dataSource.transaction(async (em) => {
        rolledBackEvent = await createWidget(em, rolledBack, 'doomed');
        throw new Error('business rule failed after the event was written');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await dataSource.query('select 1 from widgets where id = $1', [rolledBack])).toHaveLength(0);
    expect(await outboxRow(rolledBackEvent)).toBeUndefined();

    const committed = `w-${randomUUID()}`;
    const eventId = await dataSource.transaction((em) => createWidget(em, committed, 'kept'));
    expect(await dataSource.query('select 1 from widgets where id = $1', [committed])).toHaveLength(1);
    expect(await outboxRow(eventId)).toEqual({ sent_at: null });

    await relay().start();
    const onTopic = await readTopic(connection, WIDGET_TOPIC, (ms) => ms.some((m) => m.headers.ce_id === eventId));
    const message = onTopic.find((m) => m.headers.ce_id === eventId)!;
    expect(message.key).toBe(committed);
    expect(message.headers).toMatchObject({ ce_specversion: '1.0', ce_type: WIDGET_CREATED, ce_source: 'msgtest', ce_subject: committed, 'content-type': 'application/json' });
    expect(JSON.parse(message.value)).toEqual({ id: committed, name: 'kept' });
    await eventually(() => outboxRow(eventId), (row) => row?.sent_at instanceof Date, 10_000, 'outbox row marked sent');
  });

  it('publishes the events of one aggregate in the order they were committed', async () => {
    const key = `w-${randomUUID()}`;
    const outbox = new Outbox('msgtest', 'msgtest');
    for (let batch = 0; batch < 5; batch++) {
      await dataSource.transaction((em) =>
        outbox.add(
          em,
          Array.from({ length: 20 }, (_, i) => ({ topic: WIDGET_TOPIC, key, type: WIDGET_CREATED, data: { id: key, name: `${batch * 20 + i}` } })),
        ),
      );
    }
    await relay().start();
    const mine = (ms: { key: string | null }[]) => ms.filter((m) => m.key === key);
    const seen = await readTopic(connection, WIDGET_TOPIC, (ms) => mine(ms).length >= 100);
    const order = seen.filter((m) => m.key === key).map((m) => Number(JSON.parse(m.value).name));
    expect(order).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('delivers an event committed by a relay killed with SIGKILL before it published, once, after restart', async () => {
    const widgetId = `w-${randomUUID()}`;
    const worker = spawnTs(WORKER, { MODE: 'commit-then-die-before-publish', WIDGET_ID: widgetId });
    const line = await worker.waitForLine(/^READY /);
    const eventId = line.split(' ')[1].trim();
    await worker.kill('SIGKILL');
    expect(await outboxRow(eventId)).toEqual({ sent_at: null });

    await consumer(`msgtest-crash-relay-${randomUUID()}`);
    await relay().start();
    await eventually(() => effectsOf([eventId]), (n) => n >= 1, 30_000, 'event applied after relay restart');
    await eventually(() => outboxRow(eventId), (row) => row?.sent_at instanceof Date, 10_000, 'outbox row marked sent');
    expect(await effectsOf([eventId])).toBe(1);
  });

  it('applies an event delivered twice only once', async () => {
    const publisher = new KafkajsEventPublisher(connection);
    stoppables.push({ stop: () => publisher.disconnect() });
    const eventId = randomUUID();
    const headers = toHeaders({ id: eventId, source: 'msgtest', type: WIDGET_CREATED, time: new Date().toISOString(), subject: 'w-dup', data: null });
    const message = { topic: WIDGET_TOPIC, key: 'w-dup', value: JSON.stringify({ id: 'w-dup', name: 'twice' }), headers };
    await publisher.send([message]);
    await publisher.send([message]);
    const marker = randomUUID();
    await publisher.send([{ ...message, headers: { ...headers, ce_id: marker } }]);

    await consumer(`msgtest-dup-${randomUUID()}`);
    await eventually(() => effectsOf([marker]), (n) => n === 1, 30_000, 'marker applied');
    expect(await effectsOf([eventId])).toBe(1);
  });

  it('sends a malformed message to the DLQ with its headers while the partition keeps flowing', async () => {
    const publisher = new KafkajsEventPublisher(connection);
    stoppables.push({ stop: () => publisher.disconnect() });
    const key = `w-${randomUUID()}`;
    const badId = randomUUID();
    const goodId = randomUUID();
    const base = { id: badId, source: 'msgtest', type: WIDGET_CREATED, time: new Date().toISOString(), subject: key, data: null };
    await publisher.send([
      { topic: WIDGET_TOPIC, key, value: '{"id": "unterminated', headers: toHeaders(base) },
      { topic: WIDGET_TOPIC, key, value: JSON.stringify({ id: key, name: 'after the bad one' }), headers: toHeaders({ ...base, id: goodId }) },
    ]);
    const group = `msgtest-dlq-${randomUUID()}`;
    await consumer(group);

    await eventually(() => effectsOf([goodId]), (n) => n === 1, 30_000, 'message after the malformed one applied');
    const dlq = await readTopic(connection, WIDGET_DLQ, (ms) => ms.some((m) => m.headers.ce_id === badId && m.headers.dlq_consumer_group === group));
    const dead = dlq.find((m) => m.headers.ce_id === badId && m.headers.dlq_consumer_group === group)!;
    expect(dead.key).toBe(key);
    expect(dead.value).toBe('{"id": "unterminated');
    expect(dead.headers.dlq_original_topic).toBe(WIDGET_TOPIC);
    expect(Number(dead.headers.dlq_original_partition)).toBeGreaterThanOrEqual(0);
    expect(dead.headers.dlq_original_offset).toMatch(/^\d+$/);
    expect(dead.headers.dlq_error).toMatch(/not JSON/);
    expect(dead.headers.dlq_attempts).toBe('1');
    expect(await effectsOf([badId])).toBe(0);
    const stored = await new DeadLetterStore(dataSource).list({ limit: 500 });
    expect(stored.filter((d) => d.consumer === group && d.headers.ce_id === badId)).toHaveLength(1);
  });

  it('dead-letters after bounded retries and replays the message once the cause is fixed', async () => {
    const handler = new WidgetCreatedHandler();
    let broken = true;
    const eventId = await dataSource.transaction((em) => createWidget(em, `w-${randomUUID()}`, 'needs a retry'));
    handler.failWhile = (event) => broken && event.envelope.id === eventId;
    const group = `msgtest-retry-${randomUUID()}`;
    const runner = await consumer(group, handler, 3);
    await relay().start();

    const store = new DeadLetterStore(dataSource);
    const [letter] = await eventually(
      async () => (await store.list({ status: 'PENDING', limit: 500 })).filter((d) => d.consumer === group && d.headers.ce_id === eventId),
      (found) => found.length === 1,
      30_000,
      'dead letter recorded',
    );
    expect(letter.attempts).toBe(3);
    expect(letter.error).toMatch(/widget registry unavailable/);
    await expect(replayDeadLetter(store, [runner.processor], letter.id)).rejects.toThrow(/replay failed/);

    broken = false;
    const replayed = await replayDeadLetter(store, [runner.processor], letter.id);
    expect(replayed.status).toBe('REPLAYED');
    expect(await effectsOf([eventId])).toBe(1);
    await replayDeadLetter(store, [runner.processor], letter.id);
    expect(await effectsOf([eventId])).toBe(1);
  });

  it('loses nothing and doubles nothing when a consumer is killed mid-batch and restarted', async () => {
    const ids: string[] = [];
    const prefix = `bulk-${randomUUID()}`;
    await dataSource.transaction(async (em) => {
      for (let i = 0; i < 120; i++) ids.push(await createWidget(em, `w-${randomUUID()}`, `${prefix} ${i}`));
    });
    await relay().start();
    await readTopic(connection, WIDGET_TOPIC, (ms) => {
      const seen = new Set(ms.map((m) => m.headers.ce_id));
      return ids.every((id) => seen.has(id));
    });

    const group = `msgtest-kill-${randomUUID()}`;
    const worker = spawnTs(WORKER, { MODE: 'consume-then-die', GROUP: group, CRASH_AFTER: '30', BULK_PREFIX: prefix });
    await worker.waitForLine(/^READY$/);
    await worker.kill('SIGKILL');
    const appliedBeforeCrash = await effectsOf(ids);
    expect(appliedBeforeCrash).toBeGreaterThanOrEqual(30);
    expect(appliedBeforeCrash).toBeLessThan(ids.length);

    await consumer(group);
    await eventually(() => effectsOf(ids), (n) => n >= ids.length, 60_000, 'every event applied after restart');
    const perEvent = await dataSource.query(
      'select event_id, count(*)::int as n from widget_effects where event_id = any($1::uuid[]) group by event_id having count(*) > 1',
      [ids],
    );
    expect(perEvent).toEqual([]);
    expect(await effectsOf(ids)).toBe(ids.length);
  });
});
