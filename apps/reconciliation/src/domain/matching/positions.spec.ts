import type { HoldingLine, OurPosition } from '../model';
import { configWith, d, DEFAULTS, NO_OPEN_BREAKS, summary } from './matching-fixtures';
import { reconcilePositions } from './positions';

const AAPL = 'US0378331005';
const SAP = 'DE0007164600';
const position = (isin: string, quantity: string): OurPosition => ({ isin, quantity: d(quantity) });
const holding = (isin: string, quantity: string): HoldingLine => ({ isin, quantity: d(quantity) });

describe('reconciling a holdings statement against our positions', () => {
  it('matches equal quantities per ISIN and agrees on their keys', () => {
    const outcome = reconcilePositions([position(AAPL, '1500'), position(SAP, '200')], [holding(SAP, '200.00'), holding(AAPL, '1500')], DEFAULTS, NO_OPEN_BREAKS);
    expect(summary(outcome)).toEqual({
      matches: [`POSITION_EQUAL ${SAP} = ${SAP}`, `POSITION_EQUAL ${AAPL} = ${AAPL}`],
      breaks: [],
      agreed: [`isin:${SAP}`, `isin:${AAPL}`].sort(),
    });
    expect(outcome.linesCompared).toBe(2);
  });

  it('is exact by default: a millionth of a share is a break, theirs − ours', () => {
    const outcome = reconcilePositions([position(AAPL, '1500')], [holding(AAPL, '1499.999999')], DEFAULTS, NO_OPEN_BREAKS);
    expect(outcome.breaks).toEqual([
      {
        type: 'POSITION',
        reason: 'DIFFERENT',
        key: { isin: AAPL },
        keyString: `isin:${AAPL}`,
        ours: { isin: AAPL, quantity: '1500' },
        theirs: { isin: AAPL, quantity: '1499.999999' },
        difference: '-0.000001',
        fields: [{ field: 'quantity', ours: '1500', theirs: '1499.999999' }],
      },
    ]);
    expect(outcome.agreedKeys).toEqual([]);
  });

  it('agrees within a configured quantity tolerance, inclusive, and breaks just beyond it', () => {
    const config = configWith({ POSITION: { quantity: '5' } });
    const at = reconcilePositions([position(AAPL, '1000')], [holding(AAPL, '1005')], config, NO_OPEN_BREAKS);
    expect(summary(at).matches).toEqual([`POSITION_WITHIN_TOLERANCE ${AAPL} = ${AAPL}`]);
    expect(at.breaks).toEqual([]);
    const beyond = reconcilePositions([position(AAPL, '1000')], [holding(AAPL, '994.999')], config, NO_OPEN_BREAKS);
    expect(beyond.breaks.map((b) => [b.reason, b.difference])).toEqual([['DIFFERENT', '-5.001']]);
  });

  it('sums their lines of one ISIN (sub-positions) before comparing', () => {
    const outcome = reconcilePositions([position(AAPL, '1500')], [holding(AAPL, '1000'), holding(AAPL, '500')], DEFAULTS, NO_OPEN_BREAKS);
    expect(outcome.breaks).toEqual([]);
    expect(outcome.linesCompared).toBe(2);
    const short = reconcilePositions([position(AAPL, '1500')], [holding(AAPL, '1000'), holding(AAPL, '400')], DEFAULTS, NO_OPEN_BREAKS);
    expect(short.breaks[0]).toMatchObject({ reason: 'DIFFERENT', theirs: { quantity: '1400' }, difference: '-100' });
  });

  it('reports a position they hold and we do not as MISSING_OURS, and ours they do not report as MISSING_THEIRS', () => {
    const outcome = reconcilePositions([position(AAPL, '1500')], [holding(SAP, '-200')], DEFAULTS, NO_OPEN_BREAKS);
    expect(outcome.breaks).toEqual([
      expect.objectContaining({ reason: 'MISSING_OURS', keyString: `isin:${SAP}`, ours: null, theirs: { isin: SAP, quantity: '-200' }, difference: '-200', fields: [] }),
      expect.objectContaining({ reason: 'MISSING_THEIRS', keyString: `isin:${AAPL}`, ours: { isin: AAPL, quantity: '1500' }, theirs: null, difference: '-1500' }),
    ]);
  });

  it('treats a zero on one side as no position at all', () => {
    const outcome = reconcilePositions([position(AAPL, '0'), position(SAP, '200')], [holding(SAP, '200'), holding('FR0000120271', '0')], DEFAULTS, NO_OPEN_BREAKS);
    expect(outcome.breaks).toEqual([]);
    expect(summary(outcome).agreed).toEqual(['isin:DE0007164600', 'isin:FR0000120271', `isin:${AAPL}`].sort());
    const gone = reconcilePositions([position(AAPL, '0')], [holding(AAPL, '10')], DEFAULTS, NO_OPEN_BREAKS);
    expect(gone.breaks.map((b) => [b.reason, b.ours])).toEqual([['MISSING_OURS', null]]);
  });

  it('closes an open break whose ISIN neither side has any more, but not one still differing or of another kind', () => {
    const open = new Set([`isin:${SAP}`, `isin:${AAPL}`, 'currency:EUR', 'isin:GB0002634946']);
    const outcome = reconcilePositions([position(AAPL, '1500')], [holding(AAPL, '1400')], DEFAULTS, open);
    expect(outcome.agreedKeys.sort()).toEqual(['isin:DE0007164600', 'isin:GB0002634946']);
    expect(outcome.breaks.map((b) => b.keyString)).toEqual([`isin:${AAPL}`]);
  });

  it('reports nothing and agrees on nothing for two empty sides', () => {
    expect(reconcilePositions([], [], DEFAULTS, NO_OPEN_BREAKS)).toEqual({ linesCompared: 0, matches: [], breaks: [], agreedKeys: [] });
  });
});
