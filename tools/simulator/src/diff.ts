import { Decimal } from '@postrade/kernel';
import type { Balances, ExpectedInstruction, ExpectedState, ExpectedTrade } from './expected';
import type { Delivery } from './actors/statement-delivery';
import type { ExpectedReconciliation } from './reconciliation-plan';

/** What the platform's REST APIs answered, gathered for one run (see platform-snapshot.ts). */
export interface ObservedState {
  trades: Record<string, ObservedTrade | null>;
  matches: Record<string, { status: string; breakCodes: number[] } | null>;
  decisions: Record<string, { outcome: string; tradeVersion: number } | null>;
  /** Every instruction naming the trade, cancelled ones included. */
  instructions: Record<string, ObservedInstruction[]>;
  positions: { TRADE_DATE: Balances; SETTLEMENT_DATE: Balances };
  cash: { TRADE_DATE: Balances; SETTLEMENT_DATE: Balances };
  /** Keyed `<LEI> <currency>`, as the expected state's. */
  penaltiesByCounterparty: Record<string, { count: number; pay: string; receive: string }>;
  /** Each penalty of the run's instructions, named by the trade the instruction settles. */
  penalties: { sourceTradeId: string | null; instructionId: string; counterpartyLei: string; date: string; amount: string; currency: string; direction: string }[];
  trialBalance: { asset: string; difference: string }[];
  /** Dead letters that name this run, per service. */
  deadLetters: ObservedDeadLetter[];
  /** Reconciliation's open breaks and latest reconciliations for the run's accounts. */
  reconciliation?: ObservedReconciliation;
}

export interface ObservedBreak {
  breakId: string;
  type: string;
  account: string;
  /** As the expected state keys it (platform-snapshot.ts, normalisedBreakKey). */
  key: string;
  reason: string;
  asOf: string;
  firstSeen: string;
  difference: string | null;
  /** The fields that differ. */
  fields: string[];
}

export interface ObservedReconciliation {
  /** Open breaks (status OPEN) of the run's accounts. */
  breaks: ObservedBreak[];
  /** The latest reconciliation of each account, break type and date. */
  runs: { type: string; account: string; asOf: string; statementId: string; linesCompared: number; matched: number; openBreaks: number }[];
}

export interface ObservedTrade {
  tradeId: string;
  status: string;
  version: number;
  quantity: string;
  price: string;
  netAmount: string;
  settlementDate: string;
}

export interface ObservedInstruction {
  instructionId: string;
  processingStatus: string;
  matchingStatus: string;
  settlementStatus: string;
  settledQuantity: string;
  settledAmount: string;
  quantity: string;
  settlementAmount: string;
  intendedSettlementDate: string;
  holds: string[];
  /** How the custodian has it: the party hold there, our cancellation and its answer, its last reason code (absent: not read). */
  custodian?: { hold: string | null; cancellation: string | null; statusReason: string | null };
  /** The codes of the exceptions raised on it for operations. */
  exceptions?: string[];
  /** The statuses the custodian reported on it, in order (its history's `custodian reported …`). */
  reported?: string[];
}

export interface ObservedDeadLetter {
  service: string;
  id: string;
  topic: string;
  error: string;
  /** For trade capture's letters: the reported trade they carry. */
  sourceTradeId: string | null;
  version: number | null;
}

export interface Difference {
  area: 'capture' | 'matching' | 'compliance' | 'settlement' | 'positions' | 'cash' | 'penalties' | 'trial-balance' | 'dead-letters' | 'reconciliation';
  /** What differs: a source trade id, a book, a counterparty LEI, a service. */
  key: string;
  field: string;
  expected: unknown;
  actual: unknown;
}

const sameDecimal = (a: string | null | undefined, b: string | null | undefined): boolean => {
  if (a === undefined || a === null || b === undefined || b === null) return a === b;
  try {
    return new Decimal(a).equals(new Decimal(b));
  } catch {
    return a === b;
  }
};

/** The instruction that settles the trade now: the one not cancelled (at most one without netting). */
export function liveInstructions(instructions: ObservedInstruction[]): ObservedInstruction[] {
  return instructions.filter((i) => i.processingStatus !== 'CANCELLED');
}

