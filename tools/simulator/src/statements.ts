import { Decimal, LocalDate, minorUnits, toDecimalString } from '@postrade/kernel';
import { FREE_OF_PAYMENT_CURRENCY, type Blotter, type BlotterTrade, type CashLine, type HoldingLine, type Statement, type TransactionLine } from './reconciliation-formats';
import { tradeAmounts } from './amounts';
import type { ExpectedTrade } from './expected';
import type { Scenario, ScenarioTrade } from './scenario';

/**
 * The outside world's books, as the custodian and the OMS keep them, and the statements and
 * blotters they send from them: pure functions, the same for the actors (built from what the
 * custodian actually answered) and for the expected state (built from the scenario). Decimals are
 * strings here (the actors' and the expected state's JSON); the reconciliation service's model,
 * with Decimals, is built only at the edge (`toStatement`, `toBlotter`).
 */

/** One settlement the custodian reported: a posting in its own books. */
export interface CustodianMovement {
  /** The custodian's own reference of the posting (its status update's id); unique. */
  reference: string;
  sourceTradeId: string;
  /** Our instruction id, echoed on the statement; null in the expected view (not known before the run). */
  instructionId: string | null;
  safekeepingAccount: string;
  cashAccount: string;
  isin: string;
  direction: 'RECEIVE' | 'DELIVER';
  quantity: string;
  /** The cash that moved; null for a free-of-payment settlement (no cash). */
  amount: string | null;
  currency: string;
  settlementDate: string;
}

/** One of our SSIs' account pairs: the safekeeping account (securities) and the cash account. */
export interface OurAccount {
  legalEntityLei: string;
  market: string;
  currency: string;
  safekeepingAccount: string;
  cashAccount: string;
}

export type StatementKind = 'HOLDINGS' | 'TRANSACTIONS' | 'CASH';
/** XML, JSON and CSV by `POST /statements`; KAFKA: the JSON form on `statements.inbound.v1`. */
export type StatementForm = 'XML' | 'JSON' | 'CSV' | 'KAFKA';
export type BlotterForm = 'JSON' | 'CSV';

/**
 * A difference injected into a statement: a line's quantity (HOLDINGS: the ISIN's; TRANSACTIONS:
 * the trade's posting of the day) or amount (CASH: the currency's) changed by `delta`, a line
 * dropped, or a line the custodian's books do not have added (`line`, in the JSON line form).
 */
export type StatementInjection =
  | { kind: 'QUANTITY'; target: string; delta: string }
  | { kind: 'AMOUNT'; target: string; delta: string }
  | { kind: 'DROP'; target: string }
  | { kind: 'EXTRA'; line: Record<string, string | null> };

/** A difference injected into a blotter: a trade's price changed by `delta`, or the trade left out. */
export type BlotterInjection = { kind: 'PRICE'; sourceTradeId: string; delta: string } | { kind: 'MISSING'; sourceTradeId: string };

/** A blotter line as the OMS writes it (decimal strings). */
export interface BlotterLine {
  sourceTradeId: string;
  isin: string;
  side: 'BUY' | 'SELL';
  quantity: string;
  price: string;
  currency: string;
  counterpartyLei: string;
}

const plain = (value: Decimal) => toDecimalString(value);
const sign = (direction: 'RECEIVE' | 'DELIVER') => (direction === 'RECEIVE' ? 1 : -1);

/** Our SSIs' accounts (each of our legal entities, each market and currency it trades in), in account order. */
export function ourAccounts(scenario: Scenario): OurAccount[] {
  const ours = new Set(scenario.legalEntities.map((l) => l.lei));
  return scenario.ssis
    .filter((s) => ours.has(s.lei))
    .map((s) => ({ legalEntityLei: s.lei, market: s.market, currency: s.currency, safekeepingAccount: s.safekeepingAccount, cashAccount: s.cashAccount }))
    .sort((a, b) => a.safekeepingAccount.localeCompare(b.safekeepingAccount) || a.cashAccount.localeCompare(b.cashAccount));
}

