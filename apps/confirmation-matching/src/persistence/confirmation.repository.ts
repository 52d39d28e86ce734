import type { EntityManager } from 'typeorm';
import type { MatchStatus } from '@postrade/contracts';
import type { ConfirmationTerms } from '../domain/confirmation';
import type { PairingTerms } from '../domain/matching';
import { PAIRING_KEYS_SOURCE, pairingKeyParams } from './trade.repository';

/** A confirmation as stored: its latest version and where matching last left it. */
export interface StoredConfirmation {
  id: string;
  version: number;
  terms: ConfirmationTerms;
  matchStatus: MatchStatus;
  tradeId: string | null;
  evaluatedVersion: number;
  profile: string | null;
  receivedAt: string;
  updatedAt: string;
  /** Set when its sender (or operations for it) cancelled this version. */
  cancellation: { reason: string; by: string; at: string } | null;
}

export interface ConfirmationMatchUpdate {
  id: string;
  status: MatchStatus;
  tradeId: string | null;
  evaluatedVersion: number;
  profile: string;
  updatedAt: string;
}

function confirmationColumns(alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `${a}id, ${a}version, ${a}confirmation_id, ${a}sender_lei, ${a}receiver_lei, ${a}trade_date::text as trade_date,
    ${a}settlement_date::text as settlement_date, ${a}side, ${a}isin, ${a}quantity::text as quantity, ${a}price::text as price, ${a}currency,
    ${a}gross_amount::text as gross_amount, ${a}net_amount::text as net_amount, ${a}accrued_interest::text as accrued_interest,
    ${a}commission::text as commission, ${a}fees::text as fees, ${a}our_reference, ${a}match_status, ${a}trade_id, ${a}evaluated_version, ${a}profile, ${a}received_at, ${a}updated_at, ${a}cancelled_at, ${a}cancelled_by, ${a}cancel_reason`;
}

interface ConfirmationRow {
  id: string;
  version: number;
  confirmation_id: string;
  sender_lei: string;
  receiver_lei: string;
  trade_date: string;
  settlement_date: string;
  side: 'BUY' | 'SELL';
  isin: string;
  quantity: string;
  price: string;
  currency: string;
  gross_amount: string | null;
  net_amount: string;
  accrued_interest: string | null;
  commission: string | null;
  fees: string | null;
  our_reference: string | null;
  match_status: MatchStatus;
  trade_id: string | null;
  evaluated_version: number;
  profile: string | null;
  received_at: Date;
  updated_at: Date;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}

function storedConfirmation(r: ConfirmationRow): StoredConfirmation {
  return {
    id: r.id,
    version: r.version,
    terms: {
      confirmationId: r.confirmation_id,
      senderLei: r.sender_lei,
      receiverLei: r.receiver_lei,
      tradeDate: r.trade_date,
      settlementDate: r.settlement_date,
      side: r.side,
      isin: r.isin,
      quantity: r.quantity,
      price: r.price,
      currency: r.currency,
      grossAmount: r.gross_amount,
      netAmount: r.net_amount,
      accruedInterest: r.accrued_interest,
      commission: r.commission,
      fees: r.fees,
      ourReference: r.our_reference,
    },
    matchStatus: r.match_status,
    tradeId: r.trade_id,
    evaluatedVersion: r.evaluated_version,
    profile: r.profile,
    receivedAt: r.received_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    cancellation: r.cancelled_at === null ? null : { reason: r.cancel_reason!, by: r.cancelled_by!, at: r.cancelled_at.toISOString() },
  };
}

/** Confirmations, latest version per (sender, confirmation id). */
export class ConfirmationRepository {
  async bySenderReferences(em: EntityManager, refs: readonly { senderLei: string; confirmationId: string }[]): Promise<StoredConfirmation[]> {
    if (refs.length === 0) return [];
    const rows: ConfirmationRow[] = await em.query(
      `select ${confirmationColumns('c')} from unnest($1::text[], $2::text[]) as r(sender_lei, confirmation_id)
       join confirmations c on c.sender_lei = r.sender_lei and c.confirmation_id = r.confirmation_id`,
      [refs.map((r) => r.senderLei), refs.map((r) => r.confirmationId)],
    );
    return rows.map(storedConfirmation);
  }

  async byId(em: EntityManager, id: string): Promise<StoredConfirmation | null> {
    const rows: ConfirmationRow[] = await em.query(`select ${confirmationColumns()} from confirmations where id = $1`, [id]);
    return rows[0] ? storedConfirmation(rows[0]) : null;
  }

  async ofPairingKeys(em: EntityManager, keys: readonly PairingTerms[]): Promise<StoredConfirmation[]> {
    if (keys.length === 0) return [];
    const rows: ConfirmationRow[] = await em.query(
      `select ${confirmationColumns('c')} from ${PAIRING_KEYS_SOURCE}
       join confirmations c on c.sender_lei = k.lei and c.isin = k.isin and c.trade_date = k.trade_date and c.currency = k.currency and c.quantity = k.quantity`,
      pairingKeyParams(keys),
    );
    return rows.map(storedConfirmation);
  }

