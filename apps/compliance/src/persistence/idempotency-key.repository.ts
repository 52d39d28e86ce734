import type { EntityManager } from 'typeorm';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

/** `Idempotency-Key` records: per principal and key, the request's hash and the first response. */
export class IdempotencyKeyRepository {
  /**
   * Claims the key inside the caller's transaction: null when this transaction now owns it,
   * otherwise the response stored by the transaction that claimed it first (a concurrent claim
   * waits for that one to commit or roll back).
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
    return { requestHash: rows[0].request_hash, status: rows[0].response_code, body: rows[0].response_body };
  }

  async complete(em: EntityManager, principal: string, key: string, status: number, body: unknown): Promise<void> {
    await em.query(`update idempotency_keys set status = 'COMPLETED', response_code = $3, response_body = $4 where principal = $1 and key = $2`, [
      principal,
      key,
      status,
      JSON.stringify(body),
    ]);
  }
}