function compareBalances(area: 'positions' | 'cash', basis: string, expected: Balances, actual: Balances, out: Difference[]): void {
  const owners = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const owner of [...owners].sort()) {
    const e = expected[owner] ?? {};
    const a = actual[owner] ?? {};
    for (const asset of [...new Set([...Object.keys(e), ...Object.keys(a)])].sort()) {
      const ev = e[asset] ?? '0';
      const av = a[asset] ?? '0';
      if (!sameDecimal(ev, av)) out.push({ area, key: owner, field: `${basis} ${asset}`, expected: ev, actual: av });
    }
  }
}

function compareInstruction(key: string, expected: ExpectedInstruction | null, observed: ObservedInstruction[], out: Difference[]): void {
  let live = liveInstructions(observed);
  if (expected?.rejectedFirst) {
    // Rejected for a bad SSI, then re-sent once operations repaired it: the rejected one stays REJECTED beside its successor.
    const rejected = live.filter((i) => i.processingStatus === 'REJECTED');
    const reason = rejected.map((i) => i.custodian?.statusReason ?? null);
    if (rejected.length !== 1 || (rejected[0].custodian !== undefined && reason[0] !== expected.rejectedFirst)) {
      out.push({ area: 'settlement', key, field: 'rejected first', expected: `1 REJECTED (${expected.rejectedFirst}) then re-sent`, actual: `${rejected.length} REJECTED (${reason.join(', ') || 'none'})` });
    }
    live = live.filter((i) => i.processingStatus !== 'REJECTED');
  }
  if (expected === null) {
    if (live.length > 0) out.push({ area: 'settlement', key, field: 'instruction', expected: 'none (or cancelled)', actual: live.map((i) => `${i.instructionId} ${i.processingStatus}/${i.settlementStatus}`) });
    return;
  }
  if (live.length !== 1) {
    out.push({ area: 'settlement', key, field: 'instruction', expected: '1 live instruction', actual: `${live.length} live of ${observed.length}` });
    return;
  }
  const [i] = live;
  const check = (field: string, e: unknown, a: unknown, same = e === a) => {
    if (!same) out.push({ area: 'settlement', key, field, expected: e, actual: a });
  };
  check('processingStatus', expected.processingStatus, i.processingStatus);
  check('matchingStatus', expected.matchingStatus, i.matchingStatus);
  check('settlementStatus', expected.settlementStatus, i.settlementStatus);
  check('settledQuantity', expected.settledQuantity, i.settledQuantity, sameDecimal(expected.settledQuantity, i.settledQuantity));
  if (expected.settledAmount !== null) check('settledAmount', expected.settledAmount, i.settledAmount, sameDecimal(expected.settledAmount, i.settledAmount));
  check('quantity', expected.quantity, i.quantity, sameDecimal(expected.quantity, i.quantity));
  check('settlementAmount', expected.settlementAmount, i.settlementAmount, sameDecimal(expected.settlementAmount, i.settlementAmount));
  check('intendedSettlementDate', expected.intendedSettlementDate, i.intendedSettlementDate);
  check('holds', '[]', JSON.stringify(i.holds), i.holds.length === 0);
}

/**
 * The custodian's answers to settlement's requests, as the trade's instructions record them: every
 * cancellation asked for confirmed (none left REQUESTED or REJECTED), nothing held at or asked of
 * the depository on a live instruction, no exception but a planned HOLD_REJECTED; the planned hold
 * answer on the instruction the custodian had (HOLD_CONFIRMED recorded, or HOLD_REJECTED raised),
 * and the planned cancellation at the custodian confirmed. Instructions read without their
 * custodian state (older snapshots) are not judged.
 */
