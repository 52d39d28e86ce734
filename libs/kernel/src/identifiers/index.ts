export * from './bic';
export * from './country-codes';
export * from './isin';
export * from './lei';
export * from './mic';
export { isinWithCheckDigit, leiWithCheckDigits } from './check-digits';
