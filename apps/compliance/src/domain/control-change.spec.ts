import { decideChange, DEFAULT_LARGE_TRADER_THRESHOLDS, thresholdsOn, validateProposal, type ControlChange } from './control-change';

const TODAY = '2026-12-07';

const pending: ControlChange = {
  changeId: 'C-1',
  kind: 'EXPOSURE_LIMIT',
  target: 'limits/5493001KJTIIGC8Y1R12/USD',
  proposed: { counterpartyLei: '5493001KJTIIGC8Y1R12', currency: 'USD', limit: '100', effectiveFrom: TODAY },
  before: null,
  effectiveFrom: TODAY,
  reason: 'credit review',
  proposedBy: 'dev-ops',
  proposedAt: '2026-12-07T10:00:00.000Z',
  status: 'PENDING',
  decidedBy: null,
  decidedAt: null,
};

describe('changes to lists, limits and thresholds (maker-checker)', () => {
  it('refuses the proposer approving their own change (403), lets a second person, and decides once (409)', () => {
    expect(() => decideChange(pending, 'APPROVED', 'dev-ops', 'now')).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    const approved = decideChange(pending, 'APPROVED', 'dev-supervisor', '2026-12-07T11:00:00.000Z');
    expect(approved).toMatchObject({ status: 'APPROVED', decidedBy: 'dev-supervisor' });
    expect(() => decideChange(approved, 'DECLINED', 'dev-supervisor', 'later')).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });

  it('validates: a restriction ending before it starts, a limit or thresholds dated before today, a negative limit, zero or fractional shares', () => {
    expect(() => validateProposal({ kind: 'RESTRICTION', entry: { isin: 'US0378331005', kind: 'WATCH', from: '2026-12-10', to: '2026-12-01', reason: 'x' } }, TODAY)).toThrow(
      expect.objectContaining({ kind: 'invalid', errors: [expect.objectContaining({ field: 'to' })] }),
    );
    const limit = (l: string, effectiveFrom = TODAY) => ({ kind: 'EXPOSURE_LIMIT' as const, limit: { counterpartyLei: 'L', currency: 'USD', limit: l, effectiveFrom } });
    expect(() => validateProposal(limit('100', '2026-12-06'), TODAY)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'effectiveFrom' })] }));
    expect(() => validateProposal(limit('-1'), TODAY)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'limit' })] }));
    expect(validateProposal(limit('100.50'), TODAY)).toMatchObject({ target: 'limits/L/USD', effectiveFrom: TODAY, proposed: { limit: '100.5' } });
    const thresholds = (shares: string) => ({ kind: 'LARGE_TRADER_THRESHOLDS' as const, thresholds: { shares, usdNotional: '1', effectiveFrom: TODAY } });
    expect(() => validateProposal(thresholds('0'), TODAY)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'shares' })] }));
    expect(() => validateProposal(thresholds('10.5'), TODAY)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'shares' })] }));
    expect(validateProposal(thresholds('10'), TODAY).target).toBe('large-trader-thresholds');
  });

  it('finds the thresholds in force on a date: the latest period starting on or before it, the rule before any', () => {
    const periods = [
      { shares: '3000000', usdNotional: '30000000', effectiveFrom: '2027-01-01' },
      { shares: '1000', usdNotional: '1000', effectiveFrom: '2026-12-10' },
    ];
    expect(thresholdsOn(periods, '2026-12-09')).toBe(DEFAULT_LARGE_TRADER_THRESHOLDS);
    expect(thresholdsOn(periods, '2026-12-10')).toBe(periods[1]);
    expect(thresholdsOn(periods, '2027-06-30')).toBe(periods[0]);
  });
});
