import { Decimal, minorUnits, toDecimalString } from '@postrade/kernel';
import type { ExpectedTrade } from './expected';
import { Prng } from './prng';
import type { Scenario } from './scenario';
import {
  blotterLines,
  cancelledBy,
  expectedCustodianMovements,
  injectBlotter,
  injectStatement,
  ourAccounts,
  statementContent,
  type BlotterForm,
  type BlotterInjection,
  type CustodianMovement,
  type OurAccount,
  type StatementForm,
  type StatementInjection,
  type StatementKind,
} from './statements';

/**
 * What reconciliation must end with, from the scenario alone: the statements the custodian sends
 * each settlement day for each of our accounts and the blotter the OMS sends each trade day (each
 * with its form and the differences injected into it), and the breaks that must then be open. With
 * no injected difference there must be none: the custodian's books, built from what it reported,
 * agree with the ledger and settlement.
 */
export type ReconBreakType = 'POSITION' | 'CASH' | 'TRANSACTION' | 'TRADE';
export type ReconBreakReason = 'MISSING_OURS' | 'MISSING_THEIRS' | 'DIFFERENT' | 'AMBIGUOUS';

export interface PlannedStatement {
  statementId: string;
  type: StatementKind;
  /** The break type its comparison opens. */
  breakType: ReconBreakType;
  account: string;
  asOf: string;
  form: StatementForm;
  /** Lines sent (after the injected differences): what reconciliation must report as compared. */
  lines: number;
  injections: StatementInjection[];
  /** Breaks it must open (its differences not already open): what reconciliation answers a REST send with. */
  breaksOpened: number;
}

export interface PlannedBlotter {
  tradeDate: string;
  form: BlotterForm;
  trades: number;
  injections: BlotterInjection[];
  breaksOpened: number;
}

/**
 * A break that must be open at the end. `key` as the verify compares it: `isin:<ISIN>`,
 * `currency:<CCY>`, `trade:<sourceTradeId>` (a TRANSACTION break on the trade's instruction, or a
 * TRADE break) or `reference:<custodian reference>`.
 */
export interface ExpectedBreak {
  type: ReconBreakType;
  account: string;
  key: string;
  reason: ReconBreakReason;
  /** The statement date it was (last) found on. */
  asOf: string;
}

export interface ExpectedReconciliation {
  statementBreakShare: number;
  /** The blotters' "account": the OMS's source system. */
  sourceSystem: string;
  accounts: OurAccount[];
  statements: PlannedStatement[];
  blotters: PlannedBlotter[];
  /** Breaks found statement by statement (an injected difference each), and those still open at the end. */
  breaksFound: number;
  breaks: ExpectedBreak[];
}

const BREAK_TYPE: Record<StatementKind, ReconBreakType> = { HOLDINGS: 'POSITION', TRANSACTIONS: 'TRANSACTION', CASH: 'CASH' };
const LETTER: Record<StatementKind, string> = { HOLDINGS: 'H', TRANSACTIONS: 'T', CASH: 'C' };
/** Each type cycles through the four ways in, so that a run of a few days exercises every path. */
const FORMS: readonly StatementForm[] = ['XML', 'KAFKA', 'CSV', 'JSON'];
/** A currency none of our cash accounts is in: a line in it is one the books cannot have. */
const FOREIGN_CURRENCY = 'CHF';

/** A break found by one statement, under the key the verify compares. */
interface Finding {
  key: string;
  reason: ReconBreakReason;
}

/**
 * The differences to inject into one statement: each line with probability `share` (a quantity
 * or amount changed, or the line dropped), and with probability `share` one line the books cannot
 * have. Returns the injections and the breaks they must cause.
 */
