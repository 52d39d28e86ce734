const CODES: Record<string, string> = {
  B: '1', F: '1', P: '1', V: '1',
  C: '2', G: '2', J: '2', K: '2', Q: '2', S: '2', X: '2', Z: '2',
  D: '3', T: '3',
  L: '4',
  M: '5', N: '5',
  R: '6',
};

/**
 * American Soundex of a word of letters A–Z (other characters are ignored): the first letter and
 * three digits. H and W do not separate letters of the same code; vowels do. "" for no letters.
 */
export function soundex(word: string): string {
  const letters = word.toUpperCase().replace(/[^A-Z]/g, '');
  if (letters.length === 0) return '';
  let code = letters[0];
  let previous = CODES[letters[0]] ?? '';
  for (let i = 1; i < letters.length && code.length < 4; i++) {
    const letter = letters[i];
    const digit = CODES[letter];
    if (digit !== undefined) {
      if (digit !== previous) code += digit;
      previous = digit;
    } else if (letter !== 'H' && letter !== 'W') {
      previous = '';
    }
  }
  return code.padEnd(4, '0');
}
