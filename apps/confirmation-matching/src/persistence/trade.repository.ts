import type { EntityManager } from 'typeorm';
import type { MatchBreak, MatchStatus } from '@postrade/contracts';
import type { OperatorDecision, OperatorPin, PairingTerms, TradeForMatching } from '../domain/matching';

/** A trade as stored: its terms and where matching last left it. */
export interface StoredTrade extends TradeForMatching {
  matchStatus: MatchStatus;
  confirmationId: string | null;
  evaluatedTradeVersion: number;
  evaluatedConfirmationVersion: number | null;
  profile: string;
  profileRevision: number;
  pin: OperatorPin | null;
  /** Pairs operations unmatched from this trade (read with it: no second round trip). */
  exclusions: readonly OperatorDecision[];
  /** Whether breaks are stored for it, so that only those are deleted when it is re-evaluated. */
  hasBreaks: boolean;
  updatedAt: string;
  /** US trades: the instant affirmation is due by (SEC 15c6-2); null elsewhere. */
  affirmationCutoff: string | null;
}

/**
 * The match queue filters: counterparty, trade date, age (last change at or before `changedBy`),
 * a break on a field, where a US trade stands against its affirmation cutoff (judged at `now`).
 */
export interface MatchListFilter {
  counterpartyLei?: string;
  tradeDate?: string;
  changedBy?: string;
  breakField?: string;
  cutoff?: 'MET' | 'AT_RISK' | 'MISSED';
  now?: string;
}

