import { DomainError } from './errors';
import { assertCurrency, CURRENCY_CODES, isCurrency, minorUnits } from './currency';

describe('ISO 4217 currencies', () => {
  it.each([
    ['USD', 2], ['EUR', 2], ['GBP', 2], ['CHF', 2], ['JPY', 0], ['CAD', 2], ['AUD', 2], ['SEK', 2],
    ['NOK', 2], ['DKK', 2], ['HKD', 2], ['SGD', 2], ['CNY', 2], ['KRW', 0], ['BHD', 3], ['KWD', 3],
    ['NZD', 2], ['ZAR', 2], ['PLN', 2], ['MXN', 2], ['INR', 2], ['BRL', 2],
  ] as const)('%s has %i minor-unit decimals', (code, units) => {
    expect(isCurrency(code)).toBe(true);
    expect(minorUnits(code)).toBe(units);
  });

  it.each(['usd', 'US', 'USDT', 'XAU', 'XXX', 'ABC', '', 'EUR '])('does not know "%s"', (code) => {
    expect(isCurrency(code)).toBe(false);
    expect(() => minorUnits(code)).toThrow(DomainError);
  });

  it('names the field of an unknown currency', () => {
    expect(() => assertCurrency('usd', 'commission.currency')).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field: 'commission.currency' })] }),
    );
  });

  it('lists each code once, as three upper-case letters', () => {
    expect(new Set(CURRENCY_CODES).size).toBe(CURRENCY_CODES.length);
    for (const code of CURRENCY_CODES) expect(code).toMatch(/^[A-Z]{3}$/);
  });
});
