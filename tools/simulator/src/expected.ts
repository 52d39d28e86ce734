import { Decimal, isSettlementBusinessDay, LocalDate, minorUnits, parseDecimal, roundToMinorUnit, toDecimalString } from '@postrade/kernel';
import type { ComplianceOutcome, MatchStatus, ProcessingStatus, SettlementStatus, TradeStatus } from '@postrade/contracts';
import { tradeAmounts } from './amounts';
import { planReconciliation, type ExpectedReconciliation } from './reconciliation-plan';
import type { ConfirmationBody, Scenario, ScenarioInstrument, ScenarioTrade, TradeTerms } from './scenario';

/**
 * What every service must end with, computed from the scenario alone by the rules of DOMAIN.md,
 * never by reading a service: per trade its capture status and version, match status and breaks,
 * compliance outcome and settlement; per book its positions and cash on both bases; the CSDR
 * penalties per counterparty; the dead letters the run must (and must only) cause.
 */
export interface ExpectedTrade {
  sourceTradeId: string;
  dayIndex: number;
  tradeDate: string;
  counterpartyLei: string;
  isin: string;
  market: string;
  settlementType: string;
  capture: { status: TradeStatus; version: number; quantity: string; price: string; netAmount: string; settlementDate: string };
  /** The match before operations act on it, on the processing day the confirmation arrives. */
  matchBeforeOps: MatchStatus;
  matching: { status: MatchStatus; breakCodes: number[] };
  /** The compliance outcome of the final version before operations act, and after. */
  complianceBeforeOps: ComplianceOutcome;
  compliance: { outcome: ComplianceOutcome; tradeVersion: number; holdRules: string[] };
  /** Operations' actions on this trade. */
  ops: { forceMatch: boolean; affirm: boolean; hold: 'RELEASE' | 'REJECT' | null };
  /** The processing day operations act on it (its confirmation's day). */
  opsDay: string;
  /** Straight through: affirmed by the profile and cleared, no human touched it. */
  straightThrough: boolean;
  settlement: ExpectedInstruction | null;
  /** What the custodian's answers to settlement's requests leave on the trade's instructions (absent in runs before it). */
  custodianCycle?: ExpectedCustodianCycle;
}

/**
 * The custodian's side of the trade's instructions (issue 17): the answer to the hold request on
 * an instruction it has (where the scenario makes that request certain), and whether that
 * instruction is cancelled there (our cancellation confirmed). Whatever else happens, at the
 * end every cancellation asked for is confirmed, nothing is held or asked of the depository on a
 * live instruction, and no exception is raised but a planned HOLD_REJECTED.
 */
export interface ExpectedCustodianCycle {
  hold: 'HOLD_CONFIRMED' | 'HOLD_REJECTED' | null;
  cancelledAtCustodian: boolean;
}

export interface ExpectedInstruction {
  processingStatus: ProcessingStatus;
  matchingStatus: 'MATCHED' | 'UNMATCHED';
  settlementStatus: SettlementStatus;
  settledQuantity: string;
  /** Null where the platform's answer is not a rule of DOMAIN.md (the settled amount of a FOP instruction). */
  settledAmount: string | null;
  quantity: string;
  settlementAmount: string;
  intendedSettlementDate: string;
  /**
   * The trade's first instruction was REJECTED by the custodian with this reason (a bad SSI),
   * stays REJECTED, and the live one above is its re-sent successor (absent or null: not rejected first).
   */
  rejectedFirst?: string | null;
}

export interface ExpectedPenalty {
  sourceTradeId: string;
  counterpartyLei: string;
  date: string;
  failedQuantity: string;
  referencePrice: string;
  rateBps: string;
  amount: string;
  currency: string;
  direction: 'PAY' | 'RECEIVE';
}

export interface PenaltyTotals {
  count: number;
  pay: string;
  receive: string;
}

