import type { EntityManager } from 'typeorm';
import type { ComplianceOutcome, MatchStatus } from '@postrade/contracts';
import type { SettlementTradeTerms, Ssi, TradeGateState } from '../domain/settlement-trade';

interface TradeRow {
  trade_id: string;
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
  compliance_version, instruction_id from settlement_trades`;

export type StoredTradeGate = TradeGateState & { groupKey: string | null };

/** What settlement knows of each trade: terms, match status, compliance decision, current instruction. */
export class TradeGateRepository {
  /** Serialises the events of one trade (its group can only change under this lock). */
  async lockTrade(em: EntityManager, tradeId: string): Promise<void> {
    await em.query('select pg_advisory_xact_lock(hashtext($1), hashtext($2))', ['settlement-trade', tradeId]);
  }

  /** Serialises all work on one settlement group (a trade alone, or trades netted together). */
  async lockGroup(em: EntityManager, groupKey: string): Promise<void> {
    await em.query('select pg_advisory_xact_lock(hashtext($1), hashtext($2))', ['settlement-group', groupKey]);
  }

  async get(em: EntityManager, tradeId: string): Promise<StoredTradeGate | null> {
    const rows: TradeRow[] = await em.query(`${SELECT} where trade_id = $1`, [tradeId]);
    return rows[0] ? toGate(rows[0]) : null;
  }

  async inGroup(em: EntityManager, groupKey: string): Promise<StoredTradeGate[]> {
    const rows: TradeRow[] = await em.query(`${SELECT} where group_key = $1 order by trade_id`, [groupKey]);
    return rows.map(toGate);
  }

  /** Creates the trade's row if this is the first event about it. */
  async ensure(em: EntityManager, tradeId: string): Promise<void> {
    await em.query('insert into settlement_trades (trade_id) values ($1) on conflict (trade_id) do nothing', [tradeId]);
  }

  async saveTerms(em: EntityManager, terms: SettlementTradeTerms, groupKey: string): Promise<void> {
    await em.query(
      `update settlement_trades set group_key = $2, version = $3, trade_status = $4, side = $5, isin = $6, quantity = $7, net_amount = $8,
         accrued_interest = $9, currency = $10, intended_settlement_date = $11, settlement_market = $12, settlement_type = $13,
         counterparty_lei = $14, legal_entity_lei = $15, csdr_category = $16, price_type = $17,
         our_agent_bic = $18, our_safekeeping_account = $19, our_cash_account = $20, our_place_of_settlement = $21,
         their_agent_bic = $22, their_safekeeping_account = $23, their_cash_account = $24, their_place_of_settlement = $25, updated_at = now()
       where trade_id = $1`,
      [
        terms.tradeId, groupKey, terms.version, terms.status, terms.side, terms.isin, terms.quantity, terms.netAmount, terms.accruedInterest,
        terms.currency, terms.intendedSettlementDate, terms.settlementMarket, terms.settlementType, terms.counterpartyLei, terms.legalEntityLei,
        terms.csdrCategory, terms.priceType, ...ssiColumns(terms.ssis.ours), ...ssiColumns(terms.ssis.theirs),
      ],
    );
  }

  async saveMatchStatus(em: EntityManager, tradeId: string, status: MatchStatus): Promise<void> {
    await em.query('update settlement_trades set match_status = $2, updated_at = now() where trade_id = $1', [tradeId, status]);
  }

  async saveComplianceDecision(em: EntityManager, tradeId: string, outcome: ComplianceOutcome, tradeVersion: number): Promise<void> {
    await em.query('update settlement_trades set compliance_outcome = $2, compliance_version = $3, updated_at = now() where trade_id = $1', [tradeId, outcome, tradeVersion]);
  }

  async pointAt(em: EntityManager, tradeIds: readonly string[], instructionId: string | null): Promise<void> {
    if (tradeIds.length === 0) return;
    await em.query('update settlement_trades set instruction_id = $2, updated_at = now() where trade_id = any($1::uuid[])', [tradeIds, instructionId]);
  }

  /**
   * Gate state nothing will need again, untouched since `before`: trades cancelled or rejected by
   * compliance, trades whose instruction settled, and match or compliance news about a trade that
   * never arrived.
   */
  async deleteFinishedBefore(em: EntityManager, before: Date): Promise<number> {
    const rows: unknown[] = await em.query(
      `with gone as (
         delete from settlement_trades t
          where t.updated_at < $1
            and (t.trade_status = 'CANCELLED' or t.compliance_outcome = 'REJECTED' or t.version is null
                 or exists (select 1 from instructions i where i.instruction_id = t.instruction_id and i.settlement_status = 'SETTLED'))
         returning 1)
       select * from gone`,
      [before],
    );
    return rows.length;
  }
}
