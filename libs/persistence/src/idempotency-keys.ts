import type { EntityManager } from 'typeorm';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

/**
 * `Idempotency-Key` records of a service's creating POSTs: per principal and key, the request's
 * hash and the first response, in the service's `idempotency_keys` table (principal, key,
 * request_hash, status, response_code, response_body, created_at). The claim is made in the same
 * transaction as the effect. Old keys are removed by the service's retention rule on
 * `idempotency_keys` (the messaging library's chunked sweep).
 */
export class IdempotencyKeyRepository {
  /**
   * Claims the key inside the caller's transaction. Returns null when this transaction now owns
   * it; otherwise the response stored by the transaction that claimed it first (a concurrent
   * claim waits for that transaction to commit or roll back). The conflict is not dropped: the
   * caller answers with the stored response, or 422 when the body differs.
   */
  async claim(em: EntityManager, principal: string, key: string, requestHash: string): Promise<StoredResponse | null> {
    const inserted: unknown[] = await em.query(
      `insert into idempotency_keys (principal, key, request_hash, status) values ($1, $2, $3, 'IN_PROGRESS')
       on conflict do nothing returning key`,
      [principal, key, requestHash],
    );
    if (inserted.length > 0) return null;
    // A separate statement: its snapshot sees the row the concurrent claimant has just committed.
    const rows: { request_hash: string; response_code: number; response_body: unknown }[] = await em.query(
      'select request_hash, response_code, response_body from idempotency_keys where principal = $1 and key = $2',
      [principal, key],
    );
    const row = rows[0]!;
    return { requestHash: row.request_hash, status: row.response_code, body: row.response_body };
  }

  async complete(em: EntityManager, principal: string, key: string, status: number, body: unknown): Promise<void> {
    await em.query(
      `update idempotency_keys set status = 'COMPLETED', response_code = $3, response_body = $4 where principal = $1 and key = $2`,
      [principal, key, status, JSON.stringify(body)],
    );
  }
}