/** Penalties counted and summed per counterparty and currency (key `<LEI> <currency>`), as DOMAIN.md aggregates them. */
export function penaltyTotals(penalties: readonly { counterpartyLei: string; currency: string; amount: string; direction: string }[]): Record<string, PenaltyTotals> {
  const out: Record<string, PenaltyTotals> = {};
  for (const p of penalties) {
    const row = (out[`${p.counterpartyLei} ${p.currency}`] ??= { count: 0, pay: '0', receive: '0' });
    row.count++;
    const decimals = minorUnits(p.currency);
    if (p.direction === 'PAY') row.pay = toDecimalString(new Decimal(row.pay).plus(p.amount), decimals);
    else row.receive = toDecimalString(new Decimal(row.receive).plus(p.amount), decimals);
  }
  return out;
}

/** Per book: ISIN or currency → amount (zero balances omitted). */
export type Balances = Record<string, Record<string, string>>;

export interface ExpectedState {
  runTag: string;
  sourceSystem: string;
  trades: ExpectedTrade[];
  positions: { TRADE_DATE: Balances; SETTLEMENT_DATE: Balances };
  cash: { TRADE_DATE: Balances; SETTLEMENT_DATE: Balances };
  /** Per counterparty, what it owes or is owed on the trade-date basis (pending plus settled), per asset: the other side of the books. */
  counterparties: Balances;
  penalties: ExpectedPenalty[];
  /** Count and sums per counterparty and currency, keyed `<LEI> <currency>`. */
  penaltiesByCounterparty: Record<string, PenaltyTotals>;
  /** Dead letters the run must cause: trade capture's rejections of stale versions. */
  deadLetters: { service: string; sourceTradeId: string; version: number }[];
  /** The statements and blotters sent to reconciliation, the differences injected, and the breaks that must be open (absent in runs before it). */
  reconciliation?: ExpectedReconciliation;
}

/**
 * Whether a free-of-payment trade's net amount is booked on the trade-date basis. Issue 17 reads
 * DOMAIN.md's "a FOP instruction moves securities only" as "FOP moves no cash": the ledger books no
 * cash for a FOP trade on either basis (its cash, if any, changes hands outside the depository and
 * is no pending settlement with the counterparty), and so does this model.
 */
export const FOP_TRADE_DATE_CASH = false;

/** DOMAIN.md's default matching profile: price exact (PERCENT 0), net amount 2 up to 100,000 and 25 above. */
function breakCodes(ours: { price: string; netAmount: string; settlementDate: string }, theirs: ConfirmationBody): number[] {
  const codes: number[] = [];
  if (ours.settlementDate !== theirs.settlementDate) codes.push(9);
  if (!new Decimal(ours.price).equals(theirs.price)) codes.push(7);
  const tolerance = new Decimal(ours.netAmount).abs().greaterThan(100000) ? 25 : 2;
  if (new Decimal(ours.netAmount).minus(theirs.netAmount).abs().greaterThan(tolerance)) codes.push(16);
  return codes.sort((a, b) => a - b);
}

/** Daily CSDR rates in basis points for a lack of securities (Delegated Regulation (EU) 2017/389). */
const CATEGORY_BPS: Record<string, string> = {
  LIQUID_SHARE: '1.0', ILLIQUID_SHARE: '0.5', SME_SHARE: '0.25', SOVEREIGN_DEBT: '0.10', OTHER_DEBT: '0.20', SME_DEBT: '0.15', OTHER: '0.5',
};
/**
 * A lack of cash (MONY, CMON) is charged at the currency's overnight credit rate in force that day:
 * for EUR the ECB's marginal lending facility rate, 2.40 % a year from 2025-06-11 (the last rate of
 * the ECB snapshot settlement is seeded with; a scenario never proposes another). The penalty is the
 * reference value × the annual percent / 36,500, rounded once at the end.
 */
const EUR_MARGINAL_LENDING_ANNUAL_PERCENT = '2.40';

const isCashFail = (reasonCode: string): boolean => reasonCode === 'MONY' || reasonCode === 'CMON';

/** The rate shown on a penalty, in basis points a day (a cash rate's annual / 365, to 10 decimals). */
function dailyRateBps(instrument: ScenarioInstrument, reasonCode: string): Decimal {
  if (isCashFail(reasonCode)) return new Decimal(EUR_MARGINAL_LENDING_ANNUAL_PERCENT).times(100).dividedBy(365).toDecimalPlaces(10, Decimal.ROUND_HALF_UP);
  return new Decimal(CATEGORY_BPS[instrument.csdrCategory]);
}

