import { DomainError, type FieldError } from '@postrade/kernel';
import { validatePayload } from '../../validate-payload';
import { tradeReportedValue } from './payload-fixtures';
import { TradeReported, isNewOrAmend } from './trade-reported.payload';

function rejection(value: unknown): FieldError[] {
  try {
    validatePayload(TradeReported, value);
  } catch (err) {
    if (err instanceof DomainError) return err.errors;
    throw err;
  }
  throw new Error('expected the value to be rejected');
}

describe('TradeReported', () => {
  it('accepts a NEW trade with every field', () => {
    const reported = validatePayload(TradeReported, tradeReportedValue());
    expect(reported).toBeInstanceOf(TradeReported);
    expect(reported).toMatchObject({ action: 'NEW', version: 1, price: '189.25', quantity: '1000' });
    expect(isNewOrAmend(reported)).toBe(true);
  });

  it('accepts a NEW trade without the optional fields', () => {
    const value = tradeReportedValue();
    for (const optional of ['executionTime', 'settlementDate', 'commission', 'fees', 'settlementType']) delete value[optional];
    const reported = validatePayload(TradeReported, value);
    expect('settlementType' in reported).toBe(false);
    expect(reported).toEqual(value);
  });

  it('accepts a CANCEL that carries only the trade keys and version', () => {
    const reported = validatePayload(TradeReported, {
      action: 'CANCEL',
      sourceSystem: 'OMS1',
      sourceTradeId: 'T-1',
      version: 2,
      reason: 'booked in error',
    });
    expect(reported).toMatchObject({ action: 'CANCEL', version: 2 });
    expect(isNewOrAmend(reported)).toBe(false);
  });

  it('still checks a trade field a CANCEL chooses to carry', () => {
    const errors = rejection({ action: 'CANCEL', sourceSystem: 'OMS1', sourceTradeId: 'T-1', version: 2, price: 189.25 });
    expect(errors.map((e) => e.field)).toEqual(['price']);
  });

  it('requires the trade keys and version even on a CANCEL', () => {
    expect(rejection({ action: 'CANCEL', sourceTradeId: 'T-1' }).map((e) => e.field).sort()).toEqual(['sourceSystem', 'version']);
  });

  it('requires the trade fields on an AMEND, naming each missing one', () => {
    const errors = rejection({ action: 'AMEND', sourceSystem: 'OMS1', sourceTradeId: 'T-1', version: 2 });
    expect(errors.map((e) => e.field).sort()).toEqual(
      ['book', 'counterpartyLei', 'currency', 'isin', 'legalEntityLei', 'price', 'quantity', 'side', 'tradeDate'].sort(),
    );
    expect(errors.every((e) => e.message === 'is required')).toBe(true);
  });

  it('rejects a price sent as a JSON number, naming price', () => {
    const errors = rejection(tradeReportedValue({ price: 189.25 }));
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('price');
    expect(errors[0].message).toMatch(/decimal string/);
  });

  it.each(['1e3', '1,000', '.5', '12.', ' 12', ''])('rejects quantity %p, which is not a plain decimal string', (quantity) => {
    expect(rejection(tradeReportedValue({ quantity })).map((e) => e.field)).toEqual(['quantity']);
  });

  it('rejects an unknown field, naming it', () => {
    expect(rejection(tradeReportedValue({ trader: 'jdoe' }))).toEqual([{ field: 'trader', message: 'is not a known field' }]);
  });

  it.each(['23/11/2026', '2026-11-23T00:00:00Z', '20261123', '2026-02-30'])('rejects trade date %p', (tradeDate) => {
    expect(rejection(tradeReportedValue({ tradeDate })).map((e) => e.field)).toEqual(['tradeDate']);
  });

  it('rejects an execution time without an offset', () => {
    expect(rejection(tradeReportedValue({ executionTime: '2026-11-23T14:30:05' })).map((e) => e.field)).toEqual(['executionTime']);
  });

  it.each([
    ['action', 'REPLACE'],
    ['version', 0],
    ['version', '1'],
    ['version', 1.5],
    ['side', 'buy'],
    ['isin', 'us0378331005'],
    ['isin', 'US037833100'],
    ['counterpartyLei', '5493001KJTIIGC8Y1R1X'],
    ['currency', 'usd'],
    ['settlementType', 'RVP'],
    ['book', '   '],
  ])('rejects %s = %p, naming the field', (field, value) => {
    expect(rejection(tradeReportedValue({ [field]: value })).map((e) => e.field)).toEqual([field]);
  });
});