  /** Writes arriving confirmation versions with what matching decided for them, in one statement. */
  async saveVersions(
    em: EntityManager,
    versions: readonly { id: string; version: number; terms: ConfirmationTerms; receivedAt: string; match: ConfirmationMatchUpdate }[],
  ): Promise<void> {
    if (versions.length === 0) return;
    const term = <K extends keyof ConfirmationTerms>(key: K) => versions.map((v) => v.terms[key]);
    await em.query(
      `insert into confirmations (id, version, confirmation_id, sender_lei, receiver_lei, trade_date, settlement_date, side, isin, quantity, price,
         currency, gross_amount, net_amount, accrued_interest, our_reference, received_at, match_status, trade_id, evaluated_version, profile, updated_at, commission, fees)
       select * from unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::date[], $7::date[], $8::text[], $9::text[], $10::numeric[],
                   $11::numeric[], $12::text[], $13::numeric[], $14::numeric[], $15::numeric[], $16::text[], $17::timestamptz[], $18::text[], $19::uuid[],
                   $20::int[], $21::text[], $22::timestamptz[], $23::numeric[], $24::numeric[])
       on conflict (sender_lei, confirmation_id) do update set version = excluded.version, receiver_lei = excluded.receiver_lei,
         trade_date = excluded.trade_date, settlement_date = excluded.settlement_date, side = excluded.side, isin = excluded.isin,
         quantity = excluded.quantity, price = excluded.price, currency = excluded.currency, gross_amount = excluded.gross_amount,
         net_amount = excluded.net_amount, accrued_interest = excluded.accrued_interest, our_reference = excluded.our_reference, commission = excluded.commission, fees = excluded.fees,
         cancelled_at = null, cancelled_by = null, cancel_reason = null,
         received_at = excluded.received_at, match_status = excluded.match_status, trade_id = excluded.trade_id,
         evaluated_version = excluded.evaluated_version, profile = excluded.profile, updated_at = excluded.updated_at`,
      [
        versions.map((v) => v.id), versions.map((v) => v.version), term('confirmationId'), term('senderLei'), term('receiverLei'),
        term('tradeDate'), term('settlementDate'), term('side'), term('isin'), term('quantity'), term('price'), term('currency'),
        term('grossAmount'), term('netAmount'), term('accruedInterest'), term('ourReference'), versions.map((v) => v.receivedAt),
        versions.map((v) => v.match.status), versions.map((v) => v.match.tradeId), versions.map((v) => v.match.evaluatedVersion),
        versions.map((v) => v.match.profile), versions.map((v) => v.match.updatedAt), term('commission'), term('fees'),
      ],
    );
  }

  /** Marks the current version cancelled by its sender (a new version clears it). */
  async cancel(em: EntityManager, id: string, cancellation: { reason: string; by: string; at: string }): Promise<void> {
    await em.query('update confirmations set cancelled_at = $2, cancelled_by = $3, cancel_reason = $4 where id = $1', [id, cancellation.at, cancellation.by, cancellation.reason]);
  }

  async saveMatches(em: EntityManager, updates: readonly ConfirmationMatchUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    await em.query(
      `update confirmations c set match_status = u.status, trade_id = u.trade_id, evaluated_version = u.ev, profile = u.profile, updated_at = u.at
       from unnest($1::uuid[], $2::text[], $3::uuid[], $4::int[], $5::text[], $6::timestamptz[]) as u(id, status, trade_id, ev, profile, at)
       where c.id = u.id`,
      [
        updates.map((u) => u.id),
        updates.map((u) => u.status),
        updates.map((u) => u.tradeId),
        updates.map((u) => u.evaluatedVersion),
        updates.map((u) => u.profile),
        updates.map((u) => u.updatedAt),
      ],
    );
  }

  /** Confirmations in list order (received), optionally of one sender, status or reference. */
  async list(
    em: EntityManager,
    filter: { senderLei?: string; matchStatus?: MatchStatus; confirmationId?: string; after?: { receivedAt: string; id: string }; limit: number },
  ): Promise<StoredConfirmation[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.senderLei) where.push(`sender_lei = $${params.push(filter.senderLei)}`);
    if (filter.matchStatus) where.push(`match_status = $${params.push(filter.matchStatus)}`);
    if (filter.confirmationId) where.push(`confirmation_id = $${params.push(filter.confirmationId)}`);
    if (filter.after) where.push(`(received_at, id) > ($${params.push(filter.after.receivedAt)}::timestamptz, $${params.push(filter.after.id)}::uuid)`);
    const rows: ConfirmationRow[] = await em.query(
      `select ${confirmationColumns()} from confirmations ${where.length ? `where ${where.join(' and ')}` : ''}
       order by received_at, id limit $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(storedConfirmation);
  }

  /** Alleged confirmations in list order of the matches list (last change). */
  async alleged(
    em: EntityManager,
    filter: { after?: { updatedAt: string; id: string }; limit: number; senderLei?: string; tradeDate?: string; changedBy?: string },
  ): Promise<StoredConfirmation[]> {
    const params: unknown[] = [];
    let after = '';
    if (filter.after) after = `and (updated_at, id) > ($${params.push(filter.after.updatedAt)}::timestamptz, $${params.push(filter.after.id)}::uuid)`;
    if (filter.senderLei) after += ` and sender_lei = $${params.push(filter.senderLei)}`;
    if (filter.tradeDate) after += ` and trade_date = $${params.push(filter.tradeDate)}::date`;
    if (filter.changedBy) after += ` and updated_at <= $${params.push(filter.changedBy)}::timestamptz`;
    const rows: ConfirmationRow[] = await em.query(
      `select ${confirmationColumns()} from confirmations where match_status = 'ALLEGED' ${after} order by updated_at, id limit $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(storedConfirmation);
  }

}