/** One day's penalty on a reference value, before rounding. */
function dailyPenalty(value: Decimal, instrument: ScenarioInstrument, reasonCode: string): Decimal {
  if (isCashFail(reasonCode)) return value.times(EUR_MARGINAL_LENDING_ANNUAL_PERCENT).dividedBy(36_500);
  return value.times(CATEGORY_BPS[instrument.csdrCategory]).dividedBy(10_000);
}

class BalanceSheet {
  private readonly values = new Map<string, Map<string, Decimal>>();

  add(owner: string, asset: string, amount: Decimal): void {
    const row = this.values.get(owner) ?? new Map<string, Decimal>();
    row.set(asset, (row.get(asset) ?? new Decimal(0)).plus(amount));
    this.values.set(owner, row);
  }

  render(decimalsOf: (asset: string) => number | undefined): Balances {
    const out: Balances = {};
    for (const owner of [...this.values.keys()].sort()) {
      const row: Record<string, string> = {};
      for (const asset of [...this.values.get(owner)!.keys()].sort()) {
        const value = this.values.get(owner)!.get(asset)!;
        if (!value.isZero()) row[asset] = toDecimalString(value, decimalsOf(asset));
      }
      if (Object.keys(row).length > 0) out[owner] = row;
    }
    return out;
  }
}

/** Whether the trade's cancellation happens: an intraday cancel always, a cancel after partial settlement only if it settled in part. */
function cancelApplies(trade: ScenarioTrade, instructed: boolean): boolean {
  return trade.cancel !== null && (trade.cancel.when === 'INTRADAY' || instructed);
}

/** The processing day a trade's confirmation arrives: its trade date, or the next processing day when late. */
export function confirmationDay(scenario: Scenario, trade: ScenarioTrade): string {
  if (trade.confirmation.timing !== 'LATE') return trade.tradeDate;
  const days = scenario.calendar.processingDays;
  return days[days.indexOf(trade.tradeDate) + 1] ?? trade.tradeDate;
}

