import type { CashLine, OurCash } from '../model';
import { reconcileCash } from './cash';
import { configWith, d, DEFAULTS, NO_OPEN_BREAKS, summary } from './matching-fixtures';

const cash = (currency: string, amount: string): OurCash => ({ currency, amount: d(amount) });
const line = (currency: string, amount: string): CashLine => ({ currency, amount: d(amount) });
const reasons = (ours: OurCash[], theirs: CashLine[], config = DEFAULTS) => reconcileCash(ours, theirs, config, NO_OPEN_BREAKS).breaks.map((b) => b.reason);

describe('reconciling a cash statement against our cash', () => {
  it('matches an equal balance per currency, keyed currency:<CCY>', () => {
    const outcome = reconcileCash([cash('EUR', '2500000.00')], [line('EUR', '2500000')], DEFAULTS, NO_OPEN_BREAKS);
    expect(summary(outcome)).toEqual({ matches: ['CASH_EQUAL EUR = EUR'], breaks: [], agreed: ['currency:EUR'] });
  });

  it('allows 2 units up to a balance of 100,000 and breaks at 2.01', () => {
    expect(reasons([cash('USD', '100000')], [line('USD', '100002')])).toEqual([]);
    expect(reasons([cash('USD', '100000')], [line('USD', '99998')])).toEqual([]);
    expect(reasons([cash('USD', '100000')], [line('USD', '100002.01')])).toEqual(['DIFFERENT']);
    expect(reasons([cash('USD', '50')], [line('USD', '47.99')])).toEqual(['DIFFERENT']);
  });

  it('allows 25 units above 100,000 and breaks at 25.01', () => {
    expect(reasons([cash('USD', '100000.01')], [line('USD', '100025.01')])).toEqual([]);
    expect(reasons([cash('USD', '100000.01')], [line('USD', '100025.02')])).toEqual(['DIFFERENT']);
    expect(reasons([cash('USD', '-5000000')], [line('USD', '-5000025')])).toEqual([]);
    expect(reasons([cash('USD', '-5000000')], [line('USD', '-5000025.01')])).toEqual(['DIFFERENT']);
  });

  it('records a match within tolerance under its own rule, and the difference of a break as theirs − ours', () => {
    const within = reconcileCash([cash('USD', '1000')], [line('USD', '1001.50')], DEFAULTS, NO_OPEN_BREAKS);
    expect(summary(within).matches).toEqual(['CASH_WITHIN_TOLERANCE USD = USD']);
    const beyond = reconcileCash([cash('USD', '1000')], [line('USD', '997.5')], DEFAULTS, NO_OPEN_BREAKS);
    expect(beyond.breaks[0]).toMatchObject({ reason: 'DIFFERENT', key: { currency: 'USD' }, difference: '-2.5', fields: [{ field: 'amount', ours: '1000', theirs: '997.5' }] });
  });

  it('chooses the tier on their balance when we have none', () => {
    expect(reasons([], [line('GBP', '1.99')])).toEqual([]);
    expect(reasons([], [line('GBP', '2.01')])).toEqual(['MISSING_OURS']);
    expect(reasons([cash('GBP', '2.01')], [])).toEqual(['MISSING_THEIRS']);
  });

  it('applies an ABSOLUTE tolerance whatever the balance', () => {
    const config = configWith({ CASH: { amount: { kind: 'ABSOLUTE', value: '0.01' } } });
    expect(reasons([cash('EUR', '9000000')], [line('EUR', '9000000.01')], config)).toEqual([]);
    expect(reasons([cash('EUR', '9000000')], [line('EUR', '9000000.02')], config)).toEqual(['DIFFERENT']);
  });

  it('sums their lines of one currency and reports each currency on its own', () => {
    const outcome = reconcileCash([cash('EUR', '300'), cash('USD', '10')], [line('EUR', '100'), line('EUR', '200'), line('CHF', '50')], DEFAULTS, NO_OPEN_BREAKS);
    expect(summary(outcome)).toEqual({
      matches: ['CASH_EQUAL EUR = EUR'],
      breaks: ['MISSING_OURS currency:CHF', 'MISSING_THEIRS currency:USD'],
      agreed: ['currency:EUR'],
    });
  });

  it('closes an open break on a currency both sides now show at zero or not at all', () => {
    const open = new Set(['currency:JPY', 'currency:EUR', 'isin:US0378331005']);
    const outcome = reconcileCash([cash('EUR', '0')], [], DEFAULTS, open);
    expect(outcome.agreedKeys.sort()).toEqual(['currency:EUR', 'currency:JPY']);
  });
});
