import { DomainError, type SettlementMarket } from '@postrade/kernel';
import type { OurMovement, TransactionLine } from '../model';
import type { ReconciliationConfig } from './config';
import { configWith, DEFAULTS, movement, NO_OPEN_BREAKS, summary, transactionLine } from './matching-fixtures';
import { MAX_ATTRIBUTE_CANDIDATES, reconcileTransactions } from './transactions';

const reconcile = (ours: OurMovement[], theirs: TransactionLine[], config: ReconciliationConfig = DEFAULTS, market: SettlementMarket = 'US', open = NO_OPEN_BREAKS) =>
  reconcileTransactions(ours, theirs, config, market, open);
const breaksOf = (ours: OurMovement[], theirs: TransactionLine[], config?: ReconciliationConfig, market?: SettlementMarket) =>
  summary(reconcile(ours, theirs, config, market)).breaks;
/** A line the custodian reports without our instruction id, so only its attributes can pair it. */
const anonymous = (overrides: Parameters<typeof transactionLine>[0] = {}) => transactionLine({ instructionId: null, ...overrides });

describe('reconciling transactions by instruction id', () => {
  it('matches one line to one movement and agrees on the instruction and the line', () => {
    const outcome = reconcile([movement()], [transactionLine()]);
    expect(summary(outcome)).toEqual({ matches: ['INSTRUCTION_ID_ONE_TO_ONE M-1 = R-1'], breaks: [], agreed: ['instruction:SI-1', 'reference:R-1'] });
    expect(outcome.linesCompared).toBe(1);
  });

  it('matches one line against the partial settlements of its instruction (one-to-many) on their sums', () => {
    const ours = [
      movement({ movementId: 'M-1', quantity: '60', amount: '6000', settlementDate: '2026-11-23' }),
      movement({ movementId: 'M-2', quantity: '40', amount: '4000', settlementDate: '2026-11-24' }),
    ];
    const outcome = reconcile(ours, [transactionLine({ quantity: '100', amount: '10000', settlementDate: '2026-11-24' })]);
    expect(summary(outcome).matches).toEqual(['INSTRUCTION_ID_ONE_TO_MANY M-1+M-2 = R-1']);
    expect(outcome.breaks).toEqual([]);
  });

  it('matches a net instruction reported per trade (many-to-one), and several against several (many-to-many)', () => {
    const perTrade = [transactionLine({ reference: 'R-1', quantity: '30', amount: '3000' }), transactionLine({ reference: 'R-2', quantity: '70', amount: '7000' })];
    expect(summary(reconcile([movement()], perTrade)).matches).toEqual(['INSTRUCTION_ID_MANY_TO_ONE M-1 = R-1+R-2']);
    const partials = [movement({ movementId: 'M-1', quantity: '50', amount: '5000' }), movement({ movementId: 'M-2', quantity: '50', amount: '5000' })];
    expect(summary(reconcile(partials, perTrade)).matches).toEqual(['INSTRUCTION_ID_MANY_TO_MANY M-1+M-2 = R-1+R-2']);
  });

  it('reports an instruction whose sums differ as one DIFFERENT break keyed by the instruction, with both sides listed', () => {
    const ours = [movement({ movementId: 'M-1', quantity: '60', amount: '6000' }), movement({ movementId: 'M-2', quantity: '40', amount: '4000' })];
    const outcome = reconcile(ours, [transactionLine({ quantity: '90', amount: '10000' })]);
    expect(outcome.breaks).toEqual([
      {
        type: 'TRANSACTION',
        reason: 'DIFFERENT',
        key: { instructionId: 'SI-1' },
        keyString: 'instruction:SI-1',
        ours: [expect.objectContaining({ movementId: 'M-1', quantity: '60' }), expect.objectContaining({ movementId: 'M-2', quantity: '40' })],
        theirs: [
          {
            reference: 'R-1',
            instructionId: 'SI-1',
            isin: 'US0378331005',
            quantity: '90',
            amount: '10000',
            currency: 'USD',
            direction: 'RECEIVE',
            settlementDate: '2026-11-24',
          },
        ],
        difference: '-10',
        fields: [{ field: 'quantity', ours: '100', theirs: '90' }],
      },
    ]);
    expect(outcome.matches).toEqual([]);
    expect(outcome.agreedKeys).toEqual([]);
  });

  it('names every field that differs, and gives no single difference when two numbers differ', () => {
    const outcome = reconcile([movement()], [transactionLine({ isin: 'DE0007164600', direction: 'DELIVER', currency: 'EUR', quantity: '99', amount: '9900' })]);
    expect(outcome.breaks[0].fields.map((f) => f.field)).toEqual(['isin', 'direction', 'currency', 'quantity', 'amount']);
    expect(outcome.breaks[0].difference).toBeNull();
  });

  it('compares quantities exactly by default and within a configured tolerance, inclusive', () => {
    expect(breaksOf([movement({ quantity: '100' })], [transactionLine({ quantity: '100.0001' })])).toEqual(['DIFFERENT instruction:SI-1']);
    const config = configWith({ TRANSACTION: { quantity: '1' } });
    expect(breaksOf([movement({ quantity: '100' })], [transactionLine({ quantity: '101' })], config)).toEqual([]);
    expect(breaksOf([movement({ quantity: '100' })], [transactionLine({ quantity: '101.01' })], config)).toEqual(['DIFFERENT instruction:SI-1']);
  });

  it('compares amounts within the matching tolerance of our amount: 2 up to 100,000, 25 above', () => {
    expect(breaksOf([movement({ amount: '100000' })], [transactionLine({ amount: '99998' })])).toEqual([]);
    expect(breaksOf([movement({ amount: '100000' })], [transactionLine({ amount: '99997.99' })])).toEqual(['DIFFERENT instruction:SI-1']);
    expect(breaksOf([movement({ amount: '250000' })], [transactionLine({ amount: '250025' })])).toEqual([]);
    const beyond = reconcile([movement({ amount: '250000' })], [transactionLine({ amount: '250025.01' })]);
    expect(beyond.breaks[0]).toMatchObject({ difference: '25.01', fields: [{ field: 'amount', ours: '250000', theirs: '250025.01' }] });
  });

  it('chooses the amount tier on the sum of the instruction, not on each movement', () => {
    const partials = [movement({ movementId: 'M-1', amount: '60000' }), movement({ movementId: 'M-2', quantity: '0', amount: '60000' })];
    expect(breaksOf(partials, [transactionLine({ amount: '120020' })])).toEqual([]);
  });

  it('compares the settlement date, by default exactly', () => {
    const outcome = reconcile([movement({ settlementDate: '2026-11-24' })], [transactionLine({ settlementDate: '2026-11-25' })]);
    expect(outcome.breaks[0]).toMatchObject({ reason: 'DIFFERENT', difference: null, fields: [{ field: 'settlementDate', ours: '2026-11-24', theirs: '2026-11-25' }] });
  });

  it('allows dates N business days apart: one day spans Thanksgiving in the US, not the Monday after', () => {
    const config = configWith({ TRANSACTION: { settlementDateBusinessDays: 1 } });
    expect(breaksOf([movement({ settlementDate: '2026-11-25' })], [transactionLine({ settlementDate: '2026-11-27' })], config, 'US')).toEqual([]);
    expect(breaksOf([movement({ settlementDate: '2026-11-25' })], [transactionLine({ settlementDate: '2026-11-30' })], config, 'US')).toEqual([
      'DIFFERENT instruction:SI-1',
    ]);
    expect(breaksOf([movement({ settlementDate: '2026-11-25' })], [transactionLine({ settlementDate: '2026-11-27' })], config, 'EU')).toEqual([
      'DIFFERENT instruction:SI-1',
    ]);
  });

  it('allows one business day over Christmas and a weekend in the EU (TARGET2), not two', () => {
    const config = configWith({ TRANSACTION: { settlementDateBusinessDays: 1 } });
    expect(breaksOf([movement({ settlementDate: '2026-12-24' })], [transactionLine({ settlementDate: '2026-12-28' })], config, 'EU')).toEqual([]);
    expect(breaksOf([movement({ settlementDate: '2026-12-28' })], [transactionLine({ settlementDate: '2026-12-24' })], config, 'EU')).toEqual([]);
    expect(breaksOf([movement({ settlementDate: '2026-12-24' })], [transactionLine({ settlementDate: '2026-12-29' })], config, 'EU')).toEqual([
      'DIFFERENT instruction:SI-1',
    ]);
  });

  it('compares the date an instruction settled by: the last of its partial settlements', () => {
    const partials = [
      movement({ movementId: 'M-1', quantity: '50', amount: '5000', settlementDate: '2026-11-23' }),
      movement({ movementId: 'M-2', quantity: '50', amount: '5000', settlementDate: '2026-11-25' }),
    ];
    expect(breaksOf(partials, [transactionLine({ settlementDate: '2026-11-25' })])).toEqual([]);
    expect(breaksOf(partials, [transactionLine({ settlementDate: '2026-11-23' })])).toEqual(['DIFFERENT instruction:SI-1']);
  });

  it('reports our movements they do not report as one MISSING_THEIRS break per instruction, listing the movements', () => {
    const ours = [movement({ movementId: 'M-1' }), movement({ movementId: 'M-2' }), movement({ movementId: 'M-3', instructionId: 'SI-2' })];
    const outcome = reconcile(ours, []);
    expect(summary(outcome).breaks).toEqual(['MISSING_THEIRS instruction:SI-1', 'MISSING_THEIRS instruction:SI-2']);
    expect(outcome.breaks[0]).toMatchObject({ key: { instructionId: 'SI-1' }, theirs: null, difference: null, fields: [] });
    expect((outcome.breaks[0].ours as Record<string, string>[]).map((m) => m.movementId)).toEqual(['M-1', 'M-2']);
  });
});