function compareCustodianCycle(key: string, expected: ExpectedTrade['custodianCycle'], observed: ObservedInstruction[], out: Difference[]): void {
  if (expected === undefined) return;
  const read = observed.filter((i) => i.custodian !== undefined);
  if (read.length === 0) return;
  const differ = (field: string, e: unknown, a: unknown) => out.push({ area: 'settlement', key, field, expected: e, actual: a });
  for (const i of read) {
    const c = i.custodian!;
    if (c.cancellation === 'REQUESTED' || c.cancellation === 'REJECTED') differ(`${i.instructionId} cancellation at the custodian`, 'CONFIRMED or none', c.cancellation);
    if (i.processingStatus !== 'CANCELLED' && c.hold !== null) differ(`${i.instructionId} hold at the custodian`, 'none', c.hold);
    const unexpected = (i.exceptions ?? []).filter((code) => !(code === 'HOLD_REJECTED' && expected.hold === 'HOLD_REJECTED'));
    if (unexpected.length > 0) differ(`${i.instructionId} exceptions`, expected.hold === 'HOLD_REJECTED' ? ['HOLD_REJECTED'] : [], i.exceptions);
  }
  if (expected.hold === 'HOLD_REJECTED' && !read.some((i) => (i.exceptions ?? []).includes('HOLD_REJECTED'))) {
    differ('hold at the custodian', 'refused (HOLD_REJECTED raised)', read.map((i) => `${i.instructionId}: ${(i.reported ?? []).join(' ') || 'no answer'}`));
  }
  if (expected.hold === 'HOLD_CONFIRMED' && !read.some((i) => (i.reported ?? []).includes('HOLD_CONFIRMED'))) {
    differ('hold at the custodian', 'confirmed (HOLD_CONFIRMED)', read.map((i) => `${i.instructionId}: ${(i.reported ?? []).join(' ') || 'no answer'}`));
  }
  if (expected.cancelledAtCustodian && !read.some((i) => i.processingStatus === 'CANCELLED' && i.custodian!.cancellation === 'CONFIRMED')) {
    differ('cancellation at the custodian', 'an instruction CANCELLED, confirmed by the custodian', read.map((i) => `${i.instructionId} ${i.processingStatus} ${i.custodian!.cancellation ?? 'none'}`));
  }
}

