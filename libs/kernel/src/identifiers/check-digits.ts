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