function drawStatementInjections(
  rng: Prng,
  share: number,
  type: StatementKind,
  lines: { key: string; values: Record<string, string | null> }[],
  context: { scenario: Scenario; account: OurAccount; day: string; serial: () => number },
): { injections: StatementInjection[]; findings: Finding[] } {
  const injections: StatementInjection[] = [];
  const findings: Finding[] = [];
  if (share <= 0) return { injections, findings };
  for (const line of lines) {
    if (!rng.chance(share)) continue;
    if (type === 'CASH') {
      // Beyond the matching tolerance (25 at most) either way; away from zero, so it stays a difference.
      const amount = new Decimal(line.values.amount!);
      const delta = new Decimal(rng.int(1, 9) * 1000).times(amount.isNegative() ? -1 : 1);
      injections.push({ kind: 'AMOUNT', target: line.key, delta: toDecimalString(delta, minorUnits(line.key)) });
      findings.push({ key: `currency:${line.key}`, reason: amount.isZero() ? 'MISSING_OURS' : 'DIFFERENT' });
      continue;
    }
    const key = type === 'HOLDINGS' ? `isin:${line.key}` : `trade:${line.key}`;
    if (rng.chance(0.5)) {
      injections.push({ kind: 'DROP', target: line.key });
      findings.push({ key, reason: 'MISSING_THEIRS' });
    } else {
      // Away from zero: a holding stays long or short, a posting stays positive.
      const quantity = new Decimal(line.values.quantity!);
      const delta = new Decimal(rng.int(1, 5)).times(quantity.isNegative() ? -1 : 1);
      injections.push({ kind: 'QUANTITY', target: line.key, delta: toDecimalString(delta) });
      findings.push({ key, reason: 'DIFFERENT' });
    }
  }
  if (rng.chance(share)) {
    const { scenario, account, day } = context;
    if (type === 'HOLDINGS') {
      const held = new Set(lines.map((l) => l.key));
      const candidates = scenario.instruments.filter((i) => !held.has(i.isin));
      if (candidates.length > 0) {
        const instrument = rng.pick(candidates);
        injections.push({ kind: 'EXTRA', line: { isin: instrument.isin, quantity: toDecimalString(new Decimal(instrument.lot).times(rng.int(1, 9))) } });
        findings.push({ key: `isin:${instrument.isin}`, reason: 'MISSING_OURS' });
      }
    } else if (type === 'CASH') {
      injections.push({ kind: 'EXTRA', line: { currency: FOREIGN_CURRENCY, amount: toDecimalString(new Decimal(rng.int(1, 99) * 100), 2) } });
      findings.push({ key: `currency:${FOREIGN_CURRENCY}`, reason: 'MISSING_OURS' });
    } else {
      // A posting no instruction of ours made: no instruction id, a quantity of one (trades are in whole lots).
      const instrument = rng.pick(scenario.instruments.filter((i) => i.settlementMarket === account.market));
      const reference = `${scenario.runTag}-X${String(context.serial()).padStart(5, '0')}`;
      injections.push({
        kind: 'EXTRA',
        line: {
          reference,
          instructionId: null,
          isin: instrument.isin,
          quantity: '1',
          amount: toDecimalString(new Decimal(rng.int(1, 99)), minorUnits(account.currency)),
          currency: account.currency,
          direction: rng.chance(0.5) ? 'RECEIVE' : 'DELIVER',
          settlementDate: day,
        },
      });
      findings.push({ key: `reference:${reference}`, reason: 'MISSING_OURS' });
    }
  }
  return { injections, findings };
}

/**
 * The breaks of one (type, account) as its statements follow one another (DOMAIN.md
 * "Reconciliation"): a difference opens a break, or keeps it open with what it now says; a later
 * statement that compares the same key and agrees closes it. A holdings or cash statement is
 * complete: every key it does not find different, it agrees with. A day's transactions statement
 * speaks for the instructions that moved that day, a blotter for its trade date's trades: a break
 * of another day stays open.
 */
class BreakBook {
  private readonly open = new Map<string, ExpectedBreak>();
  found = 0;

  /** Returns how many of the findings open a break (none was open on their key). */
  apply(type: ReconBreakType, account: string, asOf: string, findings: readonly Finding[], covers: (key: string) => boolean): number {
    const found = new Map(findings.map((f) => [f.key, f]));
    this.found += found.size;
    const opened = [...found.keys()].filter((key) => !this.open.has(key)).length;
    for (const [key, existing] of [...this.open]) {
      if (existing.type === type && existing.account === account && !found.has(key) && covers(key)) this.open.delete(key);
    }
    for (const f of found.values()) this.open.set(f.key, { type, account, key: f.key, reason: f.reason, asOf });
    return opened;
  }

  breaks(): ExpectedBreak[] {
    return [...this.open.values()];
  }
}

/**
 * The plan of a run's reconciliation: statements every processing day for every account of our
 * SSIs, a blotter every trade day, the differences injected at `scenario.options.statementBreakShare`
 * (drawn from the seed) and the breaks that must be open at the end.
 */
