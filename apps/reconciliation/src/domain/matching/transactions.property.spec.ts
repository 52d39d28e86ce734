import fc from 'fast-check';
import { addSettlementBusinessDays, Decimal, settlementAmountTolerance, settlementBusinessDays, type SettlementMarket } from '@postrade/kernel';
import type { OurMovement, TransactionLine } from '../model';
import { amountArb, currencyArb, isinArb, PROPERTY_RUNS, quantityArb, seedArb, shuffled, splitDecimal, type ValueOf } from './matching-arbitraries';
import { configWith } from './matching-fixtures';
import { reconcileTransactions } from './transactions';

const NO_OPEN = new Set<string>();

/** How the custodian reports one instruction. */
type Shape = 'ECHO_EACH' | 'ECHO_ONE' | 'ECHO_SPLIT' | 'ANONYMOUS' | 'UNKNOWN_ID';

const instructionArb = fc.record({
  isin: isinArb,
  currency: currencyArb,
  direction: fc.constantFrom('RECEIVE' as const, 'DELIVER' as const),
  quantity: quantityArb,
  amount: amountArb,
  partials: fc.oneof({ weight: 5, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.integer({ min: 2, max: 3 }) }),
  day: fc.nat(),
  shape: fc.constantFrom<Shape>('ECHO_EACH', 'ECHO_ONE', 'ECHO_SPLIT', 'ANONYMOUS', 'UNKNOWN_ID'),
  splitLines: fc.integer({ min: 2, max: 3 }),
  /** Business days the custodian's date lies after ours (taken modulo the window + 1). */
  shift: fc.nat(),
  /** Within the matching tolerance of any amount: 2 units. */
  nudge: fc.constantFrom('0', '0', '0.01', '-1', '2'),
});

const caseArb = fc.record({
  instructions: fc.array(instructionArb, { minLength: 100, maxLength: 300 }),
  market: fc.constantFrom<SettlementMarket>('EU', 'US'),
  window: fc.integer({ min: 0, max: 2 }),
  seed: seedArb,
});
type Case = ValueOf<typeof caseArb>;

const BUSINESS_DAYS: Record<string, string[]> = {
  EU: settlementBusinessDays('EU', '2026-11-02', '2026-12-31'),
  US: settlementBusinessDays('US', '2026-11-02', '2026-12-31'),
};

interface Built {
  ours: OurMovement[];
  theirs: TransactionLine[];
  /** Per instruction id: its movements, its lines, and whether its lines echo the id. */
  byInstruction: Map<string, { movements: OurMovement[]; lines: TransactionLine[]; echoed: boolean }>;
}

/** Our settled movements (partial settlements on consecutive business days) and the statement the custodian would send for them. */
function build(c: Case): Built {
  const days = BUSINESS_DAYS[c.market];
  const ours: OurMovement[] = [];
  const theirs: TransactionLine[] = [];
  const byInstruction: Built['byInstruction'] = new Map();
  const anonymousKeys = new Set<string>();
  c.instructions.forEach((ins, k) => {
    const instructionId = `SI-${k}`;
    const last = ins.partials - 1 + (ins.day % (days.length - ins.partials + 1));
    const quantities = splitDecimal(ins.quantity, ins.partials);
    const amounts = splitDecimal(ins.amount, ins.partials);
    const movements = quantities.map(
      (quantity, p): OurMovement => ({
        movementId: `M-${k}-${p}`,
        instructionId,
        isin: ins.isin,
        quantity,
        amount: amounts[p],
        currency: ins.currency,
        direction: ins.direction,
        settlementDate: days[last - (ins.partials - 1 - p)],
      }),
    );
    const shifted = (date: string) => addSettlementBusinessDays(c.market, date, ins.shift % (c.window + 1));
    let shape = ins.shape;
    // A line without our id must be the only fit for its movement, or pairing it would be a guess.
    const attributes = `${ins.isin}|${ins.direction}|${ins.currency}|${ins.quantity.toFixed()}`;
    if ((shape === 'ANONYMOUS' || shape === 'UNKNOWN_ID') && (ins.partials > 1 || anonymousKeys.has(attributes))) shape = 'ECHO_ONE';
    if (shape === 'ECHO_SPLIT' && ins.partials > 1) shape = 'ECHO_EACH';
    const line = (n: number, quantity: Decimal, amount: Decimal, date: string, echo: string | null): TransactionLine => ({
      reference: `R-${k}-${n}`,
      instructionId: echo,
      isin: ins.isin,
      quantity,
      amount,
      currency: ins.currency,
      direction: ins.direction,
      settlementDate: shifted(date),
    });
    const latest = movements[movements.length - 1].settlementDate;
    let lines: TransactionLine[];
    if (shape === 'ECHO_EACH') lines = movements.map((m, n) => line(n, m.quantity, m.amount, m.settlementDate, instructionId));
    else if (shape === 'ECHO_SPLIT') {
      const amountParts = splitDecimal(ins.amount, ins.splitLines);
      lines = splitDecimal(ins.quantity, ins.splitLines).map((q, n) => line(n, q, amountParts[n], latest, instructionId));
    } else if (shape === 'ECHO_ONE') lines = [line(0, ins.quantity, ins.amount, latest, instructionId)];
    else {
      anonymousKeys.add(attributes);
      lines = [line(0, ins.quantity, ins.amount, latest, shape === 'ANONYMOUS' ? null : `THEIRS-${k}`)];
    }
    lines[0] = { ...lines[0], amount: lines[0].amount.plus(ins.nudge) };
    ours.push(...movements);
    theirs.push(...lines);
    byInstruction.set(instructionId, { movements, lines, echoed: shape.startsWith('ECHO') });
  });
  return { ours: shuffled(ours, c.seed), theirs: shuffled(theirs, c.seed + 1), byInstruction };
}

