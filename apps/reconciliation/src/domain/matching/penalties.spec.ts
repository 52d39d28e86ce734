import { configWith, DEFAULTS, NO_OPEN_BREAKS, ourPenalty, penaltyLine, summary } from './matching-fixtures';
import { reconcilePenalties } from './penalties';

describe('reconciling a penalty report against our assessed penalties', () => {
  it('matches per instruction and day, keyed penalty:<instructionId>:<date>', () => {
    const outcome = reconcilePenalties([ourPenalty()], [penaltyLine()], DEFAULTS, NO_OPEN_BREAKS);
    expect(summary(outcome)).toEqual({ matches: ['PENALTY_EQUAL P-1 = SI-1:2026-11-24'], breaks: [], agreed: ['penalty:SI-1:2026-11-24'] });
  });

  it('allows 0.01 in the currency, inclusive, and breaks at 0.011', () => {
    const within = reconcilePenalties([ourPenalty({ amount: '12.34' })], [penaltyLine({ amount: '12.35' })], DEFAULTS, NO_OPEN_BREAKS);
    expect(summary(within).matches).toEqual(['PENALTY_WITHIN_TOLERANCE P-1 = SI-1:2026-11-24']);
    const beyond = reconcilePenalties([ourPenalty({ amount: '12.34' })], [penaltyLine({ amount: '12.329' })], DEFAULTS, NO_OPEN_BREAKS);
    expect(beyond.breaks).toEqual([
      {
        type: 'PENALTY',
        reason: 'DIFFERENT',
        key: { instructionId: 'SI-1', date: '2026-11-24' },
        keyString: 'penalty:SI-1:2026-11-24',
        ours: { penaltyId: 'P-1', instructionId: 'SI-1', date: '2026-11-24', amount: '12.34', currency: 'EUR', direction: 'PAY' },
        theirs: { instructionId: 'SI-1', date: '2026-11-24', amount: '12.329', currency: 'EUR', direction: 'PAY' },
        difference: '-0.011',
        fields: [{ field: 'amount', ours: '12.34', theirs: '12.329' }],
      },
    ]);
  });

  it('breaks on a different direction or currency even with the same amount', () => {
    const outcome = reconcilePenalties(
      [ourPenalty({ instructionId: 'SI-1' }), ourPenalty({ penaltyId: 'P-2', instructionId: 'SI-2' })],
      [penaltyLine({ instructionId: 'SI-1', direction: 'RECEIVE' }), penaltyLine({ instructionId: 'SI-2', currency: 'USD' })],
      DEFAULTS,
      NO_OPEN_BREAKS,
    );
    expect(outcome.breaks.map((b) => [b.keyString, b.fields, b.difference])).toEqual([
      ['penalty:SI-1:2026-11-24', [{ field: 'direction', ours: 'PAY', theirs: 'RECEIVE' }], null],
      ['penalty:SI-2:2026-11-24', [{ field: 'currency', ours: 'EUR', theirs: 'USD' }], null],
    ]);
  });

  it('tells the days of one instruction apart', () => {
    const outcome = reconcilePenalties([ourPenalty({ date: '2026-11-24' })], [penaltyLine({ date: '2026-11-25' })], DEFAULTS, NO_OPEN_BREAKS);
    expect(summary(outcome).breaks).toEqual(['MISSING_OURS penalty:SI-1:2026-11-25', 'MISSING_THEIRS penalty:SI-1:2026-11-24']);
    expect(outcome.breaks.map((b) => [b.ours === null, b.theirs === null])).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it('adds up two reports of one key on a side, so that a duplicate shows as a difference', () => {
    const outcome = reconcilePenalties([ourPenalty()], [penaltyLine(), penaltyLine()], DEFAULTS, NO_OPEN_BREAKS);
    expect(outcome.breaks).toEqual([expect.objectContaining({ reason: 'DIFFERENT', difference: '12.34', theirs: [expect.anything(), expect.anything()] })]);
  });

  it('applies a configured tolerance instead', () => {
    const config = configWith({ PENALTY: { amount: { kind: 'MATCHING' } } });
    expect(reconcilePenalties([ourPenalty({ amount: '10' })], [penaltyLine({ amount: '12' })], config, NO_OPEN_BREAKS).breaks).toEqual([]);
    expect(reconcilePenalties([ourPenalty({ amount: '10' })], [penaltyLine({ amount: '12.01' })], config, NO_OPEN_BREAKS).breaks).toHaveLength(1);
  });

  it('closes an open penalty break neither side reports any more', () => {
    const open = new Set(['penalty:SI-9:2026-11-20', 'penalty:SI-1:2026-11-24', 'trade:OMS-1']);
    expect(reconcilePenalties([ourPenalty()], [penaltyLine()], DEFAULTS, open).agreedKeys.sort()).toEqual(['penalty:SI-1:2026-11-24', 'penalty:SI-9:2026-11-20']);
  });
});