describe('reconciling transactions by attributes', () => {
  it('pairs a line without an instruction id with the one movement it fits exactly (rule ATTRIBUTES)', () => {
    const outcome = reconcile([movement()], [anonymous()]);
    expect(summary(outcome)).toEqual({ matches: ['ATTRIBUTES M-1 = R-1'], breaks: [], agreed: ['instruction:SI-1', 'reference:R-1'] });
  });

  it('takes a line whose instruction id we do not have by its attributes', () => {
    expect(summary(reconcile([movement()], [transactionLine({ instructionId: 'THEIR-OWN-1' })])).matches).toEqual(['ATTRIBUTES M-1 = R-1']);
  });

  it('pairs within the tolerances under ATTRIBUTES_WITHIN_TOLERANCE, and not beyond them', () => {
    const config = configWith({ TRANSACTION: { quantity: '1', settlementDateBusinessDays: 1 } });
    const within = reconcile([movement({ settlementDate: '2026-12-24' })], [anonymous({ quantity: '101', amount: '10002', settlementDate: '2026-12-28' })], config, 'EU');
    expect(summary(within).matches).toEqual(['ATTRIBUTES_WITHIN_TOLERANCE M-1 = R-1']);
    for (const beyond of [{ quantity: '101.5' }, { amount: '10002.01' }, { settlementDate: '2026-12-29' }, { direction: 'DELIVER' as const }, { currency: 'EUR' }]) {
      const outcome = reconcile([movement({ settlementDate: '2026-12-24' })], [anonymous({ settlementDate: '2026-12-28', ...beyond })], config, 'EU');
      expect(summary(outcome).breaks).toEqual(['MISSING_OURS reference:R-1', 'MISSING_THEIRS instruction:SI-1']);
    }
  });

  it('reports a line that fits nothing of ours as MISSING_OURS keyed by its reference', () => {
    const outcome = reconcile([], [anonymous({ reference: 'R-9' })]);
    expect(outcome.breaks).toEqual([
      {
        type: 'TRANSACTION',
        reason: 'MISSING_OURS',
        key: { reference: 'R-9' },
        keyString: 'reference:R-9',
        ours: null,
        theirs: expect.objectContaining({ reference: 'R-9', quantity: '100' }),
        difference: null,
        fields: [],
      },
    ]);
    expect(outcome.breaks[0].theirs).not.toHaveProperty('instructionId');
  });

  it('never guesses between two movements a line fits equally: one AMBIGUOUS break listing both, and neither reported missing', () => {
    const ours = [movement({ movementId: 'M-1', instructionId: 'SI-1' }), movement({ movementId: 'M-2', instructionId: 'SI-2' })];
    const outcome = reconcile(ours, [anonymous()]);
    expect(summary(outcome)).toEqual({ matches: [], breaks: ['AMBIGUOUS reference:R-1'], agreed: [] });
    expect((outcome.breaks[0].ours as Record<string, string>[]).map((m) => m.movementId)).toEqual(['M-1', 'M-2']);
    expect(outcome.breaks[0].theirs).toMatchObject({ reference: 'R-1' });
  });

  it('never guesses between two lines that fit one movement equally: each line is AMBIGUOUS', () => {
    const outcome = reconcile([movement()], [anonymous({ reference: 'R-1' }), anonymous({ reference: 'R-2' })]);
    expect(summary(outcome).breaks).toEqual(['AMBIGUOUS reference:R-1', 'AMBIGUOUS reference:R-2']);
    expect(outcome.matches).toEqual([]);
  });

  it('prefers an exact fit to a fit within tolerance, and leaves the other movement missing', () => {
    const ours = [movement({ movementId: 'M-1', instructionId: 'SI-1', amount: '10001' }), movement({ movementId: 'M-2', instructionId: 'SI-2', amount: '10000' })];
    expect(summary(reconcile(ours, [anonymous({ amount: '10000' })]))).toEqual({
      matches: ['ATTRIBUTES M-2 = R-1'],
      breaks: ['MISSING_THEIRS instruction:SI-1'],
      agreed: ['instruction:SI-2', 'reference:R-1'],
    });
  });

  it('pairs what becomes unique once an exact pair is taken', () => {
    // R-1 fits M-1 and M-2 within tolerance; R-2 fits M-1 exactly. Once R-2 takes M-1, R-1 fits only M-2.
    const ours = [movement({ movementId: 'M-1', instructionId: 'SI-1', amount: '10000' }), movement({ movementId: 'M-2', instructionId: 'SI-2', amount: '10001.5' })];
    const theirs = [anonymous({ reference: 'R-1', amount: '10000.5' }), anonymous({ reference: 'R-2', amount: '10000' })];
    expect(summary(reconcile(ours, theirs))).toEqual({
      matches: ['ATTRIBUTES M-1 = R-2', 'ATTRIBUTES_WITHIN_TOLERANCE M-2 = R-1'],
      breaks: [],
      agreed: ['instruction:SI-1', 'instruction:SI-2', 'reference:R-1', 'reference:R-2'],
    });
  });

  it('does not pair by attributes what the instruction-id pass has taken, nor let an ambiguity take a matched movement', () => {
    const ours = [movement({ movementId: 'M-1', instructionId: 'SI-1' }), movement({ movementId: 'M-2', instructionId: 'SI-2' })];
    const theirs = [transactionLine({ reference: 'R-1', instructionId: 'SI-1' }), anonymous({ reference: 'R-2' })];
    expect(summary(reconcile(ours, theirs)).matches).toEqual(['INSTRUCTION_ID_ONE_TO_ONE M-1 = R-1', 'ATTRIBUTES M-2 = R-2']);
  });

  it('keeps an instruction partly paired by attributes and partly missing out of the agreed keys', () => {
    const ours = [movement({ movementId: 'M-1', quantity: '60' }), movement({ movementId: 'M-2', quantity: '40' })];
    const outcome = reconcile(ours, [anonymous({ quantity: '60' })]);
    expect(summary(outcome)).toEqual({ matches: ['ATTRIBUTES M-1 = R-1'], breaks: ['MISSING_THEIRS instruction:SI-1'], agreed: ['reference:R-1'] });
    expect((outcome.breaks[0].ours as Record<string, string>[]).map((m) => m.movementId)).toEqual(['M-2']);
  });

  it('finds its pair in a hot bucket: hundreds of movements of one ISIN, quantity and date, told apart by amount', () => {
    const ours = Array.from({ length: 300 }, (_, k) => movement({ movementId: `M-${k}`, instructionId: `SI-${k}`, amount: String(10_000 + k * 30) }));
    const theirs = ours.map((m, k) => anonymous({ reference: `R-${k}`, amount: m.amount.plus(k % 2 === 0 ? 2 : -2).toFixed() }));
    const outcome = reconcile(ours, theirs.reverse());
    expect(outcome.breaks).toEqual([]);
    expect(new Set(outcome.matches.map((m) => `${m.ours[0].slice(2)}=${m.theirs[0].slice(2)}`))).toEqual(new Set(ours.map((_, k) => `${k}=${k}`)));
  });

  it('finds its pair in a hot bucket with a quantity tolerance and negative amounts across cell boundaries', () => {
    const config = configWith({ TRANSACTION: { quantity: '0.5', amount: { kind: 'ABSOLUTE', value: '1' } } });
    const ours = Array.from({ length: 100 }, (_, k) => movement({ movementId: `M-${k}`, instructionId: `SI-${k}`, quantity: String(k * 2), amount: String(-1000 - k * 3) }));
    const theirs = ours.map((m, k) => anonymous({ reference: `R-${k}`, quantity: m.quantity.plus(0.5).toFixed(), amount: m.amount.minus(1).toFixed() }));
    const outcome = reconcile(ours, theirs, config);
    expect(outcome.breaks).toEqual([]);
    expect(outcome.matches.every((m) => m.rule === 'ATTRIBUTES_WITHIN_TOLERANCE' && m.ours[0].slice(2) === m.theirs[0].slice(2))).toBe(true);
    expect(outcome.matches).toHaveLength(100);
  });
});

