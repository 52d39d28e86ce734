import type { EntityManager } from 'typeorm';
import type { ComplianceOutcome, MatchStatus } from '@postrade/contracts';
import type { SettlementTradeTerms, Ssi, TradeGateState } from '../domain/settlement-trade';

interface TradeRow {
  trade_id: string;
  trade_date?: string | null;
  group_key: string | null;
  version: number | null;
  trade_status: SettlementTradeTerms['status'] | null;
  side: SettlementTradeTerms['side'];
  isin: string;
  quantity: string;
  net_amount: string;
  accrued_interest: string;
  currency: string;
  intended_settlement_date: string;
  settlement_market: SettlementTradeTerms['settlementMarket'];
  settlement_type: SettlementTradeTerms['settlementType'];
  counterparty_lei: string;
  legal_entity_lei: string;
  csdr_category: SettlementTradeTerms['csdrCategory'];
  price_type: SettlementTradeTerms['priceType'];
  our_agent_bic: string | null;
  our_safekeeping_account: string | null;
  our_cash_account: string | null;
  our_place_of_settlement: string | null;
  their_agent_bic: string | null;
  their_safekeeping_account: string | null;
  their_cash_account: string | null;
  their_place_of_settlement: string | null;
  match_status: MatchStatus | null;
  compliance_outcome: ComplianceOutcome | null;
  compliance_version: number | null;
  instruction_id: string | null;
}

/** Reads one side's SSI out of a row with `<prefix>_agent_bic`, … columns; null when not on file. */
export function ssiOf(row: Record<string, unknown>, prefix: 'our' | 'their'): Ssi | null {
  const agentBic = row[`${prefix}_agent_bic`] as string | null;
  if (agentBic === null || agentBic === undefined) return null;
  return {
    agentBic,
    safekeepingAccount: row[`${prefix}_safekeeping_account`] as string,
    cashAccount: row[`${prefix}_cash_account`] as string,
    placeOfSettlement: row[`${prefix}_place_of_settlement`] as string,
  };
}

export const ssiColumns = (ssi: Ssi | null) => [ssi?.agentBic ?? null, ssi?.safekeepingAccount ?? null, ssi?.cashAccount ?? null, ssi?.placeOfSettlement ?? null];

function toGate(row: TradeRow): TradeGateState & { groupKey: string | null } {
  return {
    tradeId: row.trade_id,
    groupKey: row.group_key,
    terms:
      row.version === null
        ? null
        : {
            tradeId: row.trade_id,
            version: row.version,
            status: row.trade_status!,
            side: row.side,
            isin: row.isin,
            quantity: row.quantity,
            netAmount: row.net_amount,
            accruedInterest: row.accrued_interest,
            currency: row.currency,
            intendedSettlementDate: row.intended_settlement_date,
            tradeDate: row.trade_date ?? null,
            settlementMarket: row.settlement_market,
            settlementType: row.settlement_type,
            counterpartyLei: row.counterparty_lei,
            legalEntityLei: row.legal_entity_lei,
            csdrCategory: row.csdr_category,
            priceType: row.price_type,
            ssis: { ours: ssiOf(row as unknown as Record<string, unknown>, 'our'), theirs: ssiOf(row as unknown as Record<string, unknown>, 'their') },
          },
    matchStatus: row.match_status,
    compliance: row.compliance_outcome === null ? null : { outcome: row.compliance_outcome, tradeVersion: row.compliance_version ?? 0 },
    instructionId: row.instruction_id,
  };
}

const SELECT = `select trade_id, group_key, version, trade_status, side, isin, quantity::text, net_amount::text, accrued_interest::text, currency,
  to_char(intended_settlement_date, 'YYYY-MM-DD') as intended_settlement_date, settlement_market, settlement_type, counterparty_lei,
  legal_entity_lei, csdr_category, price_type, our_agent_bic, our_safekeeping_account, our_cash_account, our_place_of_settlement,
  their_agent_bic, their_safekeeping_account, their_cash_account, their_place_of_settlement, match_status, compliance_outcome,
  compliance_version, instruction_id, to_char(trade_date, 'YYYY-MM-DD') as trade_date from settlement_trades`;

