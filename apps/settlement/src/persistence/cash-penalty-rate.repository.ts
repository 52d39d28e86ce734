import type { EntityManager } from 'typeorm';
import type { CashPenaltyRateChange } from '../domain/penalty-rate-change';

const INSTANT = (column: string, alias: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "${alias}"`;
const COLUMNS = `change_id as "changeId", currency, to_char(effective_from, 'YYYY-MM-DD') as "effectiveFrom", annual_percent::text as "annualPercent", reason, status,
  proposed_by as "proposedBy", ${INSTANT('proposed_at', 'proposedAt')}, decided_by as "decidedBy",
  case when decided_at is null then null else to_char(decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') end as "decidedAt"`;

/** Cash penalty rate changes (four eyes): proposals, decisions, and the history they make. */
export class CashPenaltyRateRepository {
  async insert(em: EntityManager, change: { currency: string; effectiveFrom: string; annualPercent: string; reason: string | null; proposedBy: string }): Promise<CashPenaltyRateChange> {
    const rows: CashPenaltyRateChange[] = await em.query(
      `insert into cash_penalty_rate_changes (currency, effective_from, annual_percent, reason, status, proposed_by)
       values ($1, $2, $3, $4, 'PENDING', $5) returning ${COLUMNS}`,
      [change.currency, change.effectiveFrom, change.annualPercent, change.reason, change.proposedBy],
    );
    return rows[0];
  }

  /** One change, locked for its decision. */
  async lock(em: EntityManager, currency: string, changeId: string): Promise<CashPenaltyRateChange | null> {
    const rows: CashPenaltyRateChange[] = await em.query(`select ${COLUMNS} from cash_penalty_rate_changes where currency = $1 and change_id = $2::uuid for update`, [
      currency,
      changeId,
    ]);
    return rows[0] ?? null;
  }

  async saveDecision(em: EntityManager, change: CashPenaltyRateChange): Promise<CashPenaltyRateChange> {
    // An UPDATE … RETURNING answers [rows, affected count] through TypeORM's pg driver.
    const [rows]: [CashPenaltyRateChange[], number] = await em.query(
      `update cash_penalty_rate_changes set status = $2, decided_by = $3, decided_at = clock_timestamp() where change_id = $1::uuid returning ${COLUMNS}`,
      [change.changeId, change.status, change.decidedBy],
    );
    return rows[0];
  }

  /** Every change (of one currency, or all), oldest effective date first: the history, and what `ratesOf` makes the rates from. */
  async changes(em: EntityManager, currency?: string): Promise<CashPenaltyRateChange[]> {
    return em.query(
      `select ${COLUMNS} from cash_penalty_rate_changes ${currency === undefined ? '' : 'where currency = $1'}
        order by currency, effective_from, proposed_at, change_id`,
      currency === undefined ? [] : [currency],
    );
  }
}
