/**
 * Legal forms and filler words that say nothing about who a party is (DOMAIN.md "Sanctions"):
 * dropped from both names before they are compared.
 */
export const NOISE_WORDS: ReadonlySet<string> = new Set([
  'LTD', 'LIMITED', 'INC', 'INCORPORATED', 'CORP', 'CORPORATION', 'LLC', 'LLP', 'LP', 'PLC', 'SA', 'AG', 'GMBH', 'CO', 'COMPANY',
  'NV', 'BV', 'SARL', 'SPA', 'SRL', 'OOO', 'ZAO', 'OAO', 'PJSC', 'JSC', 'AB', 'AS', 'OY', 'KG', 'THE', 'AND', 'OF',
]);

/**
 * The parts of a name as screening compares them: diacritics stripped, upper case, punctuation and
 * hyphens as spaces, noise words dropped. A name made only of noise words keeps them, so that it
 * still equals itself; apostrophes and dots join (O'NEIL → ONEIL, S.A. → SA).
 */
export function nameParts(name: string): string[] {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/['’`.]/g, '')
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => word.length > 0);
  const meaningful = words.filter((word) => !NOISE_WORDS.has(word));
  return meaningful.length > 0 ? meaningful : words;
}

/** The normalised name: its parts joined by single spaces. */
export function normalisedName(name: string): string {
  return nameParts(name).join(' ');
}
