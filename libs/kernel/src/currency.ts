import { DomainError } from './errors';

const ZERO_DECIMALS = ['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'] as const;
const THREE_DECIMALS = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'] as const;
const TWO_DECIMALS = [
  'AED', 'AFN', 'ALL', 'AMD', 'ANG', 'AOA', 'ARS', 'AUD', 'AWG', 'AZN', 'BAM', 'BBD', 'BDT', 'BGN', 'BMD', 'BND',
  'BOB', 'BRL', 'BSD', 'BTN', 'BWP', 'BYN', 'BZD', 'CAD', 'CDF', 'CHF', 'CNY', 'COP', 'CRC', 'CUP', 'CVE', 'CZK',
  'DKK', 'DOP', 'DZD', 'EGP', 'ERN', 'ETB', 'EUR', 'FJD', 'FKP', 'GBP', 'GEL', 'GHS', 'GIP', 'GMD', 'GTQ', 'GYD',
  'HKD', 'HNL', 'HTG', 'HUF', 'IDR', 'ILS', 'INR', 'IRR', 'JMD', 'KES', 'KGS', 'KHR', 'KPW', 'KYD', 'KZT', 'LAK',
  'LBP', 'LKR', 'LRD', 'LSL', 'MAD', 'MDL', 'MGA', 'MKD', 'MMK', 'MNT', 'MOP', 'MRU', 'MUR', 'MVR', 'MWK', 'MXN',
  'MYR', 'MZN', 'NAD', 'NGN', 'NIO', 'NOK', 'NPR', 'NZD', 'PAB', 'PEN', 'PGK', 'PHP', 'PKR', 'PLN', 'QAR', 'RON',
  'RSD', 'RUB', 'SAR', 'SBD', 'SCR', 'SDG', 'SEK', 'SGD', 'SHP', 'SLE', 'SOS', 'SRD', 'SSP', 'STN', 'SVC', 'SYP',
  'SZL', 'THB', 'TJS', 'TMT', 'TOP', 'TRY', 'TTD', 'TWD', 'TZS', 'UAH', 'USD', 'UYU', 'UZS', 'VED', 'VES', 'WST',
  'XCD', 'XCG', 'YER', 'ZAR', 'ZMW', 'ZWG',
] as const;

/**
 * ISO 4217 currencies in circulation (List One, maintained by SIX for ISO) with their minor-unit
 * exponent. Fund codes (CLF, UYI, …), precious metals and testing codes are left out on purpose:
 * they have no minor unit and are never a trade's cash currency.
 */
export type CurrencyCode = (typeof ZERO_DECIMALS)[number] | (typeof TWO_DECIMALS)[number] | (typeof THREE_DECIMALS)[number];

const MINOR_UNITS: ReadonlyMap<string, number> = new Map<string, number>([
  ...ZERO_DECIMALS.map((code) => [code, 0] as const),
  ...TWO_DECIMALS.map((code) => [code, 2] as const),
  ...THREE_DECIMALS.map((code) => [code, 3] as const),
]);

export const CURRENCY_CODES: readonly CurrencyCode[] = [...ZERO_DECIMALS, ...TWO_DECIMALS, ...THREE_DECIMALS].sort();

export function isCurrency(code: unknown): code is CurrencyCode {
  return typeof code === 'string' && MINOR_UNITS.has(code);
}

export function assertCurrency(code: unknown, field = 'currency'): CurrencyCode {
  if (!isCurrency(code)) {
    throw DomainError.invalid(field, `"${String(code)}" is not an ISO 4217 currency code (three upper-case letters)`);
  }
  return code;
}

/** Decimals of the currency's minor unit: USD 2, JPY 0, BHD 3. */
export function minorUnits(code: string): number {
  const units = MINOR_UNITS.get(code);
  if (units === undefined) {
    throw DomainError.invalid('currency', `"${code}" is not an ISO 4217 currency code`);
  }
  return units;
}
