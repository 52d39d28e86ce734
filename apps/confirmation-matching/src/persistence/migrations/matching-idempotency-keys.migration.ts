import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantRuntime } from '@postrade/persistence';

/** `Idempotency-Key` records of `POST /api/v1/confirmations`: per principal and key, the request's hash and the first response. */
export class MatchingIdempotencyKeys1733000000001 implements MigrationInterface {
  name = 'MatchingIdempotencyKeys1733000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table idempotency_keys (
        principal      text not null,
        key            text not null,
        request_hash   text not null,
        status         text not null,
        response_code  integer,
        response_body  jsonb,
        created_at     timestamptz not null default now(),
        primary key (principal, key)
      )`);
    await grantRuntime(q, 'idempotency_keys', 'read-write');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table idempotency_keys');
  }
}