const allKeys = (ours: readonly OurMovement[], theirs: readonly TransactionLine[]) =>
  new Set([...ours.map((m) => `instruction:${m.instructionId}`), ...theirs.map((l) => `reference:${l.reference}`)]);

const sum = (items: readonly { amount: Decimal }[]) => items.reduce((s, i) => s.plus(i.amount), new Decimal(0));

describe('transactions: property', () => {
  it('a statement drawn from our books reconciles with no break and agrees on every instruction and line', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { ours, theirs, byInstruction } = build(c);
        const outcome = reconcileTransactions(ours, theirs, configWith({ TRANSACTION: { settlementDateBusinessDays: c.window } }), c.market, NO_OPEN);
        expect(outcome.breaks).toEqual([]);
        expect(outcome.agreedKeys).toHaveLength(byInstruction.size + theirs.length);
        expect(new Set(outcome.agreedKeys)).toEqual(allKeys(ours, theirs));
        expect(outcome.matches).toHaveLength([...byInstruction.values()].reduce((n, i) => n + (i.echoed ? 1 : i.lines.length), 0));
        expect(outcome.linesCompared).toBe(theirs.length);
      }),
      PROPERTY_RUNS,
    );
  });

  const injections = ['quantity changed', 'amount changed', 'wrong direction', 'date outside window', 'line missing', 'extra line'] as const;
  type Injection = (typeof injections)[number];
  const expected: Record<Injection, { reason: string; field?: string }> = {
    'quantity changed': { reason: 'DIFFERENT', field: 'quantity' },
    'amount changed': { reason: 'DIFFERENT', field: 'amount' },
    'wrong direction': { reason: 'DIFFERENT', field: 'direction' },
    'date outside window': { reason: 'DIFFERENT', field: 'settlementDate' },
    'line missing': { reason: 'MISSING_THEIRS' },
    'extra line': { reason: 'MISSING_OURS' },
  };

  it.each(injections)('with one difference injected (%s), finds exactly that break and nothing else; everything else still agrees', (injection) => {
    fc.assert(
      fc.property(caseArb, fc.nat(), (c, pick) => {
        const { ours, theirs, byInstruction } = build(c);
        // Differences in a line's values are found for an instruction the line names; a line
        // paired by attributes that stops fitting is a missing pair on each side, not one break.
        const pool = [...byInstruction.entries()].filter(([, i]) => injection === 'line missing' || i.echoed);
        fc.pre(pool.length > 0);
        const [instructionId, target] = pool[pick % pool.length];
        const targeted = new Set(target.lines);
        const change = (f: (line: TransactionLine, n: number) => TransactionLine | null): TransactionLine[] =>
          theirs.flatMap((line) => {
            if (!targeted.has(line)) return [line];
            const changed = f(line, target.lines.indexOf(line));
            return changed === null ? [] : [changed];
          });
        let key = `instruction:${instructionId}`;
        let changed: TransactionLine[];
        switch (injection) {
          case 'quantity changed':
            changed = change((l, n) => (n === 0 ? { ...l, quantity: l.quantity.plus(1) } : l));
            break;
          case 'amount changed': {
            const ourSum = sum(target.movements);
            const off = ourSum.plus(settlementAmountTolerance(ourSum)).plus('0.01').minus(sum(target.lines));
            changed = change((l, n) => (n === 0 ? { ...l, amount: l.amount.plus(off) } : l));
            break;
          }
          case 'wrong direction':
            changed = change((l) => ({ ...l, direction: l.direction === 'RECEIVE' ? 'DELIVER' : 'RECEIVE' }));
            break;
          case 'date outside window': {
            const latest = target.movements[target.movements.length - 1].settlementDate;
            changed = change((l) => ({ ...l, settlementDate: addSettlementBusinessDays(c.market, latest, c.window + 1) }));
            break;
          }
          case 'line missing':
            changed = change(() => null);
            break;
          case 'extra line':
            key = 'reference:EXTRA';
            changed = [
              ...theirs,
              { reference: 'EXTRA', instructionId: null, isin: 'ZZ0000000000', quantity: new Decimal(1), amount: new Decimal(1), currency: 'USD', direction: 'RECEIVE', settlementDate: '2026-11-24' },
            ];
        }
        const outcome = reconcileTransactions(ours, changed, configWith({ TRANSACTION: { settlementDateBusinessDays: c.window } }), c.market, NO_OPEN);
        const { reason, field } = expected[injection];
        expect(outcome.breaks.map((b) => [b.type, b.reason, b.keyString])).toEqual([['TRANSACTION', reason, key]]);
        if (field !== undefined) expect(outcome.breaks[0].fields.map((f) => f.field)).toEqual([field]);
        const stillAgreed = allKeys(ours, changed);
        stillAgreed.delete(key);
        if (injection !== 'extra line') for (const line of target.lines) stillAgreed.delete(`reference:${line.reference}`);
        expect(new Set(outcome.agreedKeys)).toEqual(stillAgreed);
        expect(outcome.agreedKeys).toHaveLength(stillAgreed.size);
      }),
      PROPERTY_RUNS,
    );
  });
});