describe('a crowd of look-alikes without instruction ids', () => {
  const crowd = (n: number) => Array.from({ length: n }, (_, k) => movement({ movementId: `M-${k}`, instructionId: `SI-${k}` }));

  it('pairs none of it and lists at most the cap of candidates per line, while a distinct pair beside it still matches', () => {
    const ours = [...crowd(40), movement({ movementId: 'M-X', instructionId: 'SI-X', amount: '50000' })];
    const theirs = [...Array.from({ length: 40 }, (_, k) => anonymous({ reference: `R-${k}` })), anonymous({ reference: 'R-X', amount: '50000' })];
    const outcome = reconcile(ours, theirs);
    expect(summary(outcome).matches).toEqual(['ATTRIBUTES M-X = R-X']);
    const ambiguous = outcome.breaks.filter((b) => b.reason === 'AMBIGUOUS');
    expect(ambiguous).toHaveLength(40);
    expect(ambiguous.every((b) => (b.ours as unknown[]).length === MAX_ATTRIBUTE_CANDIDATES)).toBe(true);
    // What no line got to list is reported as ours missing, one break per instruction.
    expect(outcome.breaks.filter((b) => b.reason === 'MISSING_THEIRS')).toHaveLength(40 - MAX_ATTRIBUTE_CANDIDATES);
    expect(outcome.agreedKeys.sort()).toEqual(['instruction:SI-X', 'reference:R-X']);
  });

  it('pairs no line with a movement that more lines than the cap fit', () => {
    const outcome = reconcile([movement()], Array.from({ length: 40 }, (_, k) => anonymous({ reference: `R-${k}` })));
    expect(outcome.matches).toEqual([]);
    expect(outcome.breaks.map((b) => b.reason)).toEqual(Array(40).fill('AMBIGUOUS'));
  });

  it('stays linear: ten thousand identical lines against ten thousand identical movements', () => {
    const outcome = reconcile(crowd(10_000), Array.from({ length: 10_000 }, (_, k) => anonymous({ reference: `R-${k}` })));
    expect(outcome.matches).toEqual([]);
    expect(outcome.breaks.filter((b) => b.reason === 'AMBIGUOUS')).toHaveLength(10_000);
  });
});