export function computeExpectedState(scenario: Scenario): ExpectedState {
  const instruments = new Map(scenario.instruments.map((i) => [i.isin, i]));
  const manual = new Set(scenario.counterparties.filter((c) => c.profile === 'MANUAL').map((c) => c.lei));
  const { compliance } = scenario;
  const referencePrice = new Map(scenario.referencePrices.map((p) => [`${p.isin}|${p.date}`, p.price]));
  const positions = { TRADE_DATE: new BalanceSheet(), SETTLEMENT_DATE: new BalanceSheet() };
  const cash = { TRADE_DATE: new BalanceSheet(), SETTLEMENT_DATE: new BalanceSheet() };
  const counterparties = new BalanceSheet();
  const penalties: ExpectedPenalty[] = [];
  const deadLetters: ExpectedState['deadLetters'] = [];
  const trades: ExpectedTrade[] = [];

  for (const trade of scenario.trades) {
    const last = trade.versions[trade.versions.length - 1];
    const final: TradeTerms = last.terms;
    const instrument = instruments.get(final.isin)!;
    const amounts = tradeAmounts(instrument, final);
    const intradayCancel = trade.cancel?.when === 'INTRADAY';
    if (trade.stale) deadLetters.push({ service: 'trade-capture', sourceTradeId: trade.sourceTradeId, version: trade.stale.version });

    // Matching, before and after operations.
    const confirmation = trade.confirmation;
    const autoAffirm = !manual.has(final.counterpartyLei);
    const codes = confirmation.body && (confirmation.kind === 'PRICE' || confirmation.kind === 'NET' || confirmation.kind === 'AGREE') ? breakCodes({ ...final, ...amounts }, confirmation.body) : [];
    const paired = confirmation.kind === 'AGREE' || confirmation.kind === 'PRICE' || confirmation.kind === 'NET';
    let matchBeforeOps: MatchStatus = !paired ? 'UNMATCHED' : codes.length > 0 ? 'MISMATCHED' : autoAffirm ? 'AFFIRMED' : 'MATCHED';
    // Operations never work a trade cancelled during the day.
    const forceMatch = !intradayCancel && matchBeforeOps === 'MISMATCHED' && trade.ops.forceMatch;
    let matchStatus: MatchStatus = matchBeforeOps;
    if (forceMatch) matchStatus = 'AFFIRMED';
    const affirm = !intradayCancel && !autoAffirm && (matchBeforeOps === 'MATCHED' || forceMatch);
    if (affirm) matchStatus = 'AFFIRMED';
    const breaks = matchStatus === 'AFFIRMED' && !forceMatch ? [] : codes;

    // Compliance.
    const holdRules: string[] = [];
    if (final.isin === compliance.restrictedIsin) holdRules.push('RESTRICTED_LIST');
    if (final.counterpartyLei === compliance.sanctions.counterpartyLei) holdRules.push('SANCTIONS');
    if (final.counterpartyLei === compliance.cappedCounterpartyLei) holdRules.push('EXPOSURE_LIMIT');
    const complianceBeforeOps: ComplianceOutcome = holdRules.length > 0 ? 'HELD' : 'CLEARED';
    const hold = complianceBeforeOps === 'HELD' && !intradayCancel && trade.ops.holdAction !== 'NONE' ? trade.ops.holdAction : null;
    const outcome: ComplianceOutcome = hold === 'RELEASE' ? 'RELEASED' : hold === 'REJECT' ? 'REJECTED' : complianceBeforeOps;

    const instructed = !intradayCancel && matchStatus === 'AFFIRMED' && (outcome === 'CLEARED' || outcome === 'RELEASED');
    const cancelled = cancelApplies(trade, instructed);
    let breakCodesAfter = breaks;
    if (cancelled) {
      matchBeforeOps = intradayCancel ? 'CANCELLED' : matchBeforeOps;
      matchStatus = 'CANCELLED';
      breakCodesAfter = [];
    }
    const captureStatus: TradeStatus = cancelled ? 'CANCELLED' : trade.versions.length > 1 ? 'AMENDED' : 'CAPTURED';
    const captureVersion = cancelled ? trade.cancel!.version : last.version;

    // Settlement, as the custodian's reports and the days' closes leave it.
    let settlement: ExpectedInstruction | null = null;
    let settledQuantity = new Decimal(0);
    let settledAmount = new Decimal(0);
    const plan = trade.custodian;
    if (instructed && plan) {
      const full = plan.outcome === 'SETTLE' || plan.outcome === 'PARTIAL_SETTLE' || plan.outcome === 'FAIL_SETTLE';
      const partial = plan.outcome === 'PARTIAL_CANCEL';
      settledQuantity = full ? new Decimal(final.quantity) : partial ? new Decimal(plan.partialQuantity!) : new Decimal(0);
      settledAmount = full ? new Decimal(amounts.netAmount) : partial ? new Decimal(plan.partialAmount!) : new Decimal(0);
      const rejected = plan.outcome === 'REJECT';
      settlement = {
        processingStatus: rejected ? 'REJECTED' : 'INSTRUCTED',
        matchingStatus: rejected || plan.outcome === 'FAIL_UNMATCHED' ? 'UNMATCHED' : 'MATCHED',
        settlementStatus: full ? 'SETTLED' : rejected ? 'PENDING' : 'FAILING',
        settledQuantity: toDecimalString(settledQuantity),
        settledAmount: final.settlementType === 'FOP' ? null : toDecimalString(settledAmount, minorUnits(final.currency)),
        quantity: final.quantity,
        settlementAmount: amounts.netAmount,
        intendedSettlementDate: amounts.settlementDate,
        rejectedFirst: plan.ssiRepair?.reasonCode ?? null,
      };
      // CSDR penalties: the EU market only, and only a fail matched at the depository.
      if (instrument.settlementMarket === 'EU' && (plan.outcome === 'FAIL_SETTLE' || plan.outcome === 'FAIL_OPEN')) {
        const days = plan.outcome === 'FAIL_SETTLE' ? [plan.isd] : scenario.calendar.processingDays.filter((d) => !LocalDate.isBefore(d, plan.isd));
        for (const day of days.filter((d) => isSettlementBusinessDay('EU', d))) {
          const price = referencePrice.get(`${final.isin}|${day}`);
          if (price === undefined) continue;
          const rate = dailyRateBps(instrument, plan.reasonCode!);
          const value = parseDecimal(final.quantity, 'quantity').times(price);
          const amount = roundToMinorUnit(dailyPenalty(instrument.priceType === 'PERCENT_OF_PAR' ? value.dividedBy(100) : value, instrument, plan.reasonCode!), final.currency);
          if (amount.isZero()) continue;
          penalties.push({
            sourceTradeId: trade.sourceTradeId,
            counterpartyLei: final.counterpartyLei,
            date: day,
            failedQuantity: final.quantity,
            referencePrice: price,
            rateBps: toDecimalString(rate),
            amount: toDecimalString(amount, minorUnits(final.currency)),
            currency: final.currency,
            direction: plan.failingParty === 'US' ? 'PAY' : 'RECEIVE',
          });
        }
      }
    }

    // The books (DOMAIN.md "Ledger"): the trade date moves ±quantity and ∓net amount; what settled
    // moves on the settlement-date basis, and a FOP instruction settles securities only, no cash;
    // a cancellation takes back what has not settled.
    const sign = final.side === 'BUY' ? 1 : -1;
    const fop = final.settlementType === 'FOP';
    const settledCash = fop ? new Decimal(0) : settledAmount;
    const tradeQuantity = cancelled ? settledQuantity : new Decimal(final.quantity);
    const tradeCash = cancelled ? settledCash : fop && !FOP_TRADE_DATE_CASH ? new Decimal(0) : new Decimal(amounts.netAmount);
    positions.TRADE_DATE.add(final.book, final.isin, tradeQuantity.times(sign));
    positions.SETTLEMENT_DATE.add(final.book, final.isin, settledQuantity.times(sign));
    counterparties.add(final.counterpartyLei, final.isin, tradeQuantity.times(-sign));
    cash.TRADE_DATE.add(final.book, final.currency, tradeCash.times(-sign));
    cash.SETTLEMENT_DATE.add(final.book, final.currency, settledCash.times(-sign));
    counterparties.add(final.counterpartyLei, final.currency, tradeCash.times(sign));

    trades.push({
      sourceTradeId: trade.sourceTradeId,
      dayIndex: trade.dayIndex,
      tradeDate: trade.tradeDate,
      counterpartyLei: final.counterpartyLei,
      isin: final.isin,
      market: instrument.settlementMarket,
      settlementType: final.settlementType,
      capture: { status: captureStatus, version: captureVersion, quantity: final.quantity, price: final.price, netAmount: amounts.netAmount, settlementDate: amounts.settlementDate },
      matchBeforeOps,
      matching: { status: matchStatus, breakCodes: breakCodesAfter },
      complianceBeforeOps,
      compliance: { outcome, tradeVersion: last.version, holdRules },
      ops: { forceMatch, affirm, hold },
      opsDay: confirmationDay(scenario, trade),
      straightThrough: !cancelled && matchStatus === 'AFFIRMED' && !forceMatch && !affirm && outcome === 'CLEARED',
      settlement,
      custodianCycle: {
        hold: plan?.holdAnswer?.status ?? null,
        // Held on the custodian's books, then rejected by compliance: settlement cancels it there (a
        // trade cancelled after a partial settlement keeps its instruction, which settled in part).
        cancelledAtCustodian: plan?.holdAnswer !== undefined && outcome === 'REJECTED',
      },
    });
  }

  const currencyDecimals = (asset: string) => (/^[A-Z]{3}$/.test(asset) ? minorUnits(asset) : undefined);
  return {
    runTag: scenario.runTag,
    sourceSystem: scenario.sourceSystem,
    trades,
    positions: { TRADE_DATE: positions.TRADE_DATE.render(currencyDecimals), SETTLEMENT_DATE: positions.SETTLEMENT_DATE.render(currencyDecimals) },
    cash: { TRADE_DATE: cash.TRADE_DATE.render(currencyDecimals), SETTLEMENT_DATE: cash.SETTLEMENT_DATE.render(currencyDecimals) },
    counterparties: counterparties.render(currencyDecimals),
    penalties,
    penaltiesByCounterparty: penaltyTotals(penalties),
    deadLetters,
    reconciliation: planReconciliation(scenario, trades),
  };
}
