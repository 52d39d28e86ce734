import type { EntityManager } from 'typeorm';
import type { InstructionHistoryEntry, SettlementStatus } from '@postrade/contracts';
import { custodianStateOf, settlementStatusOf, type InstructionStatus } from '../domain/instruction-status';
import type { InstructionTerms } from '../domain/settlement-instruction';
import { ssiColumns, ssiOf } from './trade-gate.repository';

/** An instruction as stored: its terms, its status, when it was made. */
export interface StoredInstruction {
  instructionId: string;
  reference: string;
  terms: InstructionTerms;
  status: InstructionStatus;
  /** The latest trade date of the trades it settles (a net instruction settles nothing before its last trade); null when none is known. */
  tradeDate?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface InstructionListFilter {
  settlementStatus?: SettlementStatus;
  intendedSettlementDate?: string;
  counterpartyLei?: string;
  /** Only instructions whose own-side SSI names this agent (a custodian key bound to it). */
  ourAgentBic?: string;
  after?: { createdAt: string; instructionId: string };
  limit: number;
}

const INSTANT = (column: string, alias: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ${alias}`;

const COLUMNS = `i.instruction_id, i.reference, i.type, i.direction, i.cash_direction, i.isin, i.quantity::text, i.settlement_amount::text,
  i.accrued_interest::text, i.currency, to_char(i.intended_settlement_date, 'YYYY-MM-DD') as intended_settlement_date, i.settlement_market,
  i.counterparty_lei, i.legal_entity_lei, i.csdr_category, i.price_type, i.netted,
  i.our_agent_bic, i.our_safekeeping_account, i.our_cash_account, i.our_place_of_settlement,
  i.their_agent_bic, i.their_safekeeping_account, i.their_cash_account, i.their_place_of_settlement,
  i.processing_status, i.pending_reason, i.matching_status, i.failing, i.party_hold, i.settled_quantity::text, i.settled_amount::text,
  i.failing_party, i.fail_reason_code, i.custodian, ${INSTANT('i.created_at', 'created_at')}, ${INSTANT('i.updated_at', 'updated_at')},
  (select array_agg(t.trade_id::text order by t.trade_id) from instruction_trades t where t.instruction_id = i.instruction_id) as trade_ids,
  (select to_char(max(st.trade_date), 'YYYY-MM-DD') from instruction_trades it join settlement_trades st on st.trade_id = it.trade_id
    where it.instruction_id = i.instruction_id) as trade_date`;

const SELECT = `select ${COLUMNS} from instructions i`;

/** An instruction's history as one column, oldest first, each entry as `history` returns it. */
const HISTORY = `(select coalesce(json_agg(json_build_object('at', to_char(h.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'event', h.event, 'details', h.details)
  order by h.id), '[]') from instruction_history h where h.instruction_id = i.instruction_id) as history`;

type Row = Record<string, any>;

function toInstruction(row: Row): StoredInstruction {
  return {
    instructionId: row.instruction_id,
    reference: row.reference,
    tradeDate: row.trade_date ?? null,
    terms: {
      tradeIds: row.trade_ids ?? [],
      type: row.type,
      direction: row.direction,
      cashDirection: row.cash_direction,
      isin: row.isin,
      quantity: row.quantity,
      settlementAmount: row.settlement_amount,
      accruedInterest: row.accrued_interest,
      currency: row.currency,
      intendedSettlementDate: row.intended_settlement_date,
      settlementMarket: row.settlement_market,
      counterpartyLei: row.counterparty_lei,
      legalEntityLei: row.legal_entity_lei,
      csdrCategory: row.csdr_category,
      priceType: row.price_type,
      netted: row.netted,
      ssis: { ours: ssiOf(row, 'our'), theirs: ssiOf(row, 'their') },
    },
    status: {
      processingStatus: row.processing_status,
      pendingReason: row.pending_reason,
      matchingStatus: row.matching_status,
      failing: row.failing,
      partyHold: row.party_hold,
      quantity: row.quantity,
      settlementAmount: row.settlement_amount,
      settledQuantity: row.settled_quantity,
      settledAmount: row.settled_amount,
      failingParty: row.failing_party,
      failReasonCode: row.fail_reason_code,
      custodian: custodianStateOf({ processingStatus: row.processing_status, custodian: row.custodian ?? {} }),
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Settlement instructions, the trades each settles, and their history. */
export class InstructionRepository {
  async get(em: EntityManager, instructionId: string, lock = false): Promise<StoredInstruction | null> {
    // `of i`: the lock is on the instruction row (the trade ids come from a subquery).
    const rows: Row[] = await em.query(`${SELECT} where i.instruction_id = $1${lock ? ' for update of i' : ''}`, [instructionId]);
    return rows[0] ? toInstruction(rows[0]) : null;
  }

  /**
   * Several instructions, in id order; with `lock`, their rows are locked in that order as they are
   * read, so that two transactions cannot deadlock.
   */
  async getMany(em: EntityManager, instructionIds: readonly string[], lock = false): Promise<StoredInstruction[]> {
    if (instructionIds.length === 0) return [];
    const rows: Row[] = await em.query(`${SELECT} where i.instruction_id = any($1::uuid[]) order by i.instruction_id${lock ? ' for update of i' : ''}`, [instructionIds]);
    return rows.map(toInstruction);
  }

  /**
   * Several instructions with their history, locked in id order as they are read (one statement):
   * what a batch of custodian updates needs to apply them and render its events.
   */
  async lockWithHistory(em: EntityManager, instructionIds: readonly string[]): Promise<{ instruction: StoredInstruction; history: InstructionHistoryEntry[] }[]> {
    if (instructionIds.length === 0) return [];
    const rows: Row[] = await em.query(
      `select ${COLUMNS}, ${HISTORY} from instructions i where i.instruction_id = any($1::uuid[]) order by i.instruction_id for update of i`,
      [instructionIds],
    );
    return rows.map((row) => ({ instruction: toInstruction(row), history: row.history }));
  }

  async insert(em: EntityManager, instructionId: string, reference: string, terms: InstructionTerms, status: InstructionStatus): Promise<void> {
    await em.query(
      `insert into instructions (instruction_id, reference, type, direction, cash_direction, isin, quantity, settlement_amount, accrued_interest, currency,
         intended_settlement_date, settlement_market, counterparty_lei, legal_entity_lei, csdr_category, price_type, netted,
         our_agent_bic, our_safekeeping_account, our_cash_account, our_place_of_settlement,
         their_agent_bic, their_safekeeping_account, their_cash_account, their_place_of_settlement,
         processing_status, pending_reason, matching_status, settlement_status, failing, party_hold, settled_quantity, settled_amount, custodian)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25,
         $26, $27, $28, $29, $30, $31, $32, $33, $34::jsonb)`,
      [
        instructionId, reference, terms.type, terms.direction, terms.cashDirection, terms.isin, terms.quantity, terms.settlementAmount,
        terms.accruedInterest, terms.currency, terms.intendedSettlementDate, terms.settlementMarket, terms.counterpartyLei, terms.legalEntityLei,
        terms.csdrCategory, terms.priceType, terms.netted, ...ssiColumns(terms.ssis.ours), ...ssiColumns(terms.ssis.theirs),
        status.processingStatus, status.pendingReason, status.matchingStatus, settlementStatusOf(status), status.failing, status.partyHold,
        status.settledQuantity, status.settledAmount, JSON.stringify(custodianStateOf(status)),
      ],
    );
    const params = terms.tradeIds.flatMap((tradeId) => [instructionId, tradeId]);
    const values = terms.tradeIds.map((_, i) => `($${2 * i + 1}::uuid, $${2 * i + 2}::uuid)`).join(', ');
    await em.query(`insert into instruction_trades (instruction_id, trade_id) values ${values}`, params);
  }

  /** New instructions and the trades each settles, in two statements whatever their number. */
  async insertMany(em: EntityManager, instructions: readonly Pick<StoredInstruction, 'instructionId' | 'reference' | 'terms' | 'status'>[]): Promise<void> {
    if (instructions.length === 0) return;
    const terms = <T>(value: (t: InstructionTerms) => T) => instructions.map((i) => value(i.terms));
    const status = <T>(value: (s: InstructionStatus) => T) => instructions.map((i) => value(i.status));
    const ssi = (side: 'ours' | 'theirs', k: number) => instructions.map((i) => ssiColumns(i.terms.ssis[side])[k]);
    await em.query(
      `insert into instructions (instruction_id, reference, type, direction, cash_direction, isin, quantity, settlement_amount, accrued_interest, currency,
         intended_settlement_date, settlement_market, counterparty_lei, legal_entity_lei, csdr_category, price_type, netted,
         our_agent_bic, our_safekeeping_account, our_cash_account, our_place_of_settlement,
         their_agent_bic, their_safekeeping_account, their_cash_account, their_place_of_settlement,
         processing_status, pending_reason, matching_status, settlement_status, failing, party_hold, settled_quantity, settled_amount, custodian)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::numeric[], $9::numeric[],
         $10::text[], $11::date[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::boolean[],
         $18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[],
         $26::text[], $27::text[], $28::text[], $29::text[], $30::boolean[], $31::boolean[], $32::numeric[], $33::numeric[], $34::jsonb[])`,
      [
        instructions.map((i) => i.instructionId), instructions.map((i) => i.reference),
        terms((t) => t.type), terms((t) => t.direction), terms((t) => t.cashDirection), terms((t) => t.isin), terms((t) => t.quantity),
        terms((t) => t.settlementAmount), terms((t) => t.accruedInterest), terms((t) => t.currency), terms((t) => t.intendedSettlementDate),
        terms((t) => t.settlementMarket), terms((t) => t.counterpartyLei), terms((t) => t.legalEntityLei), terms((t) => t.csdrCategory ?? null),
        terms((t) => t.priceType ?? null), terms((t) => t.netted),
        ssi('ours', 0), ssi('ours', 1), ssi('ours', 2), ssi('ours', 3), ssi('theirs', 0), ssi('theirs', 1), ssi('theirs', 2), ssi('theirs', 3),
        status((s) => s.processingStatus), status((s) => s.pendingReason), status((s) => s.matchingStatus), status((s) => settlementStatusOf(s)),
        status((s) => s.failing), status((s) => s.partyHold), status((s) => s.settledQuantity), status((s) => s.settledAmount),
        status((s) => JSON.stringify(custodianStateOf(s))),
      ],
    );
    const pairs = instructions.flatMap((i) => i.terms.tradeIds.map((tradeId) => [i.instructionId, tradeId] as const));
    await em.query('insert into instruction_trades (instruction_id, trade_id) select * from unnest($1::uuid[], $2::uuid[])', [
      pairs.map(([instructionId]) => instructionId),
      pairs.map(([, tradeId]) => tradeId),
    ]);
  }

  /**
   * A PENDING instruction's terms before it reaches the custodian (the trades it settles are
   * unchanged): every term the trades decide, so that nothing listed or rendered keeps a stale one
   * (an amended settlement date, side or amount as much as a completed SSI).
   */
  async updateTerms(em: EntityManager, instructionId: string, terms: InstructionTerms): Promise<void> {
    await em.query(
      `update instructions set quantity = $2, settlement_amount = $3, accrued_interest = $4, csdr_category = $5, price_type = $6,
         our_agent_bic = $7, our_safekeeping_account = $8, our_cash_account = $9, our_place_of_settlement = $10,
         their_agent_bic = $11, their_safekeeping_account = $12, their_cash_account = $13, their_place_of_settlement = $14,
         type = $15, direction = $16, cash_direction = $17, isin = $18, currency = $19, intended_settlement_date = $20::date,
         settlement_market = $21, counterparty_lei = $22, legal_entity_lei = $23, netted = $24, updated_at = now()
       where instruction_id = $1`,
      [
        instructionId, terms.quantity, terms.settlementAmount, terms.accruedInterest, terms.csdrCategory, terms.priceType,
        ...ssiColumns(terms.ssis.ours), ...ssiColumns(terms.ssis.theirs),
        terms.type, terms.direction, terms.cashDirection, terms.isin, terms.currency, terms.intendedSettlementDate,
        terms.settlementMarket, terms.counterpartyLei, terms.legalEntityLei, terms.netted,
      ],
    );
  }

  async saveStatus(em: EntityManager, instructionId: string, status: InstructionStatus): Promise<void> {
    await em.query(
      `update instructions set processing_status = $2, pending_reason = $3, matching_status = $4, settlement_status = $5, failing = $6,
         party_hold = $7, settled_quantity = $8, settled_amount = $9, failing_party = $10, fail_reason_code = $11, custodian = $12::jsonb, updated_at = now()
       where instruction_id = $1`,
      [
        instructionId, status.processingStatus, status.pendingReason, status.matchingStatus, settlementStatusOf(status), status.failing,
        status.partyHold, status.settledQuantity, status.settledAmount, status.failingParty, status.failReasonCode, JSON.stringify(custodianStateOf(status)),
      ],
    );
  }

  /** The status of several instructions, in one statement. */
  async saveStatuses(em: EntityManager, statuses: readonly { instructionId: string; status: InstructionStatus }[]): Promise<void> {
    if (statuses.length === 0) return;
    const column = <T>(value: (s: InstructionStatus) => T) => statuses.map((s) => value(s.status));
    await em.query(
      `update instructions i set processing_status = s.processing_status, pending_reason = s.pending_reason, matching_status = s.matching_status,
         settlement_status = s.settlement_status, failing = s.failing, party_hold = s.party_hold, settled_quantity = s.settled_quantity,
         settled_amount = s.settled_amount, failing_party = s.failing_party, fail_reason_code = s.fail_reason_code, custodian = s.custodian, updated_at = now()
         from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::boolean[], $8::numeric[], $9::numeric[], $10::text[], $11::text[], $12::jsonb[])
              as s (instruction_id, processing_status, pending_reason, matching_status, settlement_status, failing, party_hold, settled_quantity,
                    settled_amount, failing_party, fail_reason_code, custodian)
        where i.instruction_id = s.instruction_id`,
      [
        statuses.map((s) => s.instructionId), column((s) => s.processingStatus), column((s) => s.pendingReason), column((s) => s.matchingStatus),
        column((s) => settlementStatusOf(s)), column((s) => s.failing), column((s) => s.partyHold), column((s) => s.settledQuantity),
        column((s) => s.settledAmount), column((s) => s.failingParty), column((s) => s.failReasonCode), column((s) => JSON.stringify(custodianStateOf(s))),
      ],
    );
  }

  /** History entries of several instructions, in one statement; ids (the history's order) follow the list's order. */
  async addHistoryMany(em: EntityManager, entries: readonly { instructionId: string; event: string; details: Record<string, unknown> }[]): Promise<void> {
    if (entries.length === 0) return;
    await em.query(
      `insert into instruction_history (instruction_id, event, details)
       select instruction_id, event, details from unnest($1::uuid[], $2::text[], $3::jsonb[]) with ordinality as h (instruction_id, event, details, ord) order by ord`,
      [entries.map((e) => e.instructionId), entries.map((e) => e.event), entries.map((e) => JSON.stringify(e.details))],
    );
  }

  /** As `addHistoryMany`, returning each entry as stored (its time, its details as jsonb has them), in the list's order. */
  async appendHistory(
    em: EntityManager,
    entries: readonly { instructionId: string; event: string; details: Record<string, unknown> }[],
  ): Promise<InstructionHistoryEntry[]> {
    if (entries.length === 0) return [];
    const rows: { id: string; at: string; event: string; details: Record<string, unknown> }[] = await em.query(
      `insert into instruction_history (instruction_id, event, details)
       select instruction_id, event, details from unnest($1::uuid[], $2::text[], $3::jsonb[]) with ordinality as h (instruction_id, event, details, ord) order by ord
       returning id::text, ${INSTANT('at', 'at')}, event, details`,
      [entries.map((e) => e.instructionId), entries.map((e) => e.event), entries.map((e) => JSON.stringify(e.details))],
    );
    // Ids follow the list's order (rows are inserted in `ord` order); bigint ids as text: shorter is smaller.
    return rows
      .sort((a, b) => a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(({ at, event, details }) => ({ at, event, details }));
  }

  async addHistory(em: EntityManager, instructionId: string, event: string, details: Record<string, unknown>): Promise<void> {
    await em.query('insert into instruction_history (instruction_id, event, details) values ($1, $2, $3)', [instructionId, event, JSON.stringify(details)]);
  }

  async history(em: EntityManager, instructionIds: readonly string[]): Promise<Map<string, InstructionHistoryEntry[]>> {
    if (instructionIds.length === 0) return new Map();
    const rows: { instruction_id: string; at: string; event: string; details: Record<string, unknown> }[] = await em.query(
      `select instruction_id, ${INSTANT('at', 'at')}, event, details from instruction_history where instruction_id = any($1::uuid[]) order by instruction_id, id`,
      [instructionIds],
    );
    const byInstruction = new Map<string, InstructionHistoryEntry[]>(instructionIds.map((id) => [id, []]));
    for (const row of rows) byInstruction.get(row.instruction_id)?.push({ at: row.at, event: row.event, details: row.details });
    return byInstruction;
  }

  /** The replacements waiting for any of these instructions' cancellation at the custodian, locked in id order. */
  async awaitingCancellationOf(em: EntityManager, cancelledIds: readonly string[]): Promise<StoredInstruction[]> {
    if (cancelledIds.length === 0) return [];
    const rows: Row[] = await em.query(
      `${SELECT} where i.custodian -> 'awaitingCancellationOf' ?| $1::text[] order by i.instruction_id for update of i`,
      [cancelledIds],
    );
    return rows.map(toInstruction);
  }

  /** Instructions the custodian REJECTED that settle trades of these counterparties or legal entities (an SSI of theirs changed). */
  async rejectedFor(em: EntityManager, leis: readonly string[]): Promise<StoredInstruction[]> {
    if (leis.length === 0) return [];
    const rows: Row[] = await em.query(
      `${SELECT} where i.processing_status = 'REJECTED' and (i.counterparty_lei = any($1::text[]) or i.legal_entity_lei = any($1::text[])) order by i.instruction_id`,
      [leis],
    );
    return rows.map(toInstruction);
  }

  async list(em: EntityManager, filter: InstructionListFilter): Promise<StoredInstruction[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.settlementStatus) add('i.settlement_status = ?', filter.settlementStatus);
    if (filter.intendedSettlementDate) add('i.intended_settlement_date = ?::date', filter.intendedSettlementDate);
    if (filter.counterpartyLei) add('i.counterparty_lei = ?', filter.counterpartyLei);
    if (filter.ourAgentBic) add('i.our_agent_bic = ?', filter.ourAgentBic);
    if (filter.after) {
      params.push(filter.after.createdAt, filter.after.instructionId);
      where.push(`(i.created_at, i.instruction_id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(filter.limit);
    const rows: Row[] = await em.query(
      `${SELECT} ${where.length ? `where ${where.join(' and ')}` : ''} order by i.created_at, i.instruction_id limit $${params.length}`,
      params,
    );
    return rows.map(toInstruction);
  }
}