describe('the order of the matching passes', () => {
  it('runs only the passes configured', () => {
    const config = configWith({ TRANSACTION: { keys: ['INSTRUCTION_ID'] } });
    expect(breaksOf([movement({ instructionId: 'SI-2' })], [anonymous()], config)).toEqual(['MISSING_OURS reference:R-1', 'MISSING_THEIRS instruction:SI-2']);
    const byAttributesOnly = configWith({ TRANSACTION: { keys: ['ATTRIBUTES'] } });
    expect(summary(reconcile([movement()], [transactionLine()], byAttributesOnly)).matches).toEqual(['ATTRIBUTES M-1 = R-1']);
  });

  it('lets the instruction-id pass take what the attribute pass found ambiguous when it runs second', () => {
    const config = configWith({ TRANSACTION: { keys: ['ATTRIBUTES', 'INSTRUCTION_ID'] } });
    const ours = [movement({ movementId: 'M-1', instructionId: 'SI-1' }), movement({ movementId: 'M-2', instructionId: 'SI-2' })];
    const outcome = reconcile(ours, [transactionLine({ reference: 'R-1', instructionId: 'SI-2' })], config);
    expect(summary(outcome)).toEqual({
      matches: ['INSTRUCTION_ID_ONE_TO_ONE M-2 = R-1'],
      breaks: ['MISSING_THEIRS instruction:SI-1'],
      agreed: ['instruction:SI-2', 'reference:R-1'],
    });
  });
});

