import type { CouponFrequency, DayCount, SsiResource, TradeResource } from '@postrade/contracts';
import type { CapturedTrade } from '../domain/trade';

/** The columns of `trades` a trade is rendered from, numerics and dates as written. */
export const TRADE_COLUMNS = `trade_id, source_system, source_trade_id, version, status, to_char(trade_date, 'YYYY-MM-DD') as trade_date,
  execution_time, side, isin, quantity::text, price::text, currency, gross_amount::text, accrued_interest::text, accrued_days,
  commission::text, fees::text, net_amount::text, to_char(settlement_date, 'YYYY-MM-DD') as settlement_date, settlement_cycle,
  settlement_market, settlement_type, book, instrument_description, instrument_asset_class, instrument_price_type,
  instrument_csdr_category, coupon_rate::text, coupon_frequency, day_count, to_char(issue_date, 'YYYY-MM-DD') as issue_date,
  to_char(first_coupon_date, 'YYYY-MM-DD') as first_coupon_date, to_char(maturity_date, 'YYYY-MM-DD') as maturity_date,
  minimum_denomination::text, denomination_increment::text, ex_coupon_days, counterparty_lei, counterparty_name, counterparty_bic,
  counterparty_country, legal_entity_lei, legal_entity_name, legal_entity_bic, our_agent_bic, our_safekeeping_account,
  our_cash_account, our_place_of_settlement, their_agent_bic, their_safekeeping_account, their_cash_account,
  their_place_of_settlement, exceptions, cancel_reason, created_at, updated_at`;