/** Every difference between the expected state and what the platform answered. */
export function diffStates(expected: ExpectedState, observed: ObservedState): Difference[] {
  const out: Difference[] = [];
  for (const trade of expected.trades) {
    const key = trade.sourceTradeId;
    const captured = observed.trades[key] ?? null;
    if (captured === null) {
      out.push({ area: 'capture', key, field: 'trade', expected: `${trade.capture.status} v${trade.capture.version}`, actual: 'not captured' });
      continue;
    }
    const capture = trade.capture;
    if (captured.status !== capture.status) out.push({ area: 'capture', key, field: 'status', expected: capture.status, actual: captured.status });
    if (captured.version !== capture.version) out.push({ area: 'capture', key, field: 'version', expected: capture.version, actual: captured.version });
    for (const field of ['quantity', 'price', 'netAmount'] as const) {
      if (!sameDecimal(capture[field], captured[field])) out.push({ area: 'capture', key, field, expected: capture[field], actual: captured[field] });
    }
    if (capture.settlementDate !== captured.settlementDate) out.push({ area: 'capture', key, field: 'settlementDate', expected: capture.settlementDate, actual: captured.settlementDate });

    const match = observed.matches[key] ?? null;
    if (match === null) out.push({ area: 'matching', key, field: 'status', expected: trade.matching.status, actual: 'no match' });
    else {
      if (match.status !== trade.matching.status) out.push({ area: 'matching', key, field: 'status', expected: trade.matching.status, actual: match.status });
      const codes = [...match.breakCodes].sort((a, b) => a - b);
      if (codes.join(',') !== trade.matching.breakCodes.join(',')) out.push({ area: 'matching', key, field: 'breaks', expected: trade.matching.breakCodes, actual: codes });
    }

    const decision = observed.decisions[key] ?? null;
    if (decision === null) out.push({ area: 'compliance', key, field: 'outcome', expected: trade.compliance.outcome, actual: 'no decision' });
    else {
      if (decision.outcome !== trade.compliance.outcome) out.push({ area: 'compliance', key, field: 'outcome', expected: trade.compliance.outcome, actual: decision.outcome });
      if (decision.tradeVersion !== trade.compliance.tradeVersion) out.push({ area: 'compliance', key, field: 'tradeVersion', expected: trade.compliance.tradeVersion, actual: decision.tradeVersion });
    }

    compareInstruction(key, trade.settlement, observed.instructions[key] ?? [], out);
    compareCustodianCycle(key, trade.custodianCycle, observed.instructions[key] ?? [], out);
  }

  for (const basis of ['TRADE_DATE', 'SETTLEMENT_DATE'] as const) {
    compareBalances('positions', basis, expected.positions[basis], observed.positions[basis], out);
    compareBalances('cash', basis, expected.cash[basis], observed.cash[basis], out);
  }

  const leis = new Set([...Object.keys(expected.penaltiesByCounterparty), ...Object.keys(observed.penaltiesByCounterparty)]);
  for (const lei of [...leis].sort()) {
    const e = expected.penaltiesByCounterparty[lei] ?? { count: 0, pay: '0', receive: '0' };
    const a = observed.penaltiesByCounterparty[lei] ?? { count: 0, pay: '0', receive: '0' };
    if (e.count !== a.count) out.push({ area: 'penalties', key: lei, field: 'count', expected: e.count, actual: a.count });
    if (!sameDecimal(e.pay, a.pay)) out.push({ area: 'penalties', key: lei, field: 'pay', expected: e.pay, actual: a.pay });
    if (!sameDecimal(e.receive, a.receive)) out.push({ area: 'penalties', key: lei, field: 'receive', expected: e.receive, actual: a.receive });
  }

  const expectedPenalties = new Map(expected.penalties.map((p) => [`${p.sourceTradeId}|${p.date}`, p]));
  const marketOf = new Map(expected.trades.map((t) => [t.sourceTradeId, `${t.market} ${t.isin}`]));
  const seenPenalties = new Set<string>();
  for (const p of observed.penalties) {
    const key = `${p.sourceTradeId}|${p.date}`;
    const e = expectedPenalties.get(key);
    const where = `${marketOf.get(p.sourceTradeId ?? '') ?? `instruction ${p.instructionId}`}, penalty of ${p.date}`;
    if (!e) out.push({ area: 'penalties', key: p.sourceTradeId ?? p.instructionId, field: where, expected: 'none', actual: `${p.direction} ${p.amount} ${p.currency}` });
    else if (!sameDecimal(e.amount, p.amount) || e.direction !== p.direction) out.push({ area: 'penalties', key: p.sourceTradeId!, field: where, expected: `${e.direction} ${e.amount} ${e.currency}`, actual: `${p.direction} ${p.amount} ${p.currency}` });
    seenPenalties.add(key);
  }
  for (const [key, e] of expectedPenalties) {
    if (!seenPenalties.has(key)) out.push({ area: 'penalties', key: e.sourceTradeId, field: `${marketOf.get(e.sourceTradeId)}, penalty of ${e.date}`, expected: `${e.direction} ${e.amount} ${e.currency}`, actual: 'none' });
  }

  for (const row of observed.trialBalance) {
    if (!sameDecimal(row.difference, '0')) out.push({ area: 'trial-balance', key: row.asset, field: 'difference', expected: '0', actual: row.difference });
  }

  const expectedLetters = new Set(expected.deadLetters.map((d) => `${d.service}|${d.sourceTradeId}|${d.version}`));
  const seen = new Set<string>();
  for (const letter of observed.deadLetters) {
    const id = `${letter.service}|${letter.sourceTradeId}|${letter.version}`;
    if (expectedLetters.has(id) && !seen.has(id)) seen.add(id);
    else out.push({ area: 'dead-letters', key: letter.service, field: `${letter.topic} ${letter.id}`, expected: 'no dead letter', actual: letter.error.slice(0, 300) });
  }
  for (const id of expectedLetters) {
    if (!seen.has(id)) out.push({ area: 'dead-letters', key: id.split('|')[0], field: id, expected: 'a dead letter (stale version rejected)', actual: 'none' });
  }
  if (expected.reconciliation) compareReconciliation(expected.reconciliation, observed.reconciliation, out);
  return out;
}

