import { jaroWinkler } from './jaro-winkler';

/**
 * Legal forms and filler words that say nothing about who a party is (DOMAIN.md "Sanctions"):
 * dropped from both names before they are compared. The DOMAIN.md list, plus legal forms of the
 * countries the sanctions lists name most (LTDA, PVT, PTE, SAL, FZE, SDN BHD, DOO, CJSC, …).
 */
export const NOISE_WORDS: ReadonlySet<string> = new Set([
  'LTD', 'LIMITED', 'INC', 'INCORPORATED', 'CORP', 'CORPORATION', 'LLC', 'LLP', 'LP', 'PLC', 'SA', 'AG', 'GMBH', 'CO', 'COMPANY',
  'NV', 'BV', 'SARL', 'SPA', 'SRL', 'OOO', 'ZAO', 'OAO', 'PJSC', 'JSC', 'AB', 'AS', 'OY', 'KG', 'THE', 'AND', 'OF',
  'LTDA', 'PVT', 'PTE', 'SAL', 'SAS', 'FZE', 'FZCO', 'FZC', 'FZ', 'BHD', 'SDN', 'DOO', 'CJSC', 'OJSC', 'PJS', 'SAC', 'SAB', 'CV', 'KGAA', 'SE',
  'OYJ', 'ASA', 'NYRT', 'SGPS', 'SPZOO', 'KK', 'TOO', 'EOOD', 'OOD', 'AO', 'PAO', 'TOV', 'LIMITADA', 'COMPANIA', 'CIA', 'SOCIEDAD', 'ANONIMA',
]);

/**
 * Common business words ("… HOLDING", "… GROUP", "… INTERNATIONAL", "… TRADING"): kept, but they
 * weigh a tenth of a distinctive part when names are compared (sanctions-index.ts), so adding or
 * dropping one does not move a name away from its entry.
 */
export const BUSINESS_WORDS: ReadonlySet<string> = new Set([
  'HOLDING', 'HOLDINGS', 'GROUP', 'GROUPE', 'GRUPO', 'INTERNATIONAL', 'INTL', 'TRADING', 'TRADE', 'TRADERS', 'ENTERPRISE', 'ENTERPRISES',
  'INDUSTRIES', 'INDUSTRY', 'INDUSTRIAL', 'GLOBAL', 'GENERAL', 'SERVICES', 'SERVICE', 'INVESTMENT', 'INVESTMENTS', 'VENTURES',
  'PARTNERS', 'SOLUTIONS', 'MANAGEMENT', 'COMMERCIAL', 'WORLDWIDE', 'IMPORT', 'EXPORT', 'ESTABLISHMENT',
]);

/** A word at least this long that is a near-spelling of a noise or business word counts as one ("LIMITEDD", "COMPONY"). */
const FUZZY_WORD_MIN_LENGTH = 6;
const FUZZY_WORD_SIMILARITY = 0.92;

/**
 * The spelling key of a name part, which undoes the common differences of transliteration: KH→H,
 * CH/SH→X, PH→F, CK/C/Q→K, Z→S, DJ→J, Y before a vowel → J, W→V, E/I/Y → I, O/U → U (IE, OU, EE,
 * OO collapse), and a doubled letter → one. HEZBOLLAH gives HISBULAH and HIZBALLAH HISBALAH;
 * parts are compared on their keys as well as on their letters (sanctions-index.ts).
 */
export function phoneticKey(part: string): string {
  return part
    .replace(/KH/g, 'H')
    .replace(/[CS]H/g, 'X')
    .replace(/PH/g, 'F')
    .replace(/CK/g, 'K')
    .replace(/[CQ]/g, 'K')
    .replace(/Z/g, 'S')
    .replace(/DJ/g, 'J')
    .replace(/Y(?=[AEIOU])/g, 'J')
    .replace(/W/g, 'V')
    .replace(/(?<=[A-Z])[EIY]+(?=[AOU])/g, '')
    .replace(/[EIY]+/g, 'I')
    .replace(/[OU]+/g, 'U')
    .replace(/(.)\1+/g, '$1');
}