export function planReconciliation(scenario: Scenario, trades: readonly ExpectedTrade[]): ExpectedReconciliation {
  const share = scenario.options.statementBreakShare ?? 0;
  const rng = new Prng(scenario.seed).fork(`statement-breaks/${scenario.runTag}`);
  const accounts = ourAccounts(scenario);
  const movements: CustodianMovement[] = expectedCustodianMovements(scenario, trades);
  const statements: PlannedStatement[] = [];
  const serial = { statement: 0, extra: 0 };
  const formCounter: Record<StatementKind, number> = { HOLDINGS: 0, TRANSACTIONS: 0, CASH: 0 };
  const books = new Map<string, BreakBook>();
  const bookOf = (type: ReconBreakType, account: string) => {
    const id = `${type}|${account}`;
    let book = books.get(id);
    if (!book) books.set(id, (book = new BreakBook()));
    return book;
  };

  for (const day of scenario.calendar.processingDays) {
    for (const account of accounts) {
      for (const type of ['HOLDINGS', 'TRANSACTIONS', 'CASH'] as const) {
        const content = statementContent(type, movements, account, day);
        const { injections, findings } = drawStatementInjections(rng, share, type, content.lines, { scenario, account, day, serial: () => ++serial.extra });
        const lines = injectStatement(content, injections).lines;
        let form = FORMS[formCounter[type]++ % FORMS.length];
        // semt.002 and semt.017 carry no line-less statement well in every reader: an empty one goes as JSON.
        if (form === 'XML' && lines.length === 0) form = 'JSON';
        const accountId = type === 'CASH' ? account.cashAccount : account.safekeepingAccount;
        // What the statement speaks for: every key (complete statements), or the trades that moved that day.
        const moved = new Set(content.lines.map((l) => `trade:${l.key}`));
        const breaksOpened = bookOf(BREAK_TYPE[type], accountId).apply(BREAK_TYPE[type], accountId, day, findings, (key) => type !== 'TRANSACTIONS' || moved.has(key));
        statements.push({
          statementId: `${scenario.runTag}-${LETTER[type]}${String(++serial.statement).padStart(5, '0')}`,
          type,
          breakType: BREAK_TYPE[type],
          account: accountId,
          asOf: day,
          form,
          lines: lines.length,
          injections,
          breaksOpened,
        });
      }
    }
  }

  const expectedOf = new Map(trades.map((t) => [t.sourceTradeId, t]));
  const blotters: PlannedBlotter[] = scenario.calendar.tradeDays.map((tradeDate, index) => {
    const lines = blotterLines(scenario.trades, tradeDate, (t) => cancelledBy(t, expectedOf.get(t.sourceTradeId)?.settlement != null, tradeDate));
    const injections: BlotterInjection[] = [];
    const findings: Finding[] = [];
    const instruments = new Map(scenario.instruments.map((i) => [i.isin, i]));
    for (const line of lines) {
      if (share <= 0 || !rng.chance(share)) continue;
      if (rng.chance(0.5)) {
        injections.push({ kind: 'MISSING', sourceTradeId: line.sourceTradeId });
        findings.push({ key: `trade:${line.sourceTradeId}`, reason: 'MISSING_THEIRS' });
      } else {
        const delta = new Decimal(instruments.get(line.isin)!.tick).times(rng.int(1, 5));
        injections.push({ kind: 'PRICE', sourceTradeId: line.sourceTradeId, delta: toDecimalString(delta) });
        findings.push({ key: `trade:${line.sourceTradeId}`, reason: 'DIFFERENT' });
      }
    }
    const onBlotter = new Set(lines.map((l) => `trade:${l.sourceTradeId}`));
    const breaksOpened = bookOf('TRADE', scenario.sourceSystem).apply('TRADE', scenario.sourceSystem, tradeDate, findings, (key) => onBlotter.has(key));
    return { tradeDate, form: index % 2 === 0 ? 'JSON' : 'CSV', trades: injectBlotter(lines, injections).lines.length, injections, breaksOpened };
  });

  const all = [...books.values()];
  return {
    statementBreakShare: share,
    sourceSystem: scenario.sourceSystem,
    accounts,
    statements,
    blotters,
    breaksFound: all.reduce((n, b) => n + b.found, 0),
    breaks: all.flatMap((b) => b.breaks()).sort((a, b) => a.type.localeCompare(b.type) || a.account.localeCompare(b.account) || a.key.localeCompare(b.key)),
  };
}