export interface TradeRow {
  trade_id: string;
  source_system: string;
  source_trade_id: string;
  version: number;
  status: TradeResource['status'];
  trade_date: string;
  execution_time: Date | null;
  side: TradeResource['side'];
  isin: string;
  quantity: string;
  price: string;
  currency: string;
  gross_amount: string;
  accrued_interest: string;
  accrued_days: number;
  commission: string;
  fees: string;
  net_amount: string;
  settlement_date: string;
  settlement_cycle: string;
  settlement_market: TradeResource['settlementMarket'];
  settlement_type: TradeResource['settlementType'];
  book: string;
  instrument_description: string;
  instrument_asset_class: TradeResource['instrument']['assetClass'];
  instrument_price_type: TradeResource['instrument']['priceType'];
  instrument_csdr_category: TradeResource['instrument']['csdrCategory'];
  coupon_rate: string | null;
  coupon_frequency: number | null;
  day_count: string | null;
  issue_date: string | null;
  first_coupon_date: string | null;
  maturity_date: string | null;
  minimum_denomination: string | null;
  denomination_increment: string | null;
  ex_coupon_days: number | null;
  counterparty_lei: string;
  counterparty_name: string;
  counterparty_bic: string;
  counterparty_country: string;
  legal_entity_lei: string;
  legal_entity_name: string;
  legal_entity_bic: string;
  our_agent_bic: string | null;
  our_safekeeping_account: string | null;
  our_cash_account: string | null;
  our_place_of_settlement: string | null;
  their_agent_bic: string | null;
  their_safekeeping_account: string | null;
  their_cash_account: string | null;
  their_place_of_settlement: string | null;
  exceptions: TradeResource['exceptions'];
  cancel_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const isBondRow = (r: TradeRow) => r.instrument_asset_class === 'GOVT_BOND' || r.instrument_asset_class === 'CORP_BOND';

function ssi(lei: string, r: TradeRow, side: 'our' | 'their'): SsiResource | null {
  const agentBic = r[`${side}_agent_bic`];
  if (agentBic === null) return null;
  return {
    lei,
    settlementMarket: r.settlement_market,
    currency: r.currency,
    agentBic,
    safekeepingAccount: r[`${side}_safekeeping_account`]!,
    cashAccount: r[`${side}_cash_account`]!,
    placeOfSettlement: r[`${side}_place_of_settlement`]!,
  };
}

/** Renders the trade resource from its row. */
export function tradeOf(r: TradeRow): CapturedTrade {
  const instrument: CapturedTrade['instrument'] = {
    description: r.instrument_description,
    assetClass: r.instrument_asset_class,
    priceType: r.instrument_price_type,
    csdrCategory: r.instrument_csdr_category,
  };
  if (isBondRow(r)) {
    Object.assign(instrument, {
      couponRate: r.coupon_rate,
      couponFrequency: r.coupon_frequency as CouponFrequency,
      dayCount: r.day_count as DayCount,
      issueDate: r.issue_date,
      firstCouponDate: r.first_coupon_date,
      maturityDate: r.maturity_date,
      minimumDenomination: r.minimum_denomination,
      denominationIncrement: r.denomination_increment,
      exCouponDays: r.ex_coupon_days,
    });
  }
  return {
    tradeId: r.trade_id,
    sourceSystem: r.source_system,
    sourceTradeId: r.source_trade_id,
    version: r.version,
    status: r.status,
    tradeDate: r.trade_date,
    executionTime: r.execution_time?.toISOString() ?? null,
    side: r.side,
    isin: r.isin,
    quantity: r.quantity,
    price: r.price,
    currency: r.currency,
    grossAmount: r.gross_amount,
    accruedInterest: r.accrued_interest,
    accruedDays: r.accrued_days,
    commission: r.commission,
    fees: r.fees,
    netAmount: r.net_amount,
    settlementDate: r.settlement_date,
    settlementCycle: r.settlement_cycle,
    settlementMarket: r.settlement_market,
    settlementType: r.settlement_type,
    book: r.book,
    instrument,
    counterparty: { lei: r.counterparty_lei, name: r.counterparty_name, bic: r.counterparty_bic, country: r.counterparty_country },
    legalEntity: { lei: r.legal_entity_lei, name: r.legal_entity_name, bic: r.legal_entity_bic },
    ssis: { ours: ssi(r.legal_entity_lei, r, 'our'), theirs: ssi(r.counterparty_lei, r, 'their') },
    exceptions: r.exceptions,
    cancelReason: r.cancel_reason,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Column names and values of a trade, in the same order, for an insert or update. */
export function columnsOf(t: CapturedTrade): [string[], unknown[]] {
  const i = t.instrument;
  const entries: [string, unknown][] = [
    ['trade_id', t.tradeId], ['source_system', t.sourceSystem], ['source_trade_id', t.sourceTradeId], ['version', t.version],
    ['status', t.status], ['trade_date', t.tradeDate], ['execution_time', t.executionTime], ['side', t.side], ['isin', t.isin],
    ['quantity', t.quantity], ['price', t.price], ['currency', t.currency], ['gross_amount', t.grossAmount],
    ['accrued_interest', t.accruedInterest], ['accrued_days', t.accruedDays], ['commission', t.commission], ['fees', t.fees],
    ['net_amount', t.netAmount], ['settlement_date', t.settlementDate], ['settlement_cycle', t.settlementCycle],
    ['settlement_market', t.settlementMarket], ['settlement_type', t.settlementType], ['book', t.book],
    ['instrument_description', i.description], ['instrument_asset_class', i.assetClass], ['instrument_price_type', i.priceType],
    ['instrument_csdr_category', i.csdrCategory], ['coupon_rate', i.couponRate ?? null], ['coupon_frequency', i.couponFrequency ?? null],
    ['day_count', i.dayCount ?? null], ['issue_date', i.issueDate ?? null], ['first_coupon_date', i.firstCouponDate ?? null],
    ['maturity_date', i.maturityDate ?? null], ['minimum_denomination', i.minimumDenomination ?? null],
    ['denomination_increment', i.denominationIncrement ?? null], ['ex_coupon_days', i.exCouponDays ?? null],
    ['counterparty_lei', t.counterparty.lei], ['counterparty_name', t.counterparty.name], ['counterparty_bic', t.counterparty.bic],
    ['counterparty_country', t.counterparty.country], ['legal_entity_lei', t.legalEntity.lei], ['legal_entity_name', t.legalEntity.name],
    ['legal_entity_bic', t.legalEntity.bic], ['our_agent_bic', t.ssis.ours?.agentBic ?? null],
    ['our_safekeeping_account', t.ssis.ours?.safekeepingAccount ?? null], ['our_cash_account', t.ssis.ours?.cashAccount ?? null],
    ['our_place_of_settlement', t.ssis.ours?.placeOfSettlement ?? null], ['their_agent_bic', t.ssis.theirs?.agentBic ?? null],
    ['their_safekeeping_account', t.ssis.theirs?.safekeepingAccount ?? null], ['their_cash_account', t.ssis.theirs?.cashAccount ?? null],
    ['their_place_of_settlement', t.ssis.theirs?.placeOfSettlement ?? null], ['exceptions', t.exceptions], ['cancel_reason', t.cancelReason],
    ['created_at', t.createdAt], ['updated_at', t.updatedAt],
  ];
  return [entries.map(([column]) => column), entries.map(([, value]) => value)];
}