export type StoredTradeGate = TradeGateState & { groupKey: string | null };

/**
 * Transaction-scoped advisory locks on (`space`, each name), taken by one statement in the order of
 * their keys (a fixed order, whatever order the names come in; a hash shared by two names is one
 * lock). The same keys as one `pg_advisory_xact_lock(hashtext(space), hashtext(name))` each.
 */
async function lockInKeyOrder(em: EntityManager, space: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await em.query(
    `select pg_advisory_xact_lock(hashtext($1), k) from (
       select distinct hashtext(name) as k from unnest($2::text[]) as name order by 1
     ) as ordered`,
    [space, [...new Set(names)]],
  );
}

/** The gate state of a trade as a batch writes it: what the trade, matching and compliance streams said. */
export type TradeGateWrite = Omit<StoredTradeGate, 'instructionId'>;

/** What settlement knows of each trade: terms, match status, compliance decision, current instruction. */
export class TradeGateRepository {
  /**
   * Serialises the events of these trades (a trade's group can only change under its lock): one
   * transaction-scoped advisory lock per trade, all taken by one statement in the order of their
   * keys, so that two batches over the same trades in different orders cannot deadlock.
   */
  async lockTrades(em: EntityManager, tradeIds: readonly string[]): Promise<void> {
    await lockInKeyOrder(em, 'settlement-trade', tradeIds);
  }

  /**
   * Serialises all work on these settlement groups (trades netted together), in key order. Taken
   * after the trade locks, never before: no transaction waits for a trade lock while it holds a
   * group lock.
   */
  async lockGroups(em: EntityManager, groupKeys: readonly string[]): Promise<void> {
    await lockInKeyOrder(em, 'settlement-group', groupKeys);
  }

  async get(em: EntityManager, tradeId: string): Promise<StoredTradeGate | null> {
    const rows: TradeRow[] = await em.query(`${SELECT} where trade_id = $1`, [tradeId]);
    return rows[0] ? toGate(rows[0]) : null;
  }

  /** The trades on file among these ids (a trade no event has reached yet has no row). */
  async getMany(em: EntityManager, tradeIds: readonly string[]): Promise<Map<string, StoredTradeGate>> {
    if (tradeIds.length === 0) return new Map();
    const rows: TradeRow[] = await em.query(`${SELECT} where trade_id = any($1::uuid[])`, [[...new Set(tradeIds)]]);
    return new Map(rows.map((row) => [row.trade_id, toGate(row)]));
  }

  /** The members of each of these groups, by group key, each group in trade id order. */
  async inGroups(em: EntityManager, groupKeys: readonly string[]): Promise<Map<string, StoredTradeGate[]>> {
    const byGroup = new Map<string, StoredTradeGate[]>(groupKeys.map((key) => [key, []]));
    if (groupKeys.length === 0) return byGroup;
    const rows: TradeRow[] = await em.query(`${SELECT} where group_key = any($1::text[]) order by trade_id`, [[...byGroup.keys()]]);
    for (const row of rows) byGroup.get(row.group_key!)?.push(toGate(row));
    return byGroup;
  }