/**
 * The postings the custodian must have made by the scenario: per instructed trade, what its plan
 * settles on which day (DOMAIN.md "Settlement"; the same reports custodian.ts sends): all on the
 * intended date, or a part then the rest the next settlement day, or all the next day after a
 * fail, or a part before the trade is cancelled; nothing for a fail that stays open, an unmatched
 * fail or a rejection. Free of payment moves no cash.
 */
export function expectedCustodianMovements(scenario: Scenario, trades: readonly ExpectedTrade[]): CustodianMovement[] {
  const instruments = new Map(scenario.instruments.map((i) => [i.isin, i]));
  const expectedOf = new Map(trades.map((t) => [t.sourceTradeId, t]));
  const accounts = new Map(ourAccounts(scenario).map((a) => [`${a.legalEntityLei}|${a.market}|${a.currency}`, a]));
  const days = new Set(scenario.calendar.processingDays);
  const out: CustodianMovement[] = [];
  for (const trade of scenario.trades) {
    const plan = trade.custodian;
    if (!plan || !expectedOf.get(trade.sourceTradeId)?.settlement) continue;
    const final = trade.versions[trade.versions.length - 1].terms;
    const instrument = instruments.get(final.isin)!;
    const account = accounts.get(`${final.legalEntityLei}|${instrument.settlementMarket}|${final.currency}`);
    if (!account) continue;
    const net = new Decimal(tradeAmounts(instrument, final).netAmount);
    const fop = final.settlementType === 'FOP';
    const decimals = minorUnits(final.currency);
    const posting = (n: number, day: string, quantity: Decimal, amount: Decimal) => {
      if (!days.has(day)) return;
      out.push({
        reference: `${trade.sourceTradeId}#${n}`,
        sourceTradeId: trade.sourceTradeId,
        instructionId: null,
        safekeepingAccount: account.safekeepingAccount,
        cashAccount: account.cashAccount,
        isin: final.isin,
        direction: final.side === 'BUY' ? 'RECEIVE' : 'DELIVER',
        quantity: plain(quantity),
        amount: fop ? null : toDecimalString(amount, decimals),
        currency: final.currency,
        settlementDate: day,
      });
    };
    const quantity = new Decimal(final.quantity);
    switch (plan.outcome) {
      case 'SETTLE':
        posting(1, plan.isd, quantity, net);
        break;
      case 'FAIL_SETTLE':
        posting(1, plan.laterDay, quantity, net);
        break;
      case 'PARTIAL_SETTLE':
      case 'PARTIAL_CANCEL': {
        const part = new Decimal(plan.partialQuantity!);
        const partAmount = new Decimal(plan.partialAmount ?? '0');
        posting(1, plan.isd, part, partAmount);
        if (plan.outcome === 'PARTIAL_SETTLE') posting(2, plan.laterDay, quantity.minus(part), net.minus(partAmount));
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** Holdings of a safekeeping account at the end of `asOf` (settled positions, zeros left out), by ISIN. */
export function holdingsOf(movements: readonly CustodianMovement[], account: string, asOf: string): Record<string, string> {
  const sums = new Map<string, Decimal>();
  for (const m of movements) {
    if (m.safekeepingAccount !== account || LocalDate.isAfter(m.settlementDate, asOf)) continue;
    sums.set(m.isin, (sums.get(m.isin) ?? new Decimal(0)).plus(new Decimal(m.quantity).times(sign(m.direction))));
  }
  return sorted(sums);
}

/**
 * Cash of a cash account at the end of `asOf`, by currency: receiving securities against payment
 * debits it, delivering credits it. The account's own currency is always listed (a bank statement
 * states its closing balance, zero included); zero balances in other currencies are left out.
 */
export function cashOf(movements: readonly CustodianMovement[], account: string, accountCurrency: string, asOf: string): Record<string, string> {
  const sums = new Map<string, Decimal>([[accountCurrency, new Decimal(0)]]);
  for (const m of movements) {
    if (m.cashAccount !== account || m.amount === null || LocalDate.isAfter(m.settlementDate, asOf)) continue;
    sums.set(m.currency, (sums.get(m.currency) ?? new Decimal(0)).minus(new Decimal(m.amount).times(sign(m.direction))));
  }
  const out: Record<string, string> = {};
  for (const [currency, value] of [...sums].sort(([a], [b]) => a.localeCompare(b))) {
    if (currency === accountCurrency || !value.isZero()) out[currency] = toDecimalString(value, minorUnits(currency));
  }
  return out;
}

function sorted(sums: Map<string, Decimal>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of [...sums].sort(([a], [b]) => a.localeCompare(b))) if (!value.isZero()) out[key] = plain(value);
  return out;
}

/** The postings of a safekeeping account settled on `day`, by ISIN then trade: the day's semt.017 lines. */
export function postingsOf(movements: readonly CustodianMovement[], account: string, day: string): CustodianMovement[] {
  return movements
    .filter((m) => m.safekeepingAccount === account && m.settlementDate === day)
    .sort((a, b) => a.isin.localeCompare(b.isin) || a.sourceTradeId.localeCompare(b.sourceTradeId) || a.reference.localeCompare(b.reference));
}

/** A statement in the JSON line form (decimal strings), before the injected differences. */
export interface StatementContent {
  type: StatementKind;
  /** HOLDINGS `{ isin, quantity }`, TRANSACTIONS `{ reference, instructionId, isin, … }` (plus the trade, kept out of the statement), CASH `{ currency, amount }`. */
  lines: { key: string; values: Record<string, string | null> }[];
}

/** The day's statement of one type for one account, from the custodian's books, each line under its injection key (ISIN, trade, currency). */
export function statementContent(type: StatementKind, movements: readonly CustodianMovement[], account: OurAccount, day: string): StatementContent {
  if (type === 'HOLDINGS') {
    return { type, lines: Object.entries(holdingsOf(movements, account.safekeepingAccount, day)).map(([isin, quantity]) => ({ key: isin, values: { isin, quantity } })) };
  }
  if (type === 'CASH') {
    return { type, lines: Object.entries(cashOf(movements, account.cashAccount, account.currency, day)).map(([currency, amount]) => ({ key: currency, values: { currency, amount } })) };
  }
  return {
    type,
    lines: postingsOf(movements, account.safekeepingAccount, day).map((m) => ({
      key: m.sourceTradeId,
      values: {
        reference: m.reference,
        instructionId: m.instructionId,
        isin: m.isin,
        quantity: m.quantity,
        amount: m.amount ?? '0',
        currency: m.amount === null ? FREE_OF_PAYMENT_CURRENCY : m.currency,
        direction: m.direction,
        settlementDate: m.settlementDate,
      },
    })),
  };
}

/**
 * The lines with the injected differences: a changed value, a line dropped, a line added. An
 * injection whose line is not there (the custodian's books differ from the scenario's) is
 * returned as not applied, for the run to report.
 */
export function injectStatement(content: StatementContent, injections: readonly StatementInjection[]): { lines: Record<string, string | null>[]; notApplied: StatementInjection[] } {
  const notApplied: StatementInjection[] = [];
  const byKey = new Map(content.lines.map((l) => [l.key, { ...l.values }]));
  const dropped = new Set<string>();
  const extra: Record<string, string | null>[] = [];
  for (const injection of injections) {
    if (injection.kind === 'EXTRA') {
      extra.push({ ...injection.line });
      continue;
    }
    const line = byKey.get(injection.target);
    if (!line || dropped.has(injection.target)) {
      notApplied.push(injection);
      continue;
    }
    if (injection.kind === 'DROP') dropped.add(injection.target);
    else if (injection.kind === 'QUANTITY') line.quantity = plain(new Decimal(line.quantity!).plus(injection.delta));
    else line.amount = toDecimalString(new Decimal(line.amount!).plus(injection.delta), minorUnits(line.currency!));
  }
  const lines = content.lines.filter((l) => !dropped.has(l.key)).map((l) => byKey.get(l.key)!);
  return { lines: [...lines, ...extra], notApplied };
}

/** The reconciliation service's statement (its model, Decimals) from the JSON line form: what the renderers write. */
export function toStatement(header: { statementId: string; type: StatementKind; account: string; asOf: string }, lines: readonly Record<string, string | null>[]): Statement {
  const d = (value: string | null | undefined) => new Decimal(value!);
  switch (header.type) {
    case 'HOLDINGS':
      return { ...header, type: 'HOLDINGS', lines: lines.map((l): HoldingLine => ({ isin: l.isin!, quantity: d(l.quantity) })) };
    case 'CASH':
      return { ...header, type: 'CASH', lines: lines.map((l): CashLine => ({ currency: l.currency!, amount: d(l.amount) })) };
    case 'TRANSACTIONS':
      return {
        ...header,
        type: 'TRANSACTIONS',
        lines: lines.map(
          (l): TransactionLine => ({
            reference: l.reference!,
            instructionId: l.instructionId ?? null,
            isin: l.isin!,
            quantity: d(l.quantity),
            amount: d(l.amount),
            currency: l.currency!,
            direction: l.direction as TransactionLine['direction'],
            settlementDate: l.settlementDate!,
          }),
        ),
      };
  }
}

/** Whether a trade is cancelled by the end of `day`, as the OMS reported it: intraday, or after its partial settlement on its intended date. */
export function cancelledBy(trade: ScenarioTrade, instructed: boolean, day: string): boolean {
  if (!trade.cancel) return false;
  if (trade.cancel.when === 'INTRADAY') return !LocalDate.isAfter(trade.tradeDate, day);
  return instructed && trade.custodian !== null && !LocalDate.isAfter(trade.custodian.isd, day);
}

/** The OMS's end-of-day blotter of `tradeDate`: each trade it reported that day, in its latest version, not cancelled by then. */
export function blotterLines(trades: readonly ScenarioTrade[], tradeDate: string, isCancelled: (trade: ScenarioTrade) => boolean): BlotterLine[] {
  return trades
    .filter((t) => t.tradeDate === tradeDate && !isCancelled(t))
    .map((t) => {
      const final = t.versions[t.versions.length - 1].terms;
      return { sourceTradeId: t.sourceTradeId, isin: final.isin, side: final.side, quantity: final.quantity, price: final.price, currency: final.currency, counterpartyLei: final.counterpartyLei };
    })
    .sort((a, b) => a.sourceTradeId.localeCompare(b.sourceTradeId));
}

/** The blotter's lines with the injected differences; those naming a trade not on it are returned as not applied. */
export function injectBlotter(lines: readonly BlotterLine[], injections: readonly BlotterInjection[]): { lines: BlotterLine[]; notApplied: BlotterInjection[] } {
  const byId = new Map(lines.map((l) => [l.sourceTradeId, { ...l }]));
  const notApplied: BlotterInjection[] = [];
  const missing = new Set<string>();
  for (const injection of injections) {
    const line = byId.get(injection.sourceTradeId);
    if (!line || missing.has(injection.sourceTradeId)) {
      notApplied.push(injection);
      continue;
    }
    if (injection.kind === 'MISSING') missing.add(injection.sourceTradeId);
    else line.price = plain(new Decimal(line.price).plus(injection.delta));
  }
  return { lines: lines.filter((l) => !missing.has(l.sourceTradeId)).map((l) => byId.get(l.sourceTradeId)!), notApplied };
}

export function toBlotter(sourceSystem: string, tradeDate: string, lines: readonly BlotterLine[]): Blotter {
  return {
    sourceSystem,
    tradeDate,
    trades: lines.map((l): BlotterTrade => ({ ...l, quantity: new Decimal(l.quantity), price: new Decimal(l.price) })),
  };
}
