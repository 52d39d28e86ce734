import { Decimal } from '@postrade/kernel';
import { computeExpectedState } from './expected';
import {
  DEFAULT_RECONCILIATION_CONFIG,
  reconcileCash,
  reconcilePositions,
  reconcileTrades,
  reconcileTransactions,
  type Statement,
} from './reconciliation-formats';
import { planReconciliation } from './reconciliation-plan';
import { DEFAULT_OPTIONS, generateScenario, type Scenario } from './scenario';
import { blotterLines, cancelledBy, cashOf, expectedCustodianMovements, holdingsOf, injectBlotter, injectStatement, statementContent, toBlotter, toStatement } from './statements';

function scenarioWith(statementBreakShare: number, seed = 'recon'): Scenario {
  return generateScenario({ ...DEFAULT_OPTIONS, trades: 400, days: 2, seed, counterparties: 40, legalEntities: 2, statementBreakShare }, 'RECONS', '2026-12-07');
}

/** Our books as the platform must hold them: the custodian's, as the scenario says it settles. */
function ourSide(scenario: Scenario) {
  const expected = computeExpectedState(scenario);
  const movements = expectedCustodianMovements(scenario, expected.trades).map((m) => ({ ...m, instructionId: `I-${m.sourceTradeId}` }));
  return { expected, movements, plan: expected.reconciliation! };
}

/**
 * Runs the reconciliation service's own matching engine on every planned statement and blotter,
 * our side being the books the scenario leaves: the keys and reasons it finds must be those the
 * plan records for the injected differences, and nothing else.
 */
function engineFindings(scenario: Scenario) {
  const { movements, plan } = ourSide(scenario);
  const found: { statementId: string; key: string; reason: string }[] = [];
  for (const planned of plan.statements) {
    const account = plan.accounts.find((a) => (planned.type === 'CASH' ? a.cashAccount : a.safekeepingAccount) === planned.account)!;
    const lines = injectStatement(statementContent(planned.type, movements, account, planned.asOf), planned.injections).lines;
    expect(lines).toHaveLength(planned.lines);
    const statement = toStatement({ statementId: planned.statementId, type: planned.type, account: planned.account, asOf: planned.asOf }, lines) as Statement;
    const none = new Set<string>();
    let outcome;
    if (statement.type === 'HOLDINGS') {
      const ours = Object.entries(holdingsOf(movements, account.safekeepingAccount, planned.asOf)).map(([isin, q]) => ({ isin, quantity: new Decimal(q) }));
      outcome = reconcilePositions(ours, statement.lines, DEFAULT_RECONCILIATION_CONFIG, none);
    } else if (statement.type === 'CASH') {
      const ours = Object.entries(cashOf(movements, account.cashAccount, account.currency, planned.asOf)).map(([currency, a]) => ({ currency, amount: new Decimal(a) }));
      outcome = reconcileCash(ours, statement.lines, DEFAULT_RECONCILIATION_CONFIG, none);
    } else {
      // Our settled movements as settlement states them: a free-of-payment one with no cash, in no currency.
      const ours = movements
        .filter((m) => m.safekeepingAccount === account.safekeepingAccount && m.settlementDate === planned.asOf)
        .map((m) => ({
          movementId: m.reference,
          instructionId: m.instructionId!,
          isin: m.isin,
          quantity: new Decimal(m.quantity),
          amount: new Decimal(m.amount ?? '0'),
          currency: m.amount === null ? 'XXX' : m.currency,
          direction: m.direction,
          settlementDate: m.settlementDate,
        }));
      outcome = reconcileTransactions(ours, statement.type === 'TRANSACTIONS' ? statement.lines : [], DEFAULT_RECONCILIATION_CONFIG, 'EU', none);
    }
    for (const b of outcome.breaks) {
      const key = b.key.instructionId ? `trade:${b.key.instructionId.slice(2)}` : Object.entries(b.key).map(([k, v]) => `${k}:${v}`).join(',');
      found.push({ statementId: planned.statementId, key, reason: b.reason });
    }
  }
  return found;
}

