/** Upper-case letters become their ISO 7064 value (A=10 … Z=35); digits stay as they are. */
export function expandLetters(value: string): string {
  let digits = '';
  for (const char of value) {
    digits += char >= 'A' && char <= 'Z' ? String(char.charCodeAt(0) - 55) : char;
  }
  return digits;
}

/** Luhn over a digit string that ends with its check digit. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * ISO 7064 MOD 97-10 remainder of a digit string. Folded piece by piece because a 40-digit LEI
 * expansion is far beyond the integers a JS number holds exactly.
 */
export function mod97(digits: string): number {
  let remainder = 0;
  for (let i = 0; i < digits.length; i += 7) {
    remainder = Number(String(remainder) + digits.slice(i, i + 7)) % 97;
  }
  return remainder;
}

/** The LEI whose first 18 characters are `prefix`: its two ISO 7064 MOD 97-10 check digits appended. */
export function leiWithCheckDigits(prefix: string): string {
  if (!/^[0-9A-Z]{18}$/.test(prefix)) throw new Error(`an LEI prefix is 18 upper-case letters and digits, not ${prefix}`);
  return `${prefix}${String(98 - mod97(expandLetters(`${prefix}00`))).padStart(2, '0')}`;
}

/** The ISIN whose first 11 characters are `prefix`: its Luhn check digit appended. */
export function isinWithCheckDigit(prefix: string): string {
  if (!/^[A-Z]{2}[0-9A-Z]{9}$/.test(prefix)) throw new Error(`an ISIN prefix is a country code and 9 letters or digits, not ${prefix}`);
  for (let digit = 0; digit <= 9; digit++) if (passesLuhn(expandLetters(`${prefix}${digit}`))) return `${prefix}${digit}`;
  throw new Error(`no Luhn check digit for ${prefix}`); // unreachable: one of ten digits always completes the sum
}