const NOISE_KEYS = new Map([...NOISE_WORDS].filter((w) => w.length >= FUZZY_WORD_MIN_LENGTH).map((w) => [phoneticKey(w), w]));
const BUSINESS_KEYS = new Map([...BUSINESS_WORDS].filter((w) => w.length >= FUZZY_WORD_MIN_LENGTH).map((w) => [phoneticKey(w), w]));
const wordClasses = new Map<string, 'noise' | 'business' | 'name'>();

/** Whether a word is a legal form or filler (noise), a common business word, or part of the name; near-spellings count. */
export function wordClass(word: string): 'noise' | 'business' | 'name' {
  let known = wordClasses.get(word);
  if (known !== undefined) return known;
  known = NOISE_WORDS.has(word) ? 'noise' : BUSINESS_WORDS.has(word) ? 'business' : 'name';
  if (known === 'name' && word.length >= FUZZY_WORD_MIN_LENGTH && /^[A-Z]+$/.test(word)) {
    const key = phoneticKey(word);
    if (NOISE_KEYS.has(key) || [...NOISE_WORDS].some((w) => w.length >= FUZZY_WORD_MIN_LENGTH && jaroWinkler(word, w) >= FUZZY_WORD_SIMILARITY)) known = 'noise';
    else if (BUSINESS_KEYS.has(key) || [...BUSINESS_WORDS].some((w) => w.length >= FUZZY_WORD_MIN_LENGTH && jaroWinkler(word, w) >= FUZZY_WORD_SIMILARITY)) known = 'business';
  }
  if (wordClasses.size < 200_000) wordClasses.set(word, known);
  return known;
}

/** Whether a name part is a common business word (or a near-spelling of one). */
export function isBusinessWord(part: string): boolean {
  return wordClass(part) === 'business';
}

/** Cyrillic (BGN/PCGN, simplified) and Greek (ELOT 743, simplified) capitals in Latin letters. */
const TO_LATIN: Record<string, string> = {
  А: 'A', Б: 'B', В: 'V', Г: 'G', Д: 'D', Е: 'E', Ё: 'E', Ж: 'ZH', З: 'Z', И: 'I', Й: 'Y', К: 'K', Л: 'L', М: 'M', Н: 'N', О: 'O', П: 'P',
  Р: 'R', С: 'S', Т: 'T', У: 'U', Ф: 'F', Х: 'KH', Ц: 'TS', Ч: 'CH', Ш: 'SH', Щ: 'SHCH', Ъ: '', Ы: 'Y', Ь: '', Э: 'E', Ю: 'YU', Я: 'YA',
  Є: 'YE', І: 'I', Ї: 'YI', Ґ: 'G', Ў: 'U',
  Α: 'A', Β: 'V', Γ: 'G', Δ: 'D', Ε: 'E', Ζ: 'Z', Η: 'I', Θ: 'TH', Ι: 'I', Κ: 'K', Λ: 'L', Μ: 'M', Ν: 'N', Ξ: 'X', Ο: 'O', Π: 'P',
  Ρ: 'R', Σ: 'S', Τ: 'T', Υ: 'Y', Φ: 'F', Χ: 'CH', Ψ: 'PS', Ω: 'O',
};

/** Cyrillic and Greek letters written in Latin ones; other scripts (Arabic, Chinese, …) are not transliterated. */
function toLatin(upper: string): string {
  return /[\u0370-\u03ff\u0400-\u04ff]/.test(upper) ? upper.replace(/[\u0370-\u03ff\u0400-\u04ff]/g, (c) => TO_LATIN[c] ?? c) : upper;
}

/**
 * The parts of a name as screening compares them: Cyrillic and Greek letters in Latin ones, diacritics stripped, upper case, punctuation and
 * hyphens as spaces, noise words (and near-spellings of them) dropped. A name made only of noise
 * words keeps them, so that it still equals itself; apostrophes and dots join (O'NEIL → ONEIL,
 * S.A. → SA).
 */
export function nameParts(name: string): string[] {
  const words = toLatin(name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toUpperCase())
    .replace(/['’`.]/g, '')
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => word.length > 0);
  const meaningful = words.filter((word) => wordClass(word) !== 'noise');
  return meaningful.length > 0 ? meaningful : words;
}

/** The normalised name: its parts joined by single spaces. */
export function normalisedName(name: string): string {
  return nameParts(name).join(' ');
}