/** A force-match or manual affirm proposed under a four-eyes profile, waiting for someone else. */
export interface MatchRequest {
  requestId: string;
  tradeId: string;
  action: 'FORCE_MATCH' | 'AFFIRM';
  confirmationId: string | null;
  /** The versions the proposal was made on: approving it after either side changed is refused. */
  tradeVersion: number;
  confirmationVersion: number | null;
  reason: string | null;
  requestedBy: string;
  status: 'PENDING' | 'APPROVED' | 'DECLINED';
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

/** What one evaluation decided for a trade. */
export interface TradeMatchUpdate {
  tradeId: string;
  status: MatchStatus;
  confirmationId: string | null;
  evaluatedTradeVersion: number;
  evaluatedConfirmationVersion: number | null;
  profile: string;
  profileRevision: number;
  breaks: MatchBreak[];
  updatedAt: string;
}

/** SEC 15c6-2's same-day affirmation cutoff of a US trade: 9 pm New York time on its trade date (Postgres' time zone rules, DST included). */
const AFFIRMATION_CUTOFF_SQL = (a: string) => `((${a}trade_date + time '21:00') at time zone 'America/New_York')`;

/** The trade columns, dates and decimals as text, optionally qualified by a table alias. */
function tradeColumns(alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `${a}trade_id, ${a}source_trade_id, ${a}version, ${a}cancelled, ${a}counterparty_lei, ${a}isin, ${a}trade_date::text as trade_date,
    ${a}currency, ${a}quantity::text as quantity, ${a}side, ${a}settlement_date::text as settlement_date, ${a}price::text as price,
    ${a}gross_amount::text as gross_amount, ${a}net_amount::text as net_amount, ${a}accrued_interest::text as accrued_interest,
    ${a}match_status, ${a}confirmation_id, ${a}evaluated_trade_version, ${a}evaluated_confirmation_version, ${a}profile,
    ${a}profile_revision, ${a}pin_kind, ${a}pin_confirmation_id, ${a}pin_trade_version, ${a}pin_confirmation_version, ${a}updated_at,
    ${a}has_breaks, ${a}has_exclusions, ${a}legal_entity_lei, ${a}commission::text as commission, ${a}fees::text as fees, ${a}settlement_market,
    case when ${a}settlement_market = 'US' then ${AFFIRMATION_CUTOFF_SQL(a)} end as affirmation_cutoff`;
}

interface TradeRow {
  trade_id: string;
  source_trade_id: string;
  version: number;
  cancelled: boolean;
  counterparty_lei: string;
  isin: string;
  trade_date: string;
  currency: string;
  quantity: string;
  side: 'BUY' | 'SELL';
  settlement_date: string;
  price: string;
  gross_amount: string;
  net_amount: string;
  accrued_interest: string | null;
  match_status: MatchStatus;
  confirmation_id: string | null;
  evaluated_trade_version: number;
  evaluated_confirmation_version: number | null;
  profile: string;
  profile_revision: number;
  pin_kind: 'FORCED' | 'AFFIRMED' | null;
  pin_confirmation_id: string | null;
  pin_trade_version: number | null;
  pin_confirmation_version: number | null;
  updated_at: Date;
  has_breaks: boolean;
  has_exclusions: boolean;
  legal_entity_lei: string | null;
  commission: string | null;
  fees: string | null;
  settlement_market: string | null;
  affirmation_cutoff: Date | null;
}

function storedTrade(r: TradeRow, exclusions: ReadonlyMap<string, OperatorDecision[]>): StoredTrade {
  return {
    tradeId: r.trade_id,
    sourceTradeId: r.source_trade_id,
    version: r.version,
    cancelled: r.cancelled,
    counterpartyLei: r.counterparty_lei,
    isin: r.isin,
    tradeDate: r.trade_date,
    currency: r.currency,
    quantity: r.quantity,
    side: r.side,
    settlementDate: r.settlement_date,
    price: r.price,
    grossAmount: r.gross_amount,
    netAmount: r.net_amount,
    accruedInterest: r.accrued_interest,
    legalEntityLei: r.legal_entity_lei,
    commission: r.commission,
    fees: r.fees,
    settlementMarket: r.settlement_market,
    affirmationCutoff: r.affirmation_cutoff === null ? null : r.affirmation_cutoff.toISOString(),
    matchStatus: r.match_status,
    confirmationId: r.confirmation_id,
    evaluatedTradeVersion: r.evaluated_trade_version,
    evaluatedConfirmationVersion: r.evaluated_confirmation_version,
    profile: r.profile,
    profileRevision: r.profile_revision,
    pin:
      r.pin_kind === null
        ? null
        : { kind: r.pin_kind, tradeId: r.trade_id, confirmationId: r.pin_confirmation_id!, tradeVersion: r.pin_trade_version!, confirmationVersion: r.pin_confirmation_version! },
    exclusions: exclusions.get(r.trade_id) ?? [],
    hasBreaks: r.has_breaks,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Unnests pairing keys as a join source: one indexed lookup per key, never a scan of open items. */
export const PAIRING_KEYS_SOURCE = `unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::numeric[]) as k(lei, isin, trade_date, currency, quantity)`;
export const pairingKeyParams = (keys: readonly PairingTerms[]): unknown[] => [
  keys.map((k) => k.counterpartyLei),
  keys.map((k) => k.isin),
  keys.map((k) => k.tradeDate),
  keys.map((k) => k.currency),
  keys.map((k) => k.quantity),
];

/** Trades as matching holds them (latest version), their breaks and operator decisions. */
export class TradeRepository {
  /** The trades of rows, with the exclusions of those flagged as having any (one more statement only then). */
  private async stored(em: EntityManager, rows: readonly TradeRow[]): Promise<StoredTrade[]> {
    const flagged = rows.filter((r) => r.has_exclusions).map((r) => r.trade_id);
    const exclusions = new Map<string, OperatorDecision[]>();
    if (flagged.length > 0) {
      const decisions: OperatorDecision[] = await em.query(
        `select trade_id as "tradeId", confirmation_id as "confirmationId", trade_version as "tradeVersion", confirmation_version as "confirmationVersion"
         from match_exclusions where trade_id = any($1::uuid[]) order by trade_id, confirmation_id`,
        [flagged],
      );
      for (const d of decisions) exclusions.set(d.tradeId, [...(exclusions.get(d.tradeId) ?? []), d]);
    }
    return rows.map((r) => storedTrade(r, exclusions));
  }

  async byIds(em: EntityManager, tradeIds: readonly string[]): Promise<StoredTrade[]> {
    if (tradeIds.length === 0) return [];
    const rows: TradeRow[] = await em.query(`select ${tradeColumns()} from trades where trade_id = any($1::uuid[])`, [tradeIds]);
    return this.stored(em, rows);
  }

  async ofPairingKeys(em: EntityManager, keys: readonly PairingTerms[]): Promise<StoredTrade[]> {
    if (keys.length === 0) return [];
    const rows: TradeRow[] = await em.query(
      `select ${tradeColumns('t')} from ${PAIRING_KEYS_SOURCE}
       join trades t on t.counterparty_lei = k.lei and t.isin = k.isin and t.trade_date = k.trade_date and t.currency = k.currency and t.quantity = k.quantity`,
      pairingKeyParams(keys),
    );
    return this.stored(em, rows);
  }

  /**
   * Writes arriving trade versions with what matching decided for them, in one statement: new
   * trades are inserted, held ones get their new terms (operator decisions stay on the row).
   */
  async saveVersions(em: EntityManager, rows: readonly { trade: TradeForMatching; match: TradeMatchUpdate }[]): Promise<void> {
    if (rows.length === 0) return;
    const term = <K extends keyof TradeForMatching>(key: K) => rows.map((r) => r.trade[key]);
    const match = <K extends keyof TradeMatchUpdate>(key: K) => rows.map((r) => r.match[key]);
    await em.query(
      `insert into trades (trade_id, source_trade_id, version, cancelled, counterparty_lei, isin, trade_date, currency, quantity, side,
         settlement_date, price, gross_amount, net_amount, accrued_interest, match_status, confirmation_id, evaluated_trade_version,
         evaluated_confirmation_version, profile, profile_revision, updated_at, has_breaks, legal_entity_lei, commission, fees, settlement_market, received_at)
       select t.*, t.updated_at
       from unnest($1::uuid[], $2::text[], $3::int[], $4::boolean[], $5::text[], $6::text[], $7::date[], $8::text[], $9::numeric[], $10::text[],
                   $11::date[], $12::numeric[], $13::numeric[], $14::numeric[], $15::numeric[], $16::text[], $17::text[], $18::int[], $19::int[],
                   $20::text[], $21::int[], $22::timestamptz[], $23::boolean[], $24::text[], $25::numeric[], $26::numeric[], $27::text[])
         as t(trade_id, source_trade_id, version, cancelled, counterparty_lei, isin, trade_date, currency, quantity, side, settlement_date, price,
              gross_amount, net_amount, accrued_interest, match_status, confirmation_id, evaluated_trade_version, evaluated_confirmation_version,
              profile, profile_revision, updated_at, has_breaks, legal_entity_lei, commission, fees, settlement_market)
       on conflict (trade_id) do update set source_trade_id = excluded.source_trade_id, version = excluded.version, cancelled = excluded.cancelled,
         counterparty_lei = excluded.counterparty_lei, isin = excluded.isin, trade_date = excluded.trade_date, currency = excluded.currency,
         quantity = excluded.quantity, side = excluded.side, settlement_date = excluded.settlement_date, price = excluded.price,
         gross_amount = excluded.gross_amount, net_amount = excluded.net_amount, accrued_interest = excluded.accrued_interest,
         match_status = excluded.match_status, confirmation_id = excluded.confirmation_id, evaluated_trade_version = excluded.evaluated_trade_version,
         evaluated_confirmation_version = excluded.evaluated_confirmation_version, profile = excluded.profile,
         profile_revision = excluded.profile_revision, updated_at = excluded.updated_at, has_breaks = excluded.has_breaks,
         legal_entity_lei = excluded.legal_entity_lei, commission = excluded.commission, fees = excluded.fees,
         settlement_market = excluded.settlement_market`,
      [
        term('tradeId'), term('sourceTradeId'), term('version'), term('cancelled'), term('counterpartyLei'), term('isin'), term('tradeDate'),
        term('currency'), term('quantity'), term('side'), term('settlementDate'), term('price'), term('grossAmount'), term('netAmount'),
        term('accruedInterest'), match('status'), match('confirmationId'), match('evaluatedTradeVersion'), match('evaluatedConfirmationVersion'),
        match('profile'), match('profileRevision'), match('updatedAt'), rows.map((r) => r.match.breaks.length > 0), term('legalEntityLei'),
        term('commission'), term('fees'), term('settlementMarket'),
      ],
    );
  }

  /** Writes what matching decided for held trades whose terms did not change. */
  async saveMatches(em: EntityManager, updates: readonly TradeMatchUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    await em.query(
      `update trades t set match_status = u.status, confirmation_id = u.confirmation_id, evaluated_trade_version = u.tv,
         evaluated_confirmation_version = u.cv, profile = u.profile, profile_revision = u.revision, updated_at = u.at, has_breaks = u.has_breaks
       from unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::int[], $8::timestamptz[], $9::boolean[])
         as u(trade_id, status, confirmation_id, tv, cv, profile, revision, at, has_breaks)
       where t.trade_id = u.trade_id`,
      [
        updates.map((u) => u.tradeId),
        updates.map((u) => u.status),
        updates.map((u) => u.confirmationId),
        updates.map((u) => u.evaluatedTradeVersion),
        updates.map((u) => u.evaluatedConfirmationVersion),
        updates.map((u) => u.profile),
        updates.map((u) => u.profileRevision),
        updates.map((u) => u.updatedAt),
        updates.map((u) => u.breaks.length > 0),
      ],
    );
  }

  /**
   * Replaces the breaks of the trades re-evaluated: deletes those that had breaks stored, inserts
   * the new ones; at most two statements, whatever their number.
   */
  async replaceBreaks(em: EntityManager, updates: readonly (TradeMatchUpdate & { hadBreaks: boolean })[]): Promise<void> {
    const stale = updates.filter((u) => u.hadBreaks).map((u) => u.tradeId);
    if (stale.length > 0) await em.query('delete from match_breaks where trade_id = any($1::uuid[])', [stale]);
    const breaks = updates.flatMap((u) => u.breaks.map((b, position) => ({ tradeId: u.tradeId, position, ...b })));
    if (breaks.length === 0) return;
    await em.query(
      `insert into match_breaks (trade_id, position, field, ours, theirs, rule, tolerance, reason_code)
       select * from unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])`,
      [
        breaks.map((b) => b.tradeId),
        breaks.map((b) => b.position),
        breaks.map((b) => b.field),
        breaks.map((b) => b.ours),
        breaks.map((b) => b.theirs),
        breaks.map((b) => b.rule),
        breaks.map((b) => b.tolerance),
        breaks.map((b) => b.reasonCode),
      ],
    );
  }

  async breaksOf(em: EntityManager, tradeIds: readonly string[]): Promise<Map<string, MatchBreak[]>> {
    const rows: (MatchBreak & { tradeId: string })[] = await em.query(
      `select trade_id as "tradeId", field, ours, theirs, rule, tolerance, reason_code as "reasonCode"
       from match_breaks where trade_id = any($1::uuid[]) order by trade_id, position`,
      [tradeIds],
    );
    const byTrade = new Map<string, MatchBreak[]>();
    for (const { tradeId, ...b } of rows) byTrade.set(tradeId, [...(byTrade.get(tradeId) ?? []), b]);
    return byTrade;
  }

  async exclude(em: EntityManager, decision: OperatorDecision): Promise<void> {
    await em.query(
      `insert into match_exclusions (trade_id, confirmation_id, trade_version, confirmation_version) values ($1, $2, $3, $4)
       on conflict (trade_id, confirmation_id) do update set trade_version = $3, confirmation_version = $4`,
      [decision.tradeId, decision.confirmationId, decision.tradeVersion, decision.confirmationVersion],
    );
    await em.query('update trades set has_exclusions = true where trade_id = $1 and not has_exclusions', [decision.tradeId]);
  }

  async pin(em: EntityManager, pin: OperatorPin | { tradeId: string; kind: null }): Promise<void> {
    const p = pin.kind === null ? null : pin;
    await em.query(
      'update trades set pin_kind = $2, pin_confirmation_id = $3, pin_trade_version = $4, pin_confirmation_version = $5 where trade_id = $1',
      [pin.tradeId, p?.kind ?? null, p?.confirmationId ?? null, p?.tradeVersion ?? null, p?.confirmationVersion ?? null],
    );
  }

  async recordAction(
    em: EntityManager,
    action: {
      actionId: string;
      tradeId: string;
      action: 'FORCE_MATCH' | 'UNMATCH' | 'AFFIRM' | 'DK';
      confirmationId: string | null;
      reason: string | null;
      actedBy: string;
      actedAt: string;
      approvedBy?: string | null;
    },
  ): Promise<void> {
    await em.query(
      'insert into match_actions (action_id, trade_id, action, confirmation_id, reason, acted_by, acted_at, approved_by) values ($1, $2, $3, $4, $5, $6, $7, $8)',
      [action.actionId, action.tradeId, action.action, action.confirmationId, action.reason, action.actedBy, action.actedAt, action.approvedBy ?? null],
    );
  }

  async actionsOf(
    em: EntityManager,
    tradeId: string,
  ): Promise<{ action: string; confirmationId: string | null; reason: string | null; actedBy: string; actedAt: string; approvedBy: string | null }[]> {
    const rows: { action: string; confirmation_id: string | null; reason: string | null; acted_by: string; acted_at: Date; approved_by: string | null }[] = await em.query(
      'select action, confirmation_id, reason, acted_by, acted_at, approved_by from match_actions where trade_id = $1 order by acted_at, action_id',
      [tradeId],
    );
    return rows.map((r) => ({ action: r.action, confirmationId: r.confirmation_id, reason: r.reason, actedBy: r.acted_by, actedAt: r.acted_at.toISOString(), approvedBy: r.approved_by }));
  }

  async insertRequest(em: EntityManager, r: MatchRequest): Promise<void> {
    await em.query(
      `insert into match_requests (request_id, trade_id, action, confirmation_id, trade_version, confirmation_version, reason, requested_by, status, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [r.requestId, r.tradeId, r.action, r.confirmationId, r.tradeVersion, r.confirmationVersion, r.reason, r.requestedBy, r.status, r.createdAt],
    );
  }

  async decideRequest(em: EntityManager, r: MatchRequest): Promise<void> {
    await em.query('update match_requests set status = $2, decided_by = $3, decided_at = $4 where request_id = $1', [r.requestId, r.status, r.decidedBy, r.decidedAt]);
  }

  /** A trade's requests, oldest first (the trade's row lock orders their changes). */
  async requestsOf(em: EntityManager, tradeId: string): Promise<MatchRequest[]> {
    const rows: Record<string, unknown>[] = await em.query(
      `select request_id, trade_id, action, confirmation_id, trade_version, confirmation_version, reason, requested_by, status, created_at, decided_by, decided_at
       from match_requests where trade_id = $1 order by created_at, request_id`,
      [tradeId],
    );
    return rows.map((r) => ({
      requestId: r.request_id as string,
      tradeId: r.trade_id as string,
      action: r.action as MatchRequest['action'],
      confirmationId: r.confirmation_id as string | null,
      tradeVersion: r.trade_version as number,
      confirmationVersion: r.confirmation_version as number | null,
      reason: r.reason as string | null,
      requestedBy: r.requested_by as string,
      status: r.status as MatchRequest['status'],
      createdAt: (r.created_at as Date).toISOString(),
      decidedBy: r.decided_by as string | null,
      decidedAt: r.decided_at === null ? null : (r.decided_at as Date).toISOString(),
    }));
  }

  /** Trades in a status (all when none), in list order, after a position. */
  async list(em: EntityManager, filter: MatchListFilter & { status?: MatchStatus; after?: { updatedAt: string; id: string }; limit: number }): Promise<StoredTrade[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.status) where.push(`match_status = $${params.push(filter.status)}`);
    if (filter.counterpartyLei) where.push(`counterparty_lei = $${params.push(filter.counterpartyLei)}`);
    if (filter.tradeDate) where.push(`trade_date = $${params.push(filter.tradeDate)}::date`);
    if (filter.changedBy) where.push(`updated_at <= $${params.push(filter.changedBy)}::timestamptz`);
    if (filter.breakField) where.push(`has_breaks and exists (select from match_breaks b where b.trade_id = trades.trade_id and b.field = $${params.push(filter.breakField)})`);
    if (filter.cutoff) {
      const now = `$${params.push(filter.now)}::timestamptz`;
      const cutoff = AFFIRMATION_CUTOFF_SQL('');
      const open = `match_status not in ('AFFIRMED', 'CANCELLED')`;
      const condition = {
        MET: `match_status = 'AFFIRMED' and updated_at <= ${cutoff}`,
        AT_RISK: `${open} and ${now} <= ${cutoff}`,
        MISSED: `((match_status = 'AFFIRMED' and updated_at > ${cutoff}) or (${open} and ${now} > ${cutoff}))`,
      }[filter.cutoff];
      where.push(`settlement_market = 'US' and ${condition}`);
    }
    if (filter.after) where.push(`(updated_at, trade_id) > ($${params.push(filter.after.updatedAt)}::timestamptz, $${params.push(filter.after.id)}::uuid)`);
    const rows: TradeRow[] = await em.query(
      `select ${tradeColumns()} from trades ${where.length ? `where ${where.join(' and ')}` : ''} order by updated_at, trade_id limit $${params.push(filter.limit)}`,
      params,
    );
    return this.stored(em, rows);
  }

}