describe('agreed keys of a transactions statement', () => {
  it('closes open breaks neither side mentions any more, and no others', () => {
    const open = new Set(['instruction:SI-OLD', 'reference:R-OLD', 'instruction:SI-1', 'reference:R-2', 'instruction:SI-3', 'isin:US0378331005']);
    const ours = [movement({ movementId: 'M-1', instructionId: 'SI-1' }), movement({ movementId: 'M-3', instructionId: 'SI-3' })];
    const theirs = [transactionLine({ reference: 'R-1', instructionId: 'SI-1' }), anonymous({ reference: 'R-2', quantity: '7' })];
    const outcome = reconcile(ours, theirs, DEFAULTS, 'US', open);
    expect(summary(outcome).breaks).toEqual(['MISSING_OURS reference:R-2', 'MISSING_THEIRS instruction:SI-3']);
    expect(outcome.agreedKeys.sort()).toEqual(['instruction:SI-1', 'instruction:SI-OLD', 'reference:R-1', 'reference:R-OLD']);
  });

  it('does not close an open break on an instruction they still echo, even unpaired', () => {
    const outcome = reconcile([], [transactionLine({ instructionId: 'SI-7', reference: 'R-7' })], DEFAULTS, 'US', new Set(['instruction:SI-7']));
    expect(outcome.agreedKeys).toEqual([]);
  });

  it('lists each agreed key once, however many movements of the instruction were paired', () => {
    const config = configWith({ TRANSACTION: { keys: ['ATTRIBUTES', 'INSTRUCTION_ID'] } });
    const ours = [movement({ movementId: 'M-1', quantity: '60' }), movement({ movementId: 'M-2', quantity: '40' })];
    const outcome = reconcile(ours, [anonymous({ reference: 'R-1', quantity: '60' }), anonymous({ reference: 'R-2', quantity: '40' })], config);
    expect(outcome.agreedKeys.sort()).toEqual(['instruction:SI-1', 'reference:R-1', 'reference:R-2']);
  });
});

describe('a transactions statement the engine refuses', () => {
  it('refuses two unpaired lines with one reference: they would be two breaks with one identity', () => {
    expect(() => reconcile([], [anonymous({ reference: 'R-1' }), anonymous({ reference: 'R-1', quantity: '5' })])).toThrow(DomainError);
  });
});
