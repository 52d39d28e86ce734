import { reasonCodeFor } from './break-reason';
import { absoluteTolerance, compareField } from './field-comparison';
import { defaultProfile, ruleFor, type FieldRule } from './matching-profile';

const NET = '50000.00';

describe('tolerance rules', () => {
  it('EXACT accepts equal values written differently and breaks on the smallest difference', () => {
    const exact: FieldRule = { field: 'price', rule: 'EXACT' };
    expect(compareField(exact, '189.25', '189.2500', NET)).toBeNull();
    expect(compareField(exact, '189.25', '189.2501', NET)).toMatchObject({ field: 'price', rule: 'EXACT', tolerance: null, reasonCode: 7 });
  });

  it('PERCENT matches at exactly p % and breaks just beyond', () => {
    const percent: FieldRule = { field: 'price', rule: 'PERCENT', tolerance: '0.5' };
    expect(compareField(percent, '200', '201', NET)).toBeNull();
    expect(compareField(percent, '200', '199', NET)).toBeNull();
    expect(compareField(percent, '200', '201.0001', NET)).toMatchObject({ ours: '200', theirs: '201.0001', tolerance: '0.5%' });
  });

  it('PERCENT 0 (the default price rule) breaks on any difference', () => {
    const rule = ruleFor(defaultProfile(), 'price');
    expect(compareField(rule, '189.25', '189.25', NET)).toBeNull();
    expect(compareField(rule, '189.25', '189.26', NET)).toMatchObject({ rule: 'PERCENT', tolerance: '0%', reasonCode: 7 });
  });

  it('PERCENT_CAPPED allows p % but never more than the cap', () => {
    const capped: FieldRule = { field: 'netAmount', rule: 'PERCENT_CAPPED', tolerance: '1', cap: '50' };
    expect(compareField(capped, '1000', '1010', NET)).toBeNull(); // 1 % = 10, under the cap
    expect(compareField(capped, '1000', '1010.01', NET)).not.toBeNull();
    expect(compareField(capped, '100000', '100050', NET)).toBeNull(); // 1 % = 1000, capped at 50
    expect(compareField(capped, '100000', '100050.01', NET)).toMatchObject({ tolerance: '1% capped at 50', reasonCode: 16 });
  });

  it('ABSOLUTE matches at exactly the amount and breaks one cent beyond', () => {
    const absolute: FieldRule = { field: 'netAmount', rule: 'ABSOLUTE', tolerance: '5' };
    expect(compareField(absolute, '1000.00', '1005.00', NET)).toBeNull();
    expect(compareField(absolute, '1000.00', '994.99', NET)).toMatchObject({ tolerance: '5', reasonCode: 16 });
  });

  it('IGNORE never breaks', () => {
    expect(compareField({ field: 'grossAmount', rule: 'IGNORE' }, '1', '1000000', NET)).toBeNull();
  });

  it('compares settlement dates exactly', () => {
    const rule = ruleFor(defaultProfile(), 'settlementDate');
    expect(compareField(rule, '2026-11-24', '2026-11-24', NET)).toBeNull();
    expect(compareField(rule, '2026-11-24', '2026-11-25', NET)).toEqual({
      field: 'settlementDate',
      ours: '2026-11-24',
      theirs: '2026-11-25',
      rule: 'EXACT',
      tolerance: null,
      reasonCode: 9,
    });
  });
});

describe('the settlement-amount rule of the default profile', () => {
  const net = ruleFor(defaultProfile(), 'netAmount');

  it('allows 2 units when our net amount is at most 100,000', () => {
    expect(absoluteTolerance(net, '100000.00')).toBe('2');
    expect(compareField(net, '100000.00', '100002.00', '100000.00')).toBeNull();
    expect(compareField(net, '100000.00', '100002.01', '100000.00')).toMatchObject({ field: 'netAmount', tolerance: '2', reasonCode: 16 });
  });

  it('allows 25 units when our net amount is above 100,000', () => {
    expect(absoluteTolerance(net, '100000.01')).toBe('25');
    expect(compareField(net, '100000.01', '100025.01', '100000.01')).toBeNull();
    expect(compareField(net, '100000.01', '100025.02', '100000.01')).toMatchObject({ tolerance: '25' });
  });
});

describe('FIX 774 reason codes', () => {
  it.each([
    ['isin', 6],
    ['price', 7],
    ['commission', 8],
    ['settlementDate', 9],
    ['quantity', 11],
    ['fees', 12],
    ['receiverLei', 14],
    ['side', 15],
    ['netAmount', 16],
    ['tradeDate', 17],
    ['grossAmount', 99],
    ['accruedInterest', 99],
  ])('gives %s the code %i', (field, code) => {
    expect(reasonCodeFor(field)).toBe(code);
  });
});
