import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantRuntime, millisecondTimesMigration } from '@postrade/persistence';

/**
 * The reliable-messaging tables every service has in its own schema: the transactional outbox,
 * the consumer inbox (dedupe by ce_id) and the dead letters kept for inspection and replay.
 * Include this in each service's migration list before its own migrations.
 */
export class MessagingTables1700000000000 implements MigrationInterface {
  name = 'MessagingTables1700000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table outbox (
        position     bigserial primary key,
        event_id     uuid not null unique,
        topic        text not null,
        message_key  text not null,
        event_type   text not null,
        headers      jsonb not null,
        payload      text not null,
        created_at   timestamptz not null default now(),
        sent_at      timestamptz
      )`);
    await q.query('create index outbox_unsent on outbox (position) where sent_at is null');
    await q.query(`
      create table inbox (
        consumer     text not null,
        event_id     uuid not null,
        event_type   text not null,
        topic        text not null,
        partition    integer not null,
        "offset"     bigint not null,
        processed_at timestamptz not null default now(),
        primary key (consumer, event_id)
      )`);
    await q.query(`
      create table dead_letters (
        id            uuid primary key default gen_random_uuid(),
        consumer      text not null,
        topic         text not null,
        partition     integer not null,
        "offset"      bigint not null,
        message_key   text,
        headers       jsonb not null,
        payload       text not null,
        error         text not null,
        attempts      integer not null,
        status        text not null default 'PENDING' check (status in ('PENDING', 'REPLAYED')),
        created_at    timestamptz not null default now(),
        replayed_at   timestamptz,
        replay_error  text,
        unique (consumer, topic, partition, "offset")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table dead_letters');
    await q.query('drop table inbox');
    await q.query('drop table outbox');
  }
}

/**
 * The runtime role's access to the messaging tables (the two-role model) and the indexes the
 * retention sweep deletes by. The relay marks outbox rows sent; retention deletes what is past its
 * horizon; nothing else changes a row.
 */
export class MessagingRuntimeAccess1700000000001 implements MigrationInterface {
  name = 'MessagingRuntimeAccess1700000000001';

  async up(q: QueryRunner): Promise<void> {
    await grantRuntime(q, 'outbox', 'read-write');
    await grantRuntime(q, 'inbox', 'append-and-delete');
    await grantRuntime(q, 'dead_letters', 'read-write');
    await q.query('create index outbox_sent on outbox (sent_at) where sent_at is not null');
    await q.query('create index inbox_processed on inbox (processed_at)');
    await q.query(`create index dead_letters_replayed on dead_letters (replayed_at) where status = 'REPLAYED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index dead_letters_replayed');
    await q.query('drop index inbox_processed');
    await q.query('drop index outbox_sent');
  }
}

/**
 * The outbox stores an event's envelope attributes as columns and builds its CloudEvents headers
 * when it publishes, instead of a JSON object of headers per row: the object was most of a row's
 * bytes (about 400 of 600), serialised by the service and parsed into jsonb by Postgres at every
 * insert. `headers` stays for messages published verbatim (dead-letter copies). And the event ids
 * need no unique index: they are random UUIDs the outbox itself draws, and nothing looks a row up
 * by one (the relay reads by position). Together, measured in the matching benchmark, the outbox
 * insert of a batch took about half the time it did.
 */
export class OutboxEnvelopeColumns1700000000002 implements MigrationInterface {
  name = 'OutboxEnvelopeColumns1700000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table outbox drop constraint if exists outbox_event_id_key');
    await q.query(`
      alter table outbox
        alter column headers drop not null,
        add column source          text,
        add column event_time      text,
        add column subject         text,
        add column correlation_id  text,
        add column causation_id    text,
        add constraint outbox_headers_or_envelope check (headers is not null or (source is not null and event_time is not null))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`update outbox set headers = jsonb_strip_nulls(jsonb_build_object('ce_specversion', '1.0', 'ce_id', event_id, 'ce_source', source,
      'ce_type', event_type, 'ce_time', event_time, 'ce_subject', coalesce(subject, message_key), 'content-type', 'application/json',
      'ce_correlationid', correlation_id, 'ce_causationid', causation_id)) where headers is null`);
    await q.query(`alter table outbox drop constraint outbox_headers_or_envelope, drop column source, drop column event_time, drop column subject,
      drop column correlation_id, drop column causation_id, alter column headers set not null`);
    await q.query('alter table outbox add constraint outbox_event_id_key unique (event_id)');
  }
}

