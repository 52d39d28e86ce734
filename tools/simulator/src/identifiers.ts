import { isinWithCheckDigit, leiWithCheckDigits, validateBic, validateIsin, validateLei } from '@postrade/kernel';

/**
 * Identifiers of one run, made up but valid: LEIs with their ISO 7064 MOD 97-10 check digits,
 * ISINs with their Luhn check digit, BICs of the right shape. Each carries the run tag, so that a
 * run on a platform kept from earlier runs collides with none of them and its traces (dead letters,
 * books) can be told apart.
 */

const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function base36(n: number, width: number): string {
  let text = '';
  let rest = n;
  for (let i = 0; i < width; i++) {
    text = BASE36[rest % 36] + text;
    rest = Math.floor(rest / 36);
  }
  if (rest > 0) throw new Error(`${n} does not fit in ${width} base-36 characters`);
  return text;
}

function checked(value: string, reason: string | null, what: string): string {
  if (reason !== null) throw new Error(`generated ${what} ${value} is invalid: ${reason}`);
  return value;
}

/** An LEI: the run tag (6 letters), a 2-letter role, a 10-digit serial and the MOD 97-10 check digits. */
export function makeLei(tag: string, role: string, serial: number): string {
  const base = `${tag}${role}${String(serial).padStart(10, '0')}`;
  if (base.length !== 18) throw new Error(`LEI base ${base} must be 18 characters`);
  const lei = leiWithCheckDigits(base);
  return checked(lei, validateLei(lei), 'LEI');
}

/** An ISIN: a country prefix, the run tag, a 3-character serial and the Luhn check digit. */
export function makeIsin(country: string, tag: string, serial: number): string {
  const base = `${country}${tag}${base36(serial, 3)}`;
  if (base.length !== 11) throw new Error(`ISIN base ${base} must be 11 characters`);
  const isin = isinWithCheckDigit(base);
  return checked(isin, validateIsin(isin), 'ISIN');
}

/** A BIC: four letters of institution, the country, location "22" and, optionally, a branch. */
export function makeBic(institution: string, country: string, branch = ''): string {
  const bic = `${institution}${country}22${branch}`;
  return checked(bic, validateBic(bic), 'BIC');
}

/** Four letters from a number, for institution codes. */
export function letterCode(n: number, width = 4): string {
  let text = '';
  let rest = n;
  for (let i = 0; i < width; i++) {
    text = String.fromCharCode(65 + (rest % 26)) + text;
    rest = Math.floor(rest / 26);
  }
  return text;
}
