import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { bootstrapServiceDatabase, serviceDatabaseUrl } from '@postrade/persistence';
import { eventually, spawnTs } from '@postrade/testing';
import { toHeaders } from '@postrade/contracts';
import {
  ConsumerRunner,
  DeadLetterStore,
  deadLetterInTransaction,
  type DeadLetter,
  ensureTopics,
  kafkaConnectionFromEnv,
  KafkajsEventPublisher,
  Outbox,
  OutboxRelay,
  messagingRetentionRules,
  readTopic,
  replayDeadLetter,
  sweepRetention,
  type KafkaConnection,
} from '../src';
import { bumpWidget, createWidget, msgtestDatabase, msgtestDataSource, widgetOutbox, WidgetCreatedHandler, WIDGET_CREATED, WIDGET_DLQ, WIDGET_TOPIC } from './fixtures/widgets';

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

  /** Every dead letter, page after page: a database kept between runs may hold more than a page. */
  async function allDeadLetters(status?: 'PENDING' | 'REPLAYED'): Promise<DeadLetter[]> {
    const store = new DeadLetterStore(dataSource);
    const letters: DeadLetter[] = [];
    for (let after: { createdAt: string; id: string } | undefined; ; ) {
      const page = await store.list({ status, limit: 500, after });
      letters.push(...page);
      if (page.length < 500) return letters;
      after = { createdAt: page[page.length - 1].createdAt, id: page[page.length - 1].id };
    }
  }

  function relay(): OutboxRelay {
    const r = new OutboxRelay(new KafkajsEventPublisher(connection), { databaseUrl: serviceDatabaseUrl(msgtestDatabase), schema: 'msgtest' });
    stoppables.push(r);
    return r;
  }

  async function consumer(group: string, handler = new WidgetCreatedHandler(), maxUnexpectedAttempts = 3): Promise<ConsumerRunner> {
    const runner = new ConsumerRunner(connection, dataSource, {
      consumer: group,
      dlqTopic: WIDGET_DLQ,
      topics: [WIDGET_TOPIC],
      handlers: [handler],
      outbox: widgetOutbox,
      maxUnexpectedAttempts,
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

  it("publishes a burst of events that together exceed the broker's largest message batch, in order", async () => {
    // 1,000 events of 4 KiB on one key (one partition): 4 MiB, where Kafka takes at most 1 MiB per
    // partition batch. Sent as one batch, the broker refuses it and the relay would retry forever.
    const key = `w-${randomUUID()}`;
    const outbox = new Outbox('msgtest', 'msgtest');
    const filler = 'x'.repeat(4096);
    await dataSource.transaction((em) =>
      outbox.add(
        em,
        Array.from({ length: 1000 }, (_, i) => ({ topic: WIDGET_TOPIC, key, type: WIDGET_CREATED, data: { id: key, name: `${i}`, filler } })),
      ),
    );
    await relay().start();
    const seen = await readTopic(connection, WIDGET_TOPIC, (ms) => ms.length > 0 && ms[ms.length - 1].key === key && JSON.parse(ms[ms.length - 1].value).name === '999', 60_000);
    const order = seen.filter((m) => m.key === key).map((m) => Number(JSON.parse(m.value).name));
    expect(order).toEqual(Array.from({ length: 1000 }, (_, i) => i));
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
    await relay().start(); // dead-letter copies are published through the outbox

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
    const stored = await allDeadLetters();
    expect(stored.filter((d) => d.consumer === group && d.headers.ce_id === badId)).toHaveLength(1);
  });

  it('dead-letters an unexpected error after bounded retries and replays the message once the cause is fixed', async () => {
    const handler = new WidgetCreatedHandler();
    let broken = true;
    const eventId = await dataSource.transaction((em) => createWidget(em, `w-${randomUUID()}`, 'needs a retry'));
    handler.failWhile = (event) => broken && event.envelope.id === eventId;
    const group = `msgtest-retry-${randomUUID()}`;
    const runner = await consumer(group, handler, 3);
    await relay().start();

    const store = new DeadLetterStore(dataSource);
    const [letter] = await eventually(
      async () => (await allDeadLetters('PENDING')).filter((d) => d.consumer === group && d.headers.ce_id === eventId),
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

  async function dlqCopies(group: string, eventIds: string[]): Promise<number> {
    // Everything published so far: the DLQ topic is read to its end (the marker proves the end).
    const marker = randomUUID();
    const publisher = new KafkajsEventPublisher(connection);
    await publisher.send([{ topic: WIDGET_DLQ, key: 'marker', value: '{}', headers: { ce_id: marker, dlq_consumer_group: group } }]);
    await publisher.disconnect();
    const all = await readTopic(connection, WIDGET_DLQ, (ms) => ms.some((m) => m.headers.ce_id === marker));
    return all.filter((m) => m.headers.dlq_consumer_group === group && eventIds.includes(m.headers.ce_id)).length;
  }

  it('dead-letters only the poison event of a batch and applies its neighbours once', async () => {
    const key = `w-${randomUUID()}`;
    const names = ['first', 'second', 'poison', 'fourth', 'fifth'];
    const ids = await dataSource.transaction(async (em) => {
      await em.query('insert into widgets (id, name) values ($1, $2)', [key, 'batch']);
      const envelopes = await widgetOutbox.add(
        em,
        names.map((name) => ({ topic: WIDGET_TOPIC, key, type: WIDGET_CREATED, data: { id: key, name } })),
      );
      return envelopes.map((e) => e.id);
    });
    await relay().start();
    await readTopic(connection, WIDGET_TOPIC, (ms) => ids.every((id) => ms.some((m) => m.headers.ce_id === id)));
    const handler = new WidgetCreatedHandler();
    const group = `msgtest-poison-${randomUUID()}`;
    await consumer(group, handler);

    const neighbours = ids.filter((_, i) => names[i] !== 'poison');
    const poison = ids[names.indexOf('poison')];
    await eventually(() => effectsOf(neighbours), (n) => n === 4, 30_000, 'the four neighbours applied');
    const letters = await eventually(
      async () => (await allDeadLetters()).filter((d) => d.consumer === group && ids.includes(d.headers.ce_id)),
      (found) => found.length === 1,
      10_000,
      'one dead letter among the five',
    );
    expect(letters[0].headers.ce_id).toBe(poison);
    expect(letters[0].error).toMatch(/may not be called poison/);
    expect(await effectsOf([poison])).toBe(0);
    for (const id of neighbours) expect(await effectsOf([id])).toBe(1);
    await eventually(() => dlqCopies(group, [poison]), (n) => n === 1, 30_000, 'one DLQ copy published through the outbox');
  });

  it('retries a transient database error without limit and never dead-letters it', async () => {
    const handler = new WidgetCreatedHandler();
    handler.transientFailures = Number.MAX_SAFE_INTEGER; // the database keeps failing until we say so
    const eventId = await dataSource.transaction((em) => createWidget(em, `w-${randomUUID()}`, 'transient'));
    const group = `msgtest-transient-${randomUUID()}`;
    const runner = await consumer(group, handler, 3);
    await relay().start();
    // Far more attempts than the 3 an unexpected error gets, and the partition reported waiting.
    await eventually(async () => ({ health: runner.health(), attempts: handler.batchesSeen }), (s) => !s.health.ok && s.attempts > 12, 60_000, 'partition waiting, retrying');
    expect(runner.health().waiting[0].error).toMatch(/could not serialize/);
    handler.transientFailures = 0;
    await eventually(() => effectsOf([eventId]), (n) => n === 1, 60_000, 'applied once the fault cleared');
    await eventually(async () => runner.health(), (h) => h.ok, 10_000, 'partition resumed');
    // (The group also reads earlier tests' poison messages from the topic's start: those are theirs.)
    const letters = (await allDeadLetters()).filter((d) => d.consumer === group);
    expect(letters.filter((d) => d.headers.ce_id === eventId || /serialize/.test(d.error))).toEqual([]);
  });

  it('keeps per-aggregate order when the leading relay is SIGKILLed mid-stream and the standby takes over', async () => {
    const aggregates = Array.from({ length: 12 }, () => `w-${randomUUID()}`);
    await dataSource.transaction(async (em) => {
      for (const id of aggregates) await em.query('insert into widgets (id, name) values ($1, $2)', [id, 'ordered']);
    });
    const first = spawnTs(WORKER, { MODE: 'relay', LOG_LEVEL: 'error' });
    await first.waitForLine(/^LEADER$/);
    const second = spawnTs(WORKER, { MODE: 'relay', LOG_LEVEL: 'error' });
    stoppables.push({ stop: () => second.kill('SIGKILL') });

    // Concurrent writers, each bumping random aggregates: one event per bump, numbered per aggregate.
    let stop = false;
    const perWriter = 60;
    const writers = Array.from({ length: 4 }, async () => {
      for (let i = 0; i < perWriter && !stop; i++) {
        const id = aggregates[Math.floor(Math.random() * aggregates.length)];
        await dataSource.transaction((em) => bumpWidget(em, id));
      }
    });
    await eventually(
      async () => (await dataSource.query('select count(*)::int as n from outbox where sent_at is not null and message_key = any($1)', [aggregates]))[0].n,
      (n: number) => n >= 40,
      30_000,
      'the first relay published part of the stream',
    );
    await first.kill('SIGKILL');
    await Promise.all(writers);
    stop = true;
    const total = (await dataSource.query('select coalesce(sum(seq), 0)::int as n from widgets where id = any($1)', [aggregates]))[0].n;
    expect(total).toBe(4 * perWriter);

    const seen = await readTopic(connection, WIDGET_TOPIC, (ms) => ms.filter((m) => aggregates.includes(m.key ?? '')).length >= total);
    for (const id of aggregates) {
      const firstSeen: number[] = [];
      for (const m of seen.filter((x) => x.key === id)) {
        const seq = JSON.parse(m.value).seq as number;
        if (!firstSeen.includes(seq)) firstSeen.push(seq);
      }
      const expected = Array.from({ length: firstSeen.length }, (_, i) => i + 1);
      expect({ id, order: firstSeen }).toEqual({ id, order: expected });
    }
  });

  it('opens every service session as the runtime role, on its schema, with statement, lock and idle timeouts', async () => {
    const [settings] = await dataSource.query(
      `select current_user as "user", current_setting('search_path') as "searchPath", current_setting('statement_timeout') as "statementTimeout",
              current_setting('lock_timeout') as "lockTimeout", current_setting('idle_in_transaction_session_timeout') as "idleInTransaction"`,
    );
    expect(settings).toEqual({ user: 'msgtest_svc', searchPath: 'msgtest', statementTimeout: '30s', lockTimeout: '10s', idleInTransaction: '1min' });
    // The relay's own connection logs in as the runtime role too.
    const r = relay();
    await r.start();
    const [relaySession] = await eventually(
      () => dataSource.query(`select query from pg_stat_activity where application_name = 'msgtest-outbox-relay' and usename = 'msgtest_svc'`),
      (rows: unknown[]) => rows.length > 0,
      10_000,
      'relay session',
    );
    // (Its settings come from the same sessionOptions as the pool's: session-settings.spec.ts.)
    expect(relaySession).toBeDefined();
  });

  it('refuses the runtime role an UPDATE or DELETE on a table granted append-only', async () => {
    const eventId = randomUUID();
    await dataSource.query('insert into widget_effects (event_id, widget_id) values ($1, $2)', [eventId, 'w-append-only']);
    await expect(dataSource.query('update widget_effects set widget_id = $2 where event_id = $1', [eventId, 'tampered'])).rejects.toThrow(/permission denied/);
    await expect(dataSource.query('delete from widget_effects where event_id = $1', [eventId])).rejects.toThrow(/permission denied/);
    expect((await dataSource.query('select widget_id from widget_effects where event_id = $1', [eventId]))[0].widget_id).toBe('w-append-only');
  });

  it('dead-letters a different message read at an offset used before (a recreated topic), and the same message only once', async () => {
    const topic = `msgtest.recreated.${randomUUID()}`;
    const message = (value: string) => ({
      topic,
      partition: 0,
      offset: '7',
      key: 'w-1',
      headers: toHeaders({ id: randomUUID(), source: 'upstream', type: WIDGET_CREATED, time: new Date().toISOString(), subject: 'w-1' }),
      value,
    });
    const first = message('{not json');
    const deadLetter = (m: ReturnType<typeof message>) =>
      dataSource.transaction((em) => deadLetterInTransaction(em, widgetOutbox, { consumer: 'msgtest-recreated', dlqTopic: WIDGET_DLQ, message: m, error: 'value is not JSON', attempts: 1 }));
    await deadLetter(first);
    await deadLetter(first); // the same message again: a retried batch
    await deadLetter(message('{"also": "poison"'));
    const letters = (await allDeadLetters()).filter((d) => d.topic === topic);
    expect(letters.map((d) => d.payload).sort()).toEqual(['{"also": "poison"', '{not json']);
    const copies = await dataSource.query(`select headers ->> 'ce_id' as id from outbox where headers ->> 'dlq_original_topic' = $1`, [topic]);
    expect(copies).toHaveLength(2);
  });

  it('pages through dead letters written in one transaction without repeating any', async () => {
    const topic = `msgtest.paging.${randomUUID()}`;
    await dataSource.transaction(async (em) => {
      for (let offset = 0; offset < 5; offset++) {
        await deadLetterInTransaction(em, widgetOutbox, {
          consumer: 'msgtest-paging',
          dlqTopic: WIDGET_DLQ,
          message: { topic, partition: 0, offset: String(offset), key: `k-${offset}`, headers: {}, value: 'x' },
          error: 'poison',
          attempts: 1,
        });
      }
    });
    const store = new DeadLetterStore(dataSource);
    const seen: string[] = [];
    for (let after: { createdAt: string; id: string } | undefined, pages = 0; pages < 1_000; pages++) {
      const [letter] = await store.list({ limit: 1, after });
      if (!letter) break;
      seen.push(letter.id);
      after = { createdAt: letter.createdAt, id: letter.id };
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect((await allDeadLetters()).filter((d) => d.topic === topic)).toHaveLength(5);
  });

  it('removes by retention only what is past its horizon', async () => {
    const day = 86_400_000;
    const now = new Date();
    const old = new Date(now.getTime() - 3 * day);
    const recent = new Date(now.getTime() - 1 * day);
    const tag = randomUUID();
    const outboxIds = { oldSent: randomUUID(), recentSent: randomUUID(), oldUnsent: randomUUID() };
    const insertOutbox = (id: string, created: Date, sent: Date | null) =>
      dataSource.query(
        `insert into outbox (event_id, topic, message_key, event_type, headers, payload, created_at, sent_at) values ($1, 'retention.test', $2, 't', '{}', '{}', $3, $4)`,
        [id, tag, created, sent],
      );
    await insertOutbox(outboxIds.oldSent, old, old);
    await insertOutbox(outboxIds.recentSent, recent, recent);
    await insertOutbox(outboxIds.oldUnsent, old, null);
    const inboxIds = { old: randomUUID(), recent: randomUUID() };
    for (const [id, at] of [[inboxIds.old, old], [inboxIds.recent, recent]] as const) {
      await dataSource.query(`insert into inbox (consumer, event_id, event_type, topic, partition, "offset", processed_at) values ($1, $2, 't', 'x', 0, 0, $3)`, [tag, id, at]);
    }
    const letter = async (offset: number, status: string, replayedAt: Date | null) =>
      (
        await dataSource.query(
          `insert into dead_letters (consumer, topic, partition, "offset", headers, payload, error, attempts, status, created_at, replayed_at)
           values ($1, 'x', 0, $2, '{}', '{}', 'e', 1, $3, $4, $5) returning id`,
          [tag, offset, status, old, replayedAt],
        )
      )[0].id as string;
    const letters = { oldReplayed: await letter(1, 'REPLAYED', old), recentReplayed: await letter(2, 'REPLAYED', recent), oldPending: await letter(3, 'PENDING', null) };

    const twoDays = 2 * day;
    await sweepRetention(dataSource, [
      { name: 'published outbox rows', table: 'outbox', timestampColumn: 'sent_at', where: 'sent_at is not null', horizonMs: twoDays },
      { name: 'inbox entries', table: 'inbox', timestampColumn: 'processed_at', horizonMs: twoDays },
      { name: 'replayed dead letters', table: 'dead_letters', timestampColumn: 'replayed_at', where: `status = 'REPLAYED'`, horizonMs: twoDays },
    ], now);

    const outboxLeft = (await dataSource.query('select event_id from outbox where message_key = $1', [tag])).map((r: { event_id: string }) => r.event_id);
    expect(outboxLeft.sort()).toEqual([outboxIds.recentSent, outboxIds.oldUnsent].sort());
    const inboxLeft = (await dataSource.query('select event_id from inbox where consumer = $1', [tag])).map((r: { event_id: string }) => r.event_id);
    expect(inboxLeft).toEqual([inboxIds.recent]);
    const lettersLeft = (await dataSource.query('select id from dead_letters where consumer = $1', [tag])).map((r: { id: string }) => r.id);
    expect(lettersLeft.sort()).toEqual([letters.recentReplayed, letters.oldPending].sort());
    // Rows for a topic that does not exist would hold the relay up in later tests.
    await dataSource.query('delete from outbox where message_key = $1', [tag]);
  });

  it('sweeps a backlog in chunks until nothing past the horizon is left, and keeps what is not', async () => {
    const tag = randomUUID();
    const now = new Date();
    const old = new Date(now.getTime() - 10 * 86_400_000);
    await dataSource.query(
      `insert into inbox (consumer, event_id, event_type, topic, partition, "offset", processed_at)
       select $1, gen_random_uuid(), 't', 'x', 0, n, $2 from generate_series(1, 25) n`,
      [tag, old],
    );
    await dataSource.query(`insert into inbox (consumer, event_id, event_type, topic, partition, "offset", processed_at) values ($1, gen_random_uuid(), 't', 'x', 0, 26, $2)`, [tag, now]);
    const rule = { name: 'tagged inbox entries', table: 'inbox', timestampColumn: 'processed_at', where: `consumer = '${tag}'`, horizonMs: 86_400_000 };
    // Chunks of 10: three statements (10, 10, 5), each its own transaction.
    expect(await sweepRetention(dataSource, [rule], now, 10)).toEqual({ 'tagged inbox entries': 25 });
    expect(await dataSource.query('select "offset"::int as n from inbox where consumer = $1', [tag])).toEqual([{ n: 26 }]);
    expect(await sweepRetention(dataSource, [rule], now, 10)).toEqual({ 'tagged inbox entries': 0 });
  });

  it('uses the default rules: 24 h of published outbox rows, 8 days of inbox, 30 days of replayed dead letters', () => {
    const rules = Object.fromEntries(messagingRetentionRules({}).map((r) => [r.table, r.horizonMs / 3_600_000]));
    expect(rules).toEqual({ outbox: 24, inbox: 192, dead_letters: 720 });
    expect(messagingRetentionRules({ OUTBOX_RETENTION: '2h' })[0].horizonMs).toBe(2 * 3_600_000);
  });
});