  /**
   * Writes the gate state of these trades in one statement, creating the rows of trades seen for
   * the first time. The instruction a trade points at is not written here (see `pointAt`): it
   * changes under the group's lock, the rest under the trade's.
   */
  async saveGates(em: EntityManager, gates: readonly TradeGateWrite[]): Promise<void> {
    if (gates.length === 0) return;
    const column = <T>(value: (g: TradeGateWrite) => T) => gates.map(value);
    const terms = <T>(value: (t: SettlementTradeTerms) => T) => gates.map((g) => (g.terms === null ? null : value(g.terms)));
    const ssi = (side: 'ours' | 'theirs', i: number) => gates.map((g) => ssiColumns(g.terms?.ssis[side] ?? null)[i]);
    await em.query(
      `insert into settlement_trades (trade_id, group_key, version, trade_status, side, isin, quantity, net_amount, accrued_interest, currency,
         intended_settlement_date, settlement_market, settlement_type, counterparty_lei, legal_entity_lei, csdr_category, price_type,
         our_agent_bic, our_safekeeping_account, our_cash_account, our_place_of_settlement,
         their_agent_bic, their_safekeeping_account, their_cash_account, their_place_of_settlement,
         match_status, compliance_outcome, compliance_version, trade_date)
       select * from unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::numeric[], $9::numeric[],
         $10::text[], $11::date[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[],
         $18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[],
         $26::text[], $27::text[], $28::int[], $29::date[])
       on conflict (trade_id) do update set group_key = excluded.group_key, version = excluded.version, trade_status = excluded.trade_status,
         side = excluded.side, isin = excluded.isin, quantity = excluded.quantity, net_amount = excluded.net_amount,
         accrued_interest = excluded.accrued_interest, currency = excluded.currency, intended_settlement_date = excluded.intended_settlement_date,
         settlement_market = excluded.settlement_market, settlement_type = excluded.settlement_type, counterparty_lei = excluded.counterparty_lei,
         legal_entity_lei = excluded.legal_entity_lei, csdr_category = excluded.csdr_category, price_type = excluded.price_type,
         our_agent_bic = excluded.our_agent_bic, our_safekeeping_account = excluded.our_safekeeping_account,
         our_cash_account = excluded.our_cash_account, our_place_of_settlement = excluded.our_place_of_settlement,
         their_agent_bic = excluded.their_agent_bic, their_safekeeping_account = excluded.their_safekeeping_account,
         their_cash_account = excluded.their_cash_account, their_place_of_settlement = excluded.their_place_of_settlement,
         match_status = excluded.match_status, compliance_outcome = excluded.compliance_outcome,
         compliance_version = excluded.compliance_version, trade_date = coalesce(excluded.trade_date, settlement_trades.trade_date), updated_at = now()`,
      [
        column((g) => g.tradeId),
        column((g) => g.groupKey),
        terms((t) => t.version),
        terms((t) => t.status),
        terms((t) => t.side),
        terms((t) => t.isin),
        terms((t) => t.quantity),
        terms((t) => t.netAmount),
        terms((t) => t.accruedInterest),
        terms((t) => t.currency),
        terms((t) => t.intendedSettlementDate),
        terms((t) => t.settlementMarket),
        terms((t) => t.settlementType),
        terms((t) => t.counterpartyLei),
        terms((t) => t.legalEntityLei),
        terms((t) => t.csdrCategory ?? null),
        terms((t) => t.priceType ?? null),
        ssi('ours', 0), ssi('ours', 1), ssi('ours', 2), ssi('ours', 3),
        ssi('theirs', 0), ssi('theirs', 1), ssi('theirs', 2), ssi('theirs', 3),
        column((g) => g.matchStatus),
        column((g) => g.compliance?.outcome ?? null),
        column((g) => g.compliance?.tradeVersion ?? null),
        terms((t) => t.tradeDate ?? null),
      ],
    );
  }

  /** Points each trade at the instruction that now settles it (null: none), in one statement. */
  async pointAt(em: EntityManager, pointers: readonly { tradeId: string; instructionId: string | null }[]): Promise<void> {
    if (pointers.length === 0) return;
    await em.query(
      `update settlement_trades t set instruction_id = p.instruction_id, updated_at = now()
         from unnest($1::uuid[], $2::uuid[]) as p (trade_id, instruction_id)
        where t.trade_id = p.trade_id`,
      [pointers.map((p) => p.tradeId), pointers.map((p) => p.instructionId)],
    );
  }
}