/**
 * Reconciliation: every statement and blotter sent was applied (the latest reconciliation of its
 * account, type and date is it, with all its lines compared), and the open breaks are exactly the
 * expected ones (type, account, key and reason): none but those the injected differences cause.
 */
export function compareReconciliation(expected: ExpectedReconciliation, observed: ObservedReconciliation | undefined, out: Difference[]): void {
  const runs = new Map((observed?.runs ?? []).map((r) => [`${r.type}|${r.account}|${r.asOf}`, r]));
  const applied = (type: string, account: string, asOf: string, id: string | null, lines: number, what: string) => {
    const run = runs.get(`${type}|${account}|${asOf}`);
    const expectedText = `${id ?? 'applied'}, ${lines} lines compared`;
    if (!run) out.push({ area: 'reconciliation', key: account, field: what, expected: expectedText, actual: 'not applied' });
    else if ((id !== null && run.statementId !== id) || run.linesCompared !== lines) {
      out.push({ area: 'reconciliation', key: account, field: what, expected: expectedText, actual: `${id === null ? 'applied' : run.statementId}, ${run.linesCompared} lines compared` });
    }
  };
  for (const s of expected.statements) applied(s.breakType, s.account, s.asOf, s.statementId, s.lines, `${s.type} statement of ${s.asOf} (${s.form})`);
  for (const b of expected.blotters) applied('TRADE', expected.sourceSystem, b.tradeDate, null, b.trades, `blotter of ${b.tradeDate} (${b.form})`);

  const id = (b: { type: string; account: string; key: string }) => `${b.type}|${b.account}|${b.key}`;
  const found = new Map((observed?.breaks ?? []).map((b) => [id(b), b]));
  const wanted = new Map(expected.breaks.map((b) => [id(b), b]));
  for (const [key, e] of wanted) {
    const b = found.get(key);
    if (!b) out.push({ area: 'reconciliation', key: e.account, field: `${e.type} break ${e.key}`, expected: `OPEN ${e.reason} (injected on ${e.asOf})`, actual: 'none open' });
    else if (b.reason !== e.reason) out.push({ area: 'reconciliation', key: e.account, field: `${e.type} break ${e.key}`, expected: `OPEN ${e.reason}`, actual: `OPEN ${b.reason}` });
  }
  for (const [key, b] of found) {
    if (wanted.has(key)) continue;
    const detail = `${b.reason} since ${b.firstSeen}${b.fields.length > 0 ? `, ${b.fields.join(', ')} differ` : ''}${b.difference !== null ? ` by ${b.difference}` : ''}`;
    out.push({ area: 'reconciliation', key: b.account, field: `${b.type} break ${b.key}`, expected: 'no open break', actual: detail });
  }
}

/**
 * What reconciliation answered each statement and blotter sent by REST: the breaks it opened must
 * be those its injected differences open, no more and no fewer. A break that a later statement
 * closes is gone by the end, so this is where it shows (a Kafka send has no answer: only the end
 * state speaks for it).
 */
export function compareReconciliationAnswers(expected: ExpectedReconciliation, deliveries: readonly Delivery[]): Difference[] {
  const out: Difference[] = [];
  const statements = new Map(expected.statements.map((s) => [s.statementId, s]));
  const blotters = new Map(expected.blotters.map((b) => [b.tradeDate, b]));
  for (const d of deliveries) {
    if (d.result === null) continue;
    const planned = d.type === 'BLOTTER' ? blotters.get(d.asOf) : statements.get(d.id);
    if (!planned) continue;
    if (d.result.breaksOpened !== planned.breaksOpened) {
      const what = d.type === 'BLOTTER' ? `blotter of ${d.asOf} (${d.form})` : `${d.type} statement ${d.id} of ${d.asOf} (${d.form})`;
      out.push({ area: 'reconciliation', key: d.account, field: `${what}: breaks opened`, expected: planned.breaksOpened, actual: d.result.breaksOpened });
    }
  }
  return out;
}
