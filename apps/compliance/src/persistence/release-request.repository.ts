import type { EntityManager } from 'typeorm';
import type { ReleaseRequest } from '../domain/release-request';

interface Row {
  request_id: string;
  trade_id: string;
  action: ReleaseRequest['action'];
  reason: string;
  requested_by: string;
  alert_ids: string[] | null;
  status: ReleaseRequest['status'];
  created_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
}

const toRequest = (r: Row): ReleaseRequest => ({
  requestId: r.request_id,
  tradeId: r.trade_id,
  action: r.action,
  reason: r.reason,
  requestedBy: r.requested_by,
  alertIds: r.alert_ids,
  status: r.status,
  createdAt: r.created_at.toISOString(),
  decidedBy: r.decided_by,
  decidedAt: r.decided_at?.toISOString() ?? null,
});

/** Four-eyes release and rejection requests. */
export class ReleaseRequestRepository {
  async pendingFor(em: EntityManager, tradeId: string): Promise<ReleaseRequest | null> {
    const rows: Row[] = await em.query(`select * from release_requests where trade_id = $1 and status = 'PENDING' for update`, [tradeId]);
    return rows[0] ? toRequest(rows[0]) : null;
  }

  async lock(em: EntityManager, tradeId: string, requestId: string): Promise<ReleaseRequest | null> {
    const rows: Row[] = await em.query('select * from release_requests where trade_id = $1 and request_id = $2 for update', [tradeId, requestId]);
    return rows[0] ? toRequest(rows[0]) : null;
  }

  async insert(em: EntityManager, request: ReleaseRequest): Promise<void> {
    await em.query(
      `insert into release_requests (request_id, trade_id, action, reason, requested_by, status, created_at, alert_ids) values ($1, $2, $3, $4, $5, $6, $7, $8::uuid[])`,
      [request.requestId, request.tradeId, request.action, request.reason, request.requestedBy, request.status, request.createdAt, request.alertIds],
    );
  }

  async saveDecision(em: EntityManager, request: ReleaseRequest): Promise<void> {
    await em.query('update release_requests set status = $2, decided_by = $3, decided_at = $4 where request_id = $1', [
      request.requestId,
      request.status,
      request.decidedBy,
      request.decidedAt,
    ]);
  }
}