describe('the reconciliation plan', () => {
  it('sends, every processing day, holdings, postings and cash for every account of our SSIs, each type by every way in, and a blotter every trade day', () => {
    const scenario = scenarioWith(0);
    const { plan } = ourSide(scenario);
    const accounts = plan.accounts.length;
    expect(accounts).toBeGreaterThanOrEqual(4);
    expect(plan.statements).toHaveLength(scenario.calendar.processingDays.length * accounts * 3);
    for (const type of ['HOLDINGS', 'TRANSACTIONS', 'CASH']) {
      expect(new Set(plan.statements.filter((s) => s.type === type).map((s) => s.form))).toEqual(new Set(['XML', 'JSON', 'CSV', 'KAFKA']));
    }
    expect(plan.blotters.map((b) => [b.tradeDate, b.form])).toEqual([[scenario.calendar.tradeDays[0], 'JSON'], [scenario.calendar.tradeDays[1], 'CSV']]);
    expect(new Set(plan.statements.map((s) => s.statementId)).size).toBe(plan.statements.length);
    expect(plan.statements.every((s) => s.statementId.length <= 35)).toBe(true);
  });

  it('injects nothing at a share of 0, and expects no break: the books agree with the custodian, as the engine confirms', () => {
    const scenario = scenarioWith(0);
    const { plan } = ourSide(scenario);
    expect(plan.statements.flatMap((s) => s.injections)).toEqual([]);
    expect(plan.blotters.flatMap((b) => b.injections)).toEqual([]);
    expect([plan.breaksFound, plan.breaks]).toEqual([0, []]);
    expect([...plan.statements, ...plan.blotters].every((s) => s.breaksOpened === 0)).toBe(true);
    expect(engineFindings(scenario)).toEqual([]);
    expect(plan.statements.reduce((n, s) => n + s.lines, 0)).toBeGreaterThan(100);
  });

  it('expects, for each injected difference, exactly the break the engine finds: its key and reason', () => {
    const scenario = scenarioWith(0.15, 'inject');
    const { plan } = ourSide(scenario);
    const kinds = new Set(plan.statements.flatMap((s) => s.injections.map((i) => `${s.type} ${i.kind}`)));
    expect([...kinds].sort()).toEqual(['CASH AMOUNT', 'CASH EXTRA', 'HOLDINGS DROP', 'HOLDINGS EXTRA', 'HOLDINGS QUANTITY', 'TRANSACTIONS DROP', 'TRANSACTIONS EXTRA', 'TRANSACTIONS QUANTITY']);
    const found = engineFindings(scenario);
    expect(found.length).toBe(plan.statements.reduce((n, s) => n + s.injections.length, 0));
    // Each statement opens a break per difference not already open on its key (a holdings difference found again keeps its break).
    for (const s of plan.statements) {
      const mine = found.filter((f) => f.statementId === s.statementId).length;
      expect(s.breaksOpened).toBeLessThanOrEqual(mine);
      if (s.type === 'TRANSACTIONS') expect([s.statementId, s.breaksOpened]).toEqual([s.statementId, mine]);
    }
    // The last day's holdings and cash breaks stay open (nothing later agrees), each as the engine found it.
    const lastDay = scenario.calendar.lastDay;
    const lastStatements = new Map(plan.statements.filter((s) => s.asOf === lastDay && s.type !== 'TRANSACTIONS').map((s) => [s.statementId, s]));
    const lastFound = found.filter((f) => lastStatements.has(f.statementId)).map((f) => {
      const s = lastStatements.get(f.statementId)!;
      return `${s.breakType}|${s.account}|${f.key}|${f.reason}`;
    });
    const openBalances = plan.breaks.filter((b) => b.type === 'POSITION' || b.type === 'CASH').map((b) => `${b.type}|${b.account}|${b.key}|${b.reason}`);
    expect(openBalances.sort()).toEqual(lastFound.sort());
    // Every posting difference stays open: no later day's statement speaks for that day's postings again, but the rest of a partial.
    const transactionFindings = found.filter((f) => f.statementId.includes('-T'));
    expect(plan.breaks.filter((b) => b.type === 'TRANSACTION').length).toBeLessThanOrEqual(transactionFindings.length);
    expect(plan.breaks.filter((b) => b.type === 'TRANSACTION').length).toBeGreaterThan(0);
  });

  it("expects a blotter's differences as the engine finds them: a price changed, a trade missing", () => {
    const scenario = scenarioWith(0.1, 'blotter');
    const { expected, plan } = ourSide(scenario);
    const instructed = new Set(expected.trades.filter((t) => t.settlement).map((t) => t.sourceTradeId));
    for (const planned of plan.blotters) {
      const lines = blotterLines(scenario.trades, planned.tradeDate, (t) => cancelledBy(t, instructed.has(t.sourceTradeId), planned.tradeDate));
      const ours = lines.map((l) => ({ ...l, tradeId: `id-${l.sourceTradeId}`, quantity: new Decimal(l.quantity), price: new Decimal(l.price) }));
      const theirs = toBlotter(scenario.sourceSystem, planned.tradeDate, injectBlotter(lines, planned.injections).lines).trades;
      const outcome = reconcileTrades(ours, theirs, DEFAULT_RECONCILIATION_CONFIG, new Set());
      const found = outcome.breaks.map((b) => `trade:${b.key.sourceTradeId} ${b.reason}`).sort();
      const wanted = plan.breaks.filter((b) => b.type === 'TRADE' && b.asOf === planned.tradeDate).map((b) => `${b.key} ${b.reason}`).sort();
      expect(found).toEqual(wanted);
      expect(theirs).toHaveLength(planned.trades);
    }
    expect(plan.blotters.flatMap((b) => b.injections).map((i) => i.kind).sort()).toEqual(expect.arrayContaining(['MISSING', 'PRICE']));
  });

  it('is the same plan for the same scenario', () => {
    const scenario = scenarioWith(0.05, 'same');
    const trades = computeExpectedState(scenario).trades;
    expect(planReconciliation(scenario, trades)).toEqual(planReconciliation(scenario, trades));
  });
});