/**
 * A dead letter was unique by (consumer, topic, partition, offset): a different message at an
 * offset read before — a topic deleted and created again, a cluster rebuilt — was then taken for
 * the letter already there, and its failure left no trace (its inbox mark committed, no letter, no
 * DLQ copy). A digest of the message (its key, `ce_id` and value) is now part of the identity, so
 * that only the same message read again (a retried batch) counts as already dead-lettered. The
 * digest is an identity, not a security control: MD5, because Postgres computes it as an immutable
 * function of text, which a generated column needs.
 */
export class DeadLetterMessageDigest1700000000003 implements MigrationInterface {
  name = 'DeadLetterMessageDigest1700000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table dead_letters add column message_digest text not null
        generated always as (md5(coalesce(message_key, '') || chr(10) || coalesce(headers ->> 'ce_id', '') || chr(10) || payload)) stored`);
    await q.query(`alter table dead_letters drop constraint dead_letters_consumer_topic_partition_offset_key`);
    await q.query(`alter table dead_letters add constraint dead_letters_message_key unique (consumer, topic, partition, "offset", message_digest)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table dead_letters drop constraint dead_letters_message_key`);
    await q.query(`alter table dead_letters add constraint dead_letters_consumer_topic_partition_offset_key unique (consumer, topic, partition, "offset")`);
    await q.query(`alter table dead_letters drop column message_digest`);
  }
}

/**
 * Dead letters are listed page by page from a cursor of (created_at, id): their times are kept to
 * the millisecond, which the cursor carries (see `millisecondTimesMigration`).
 */
export const DeadLetterMillisecondTimes1700000000004 = millisecondTimesMigration('DeadLetterMillisecondTimes1700000000004', 'dead_letters', ['created_at', 'replayed_at']);

/**
 * An outbox row the broker refuses for good (larger than its `message.max.bytes`) used to stop the
 * relay for every row behind it. The relay now parks such a row: `parked_at` and `parked_reason`
 * say when and why; it is no longer read (the unsent index leaves it out), is never removed by
 * retention (it is unsent), and is reported on `postrade_outbox_parked` and in readiness.
 */
export class OutboxParkedRows1700000000005 implements MigrationInterface {
  name = 'OutboxParkedRows1700000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table outbox add column parked_at timestamptz, add column parked_reason text');
    await q.query('drop index outbox_unsent');
    await q.query('create index outbox_unsent on outbox (position) where sent_at is null and parked_at is null');
    await q.query('create index outbox_parked on outbox (position) where parked_at is not null');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index outbox_parked');
    await q.query('drop index outbox_unsent');
    await q.query('create index outbox_unsent on outbox (position) where sent_at is null');
    await q.query('alter table outbox drop column parked_reason, drop column parked_at');
  }
}

/**
 * Each outbox row keeps the W3C trace context of the span that wrote it (the request's, the
 * consumed event's), and the relay publishes it as `ce_traceparent` / `ce_tracestate`. Two
 * nullable columns without a default: adding them rewrites no row and holds the table's lock for
 * an instant; rows written before have none and are published without trace headers.
 */
export class OutboxTraceContext1700000000006 implements MigrationInterface {
  name = 'OutboxTraceContext1700000000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table outbox add column if not exists traceparent text, add column if not exists tracestate text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table outbox drop column if exists tracestate, drop column if exists traceparent');
  }
}

/** The messaging migrations every service runs first, in order. */
export const messagingMigrations = [
  MessagingTables1700000000000,
  MessagingRuntimeAccess1700000000001,
  OutboxEnvelopeColumns1700000000002,
  DeadLetterMessageDigest1700000000003,
  DeadLetterMillisecondTimes1700000000004,
  OutboxParkedRows1700000000005,
  OutboxTraceContext1700000000006,
];
