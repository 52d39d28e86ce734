import type { SanctionsEntry } from '../sanctions-index';

/**
 * The recall corpus: listed names and aliases disturbed the way counterparty data really is, one
 * generator per kind of disturbance, each deterministic for a seed. A generator returns null for a
 * name it cannot disturb in its way (a one-word name cannot be reordered; a name whose words all
 * have fewer than four letters gets no typo: a changed letter in a three-letter acronym is another
 * acronym, not a misspelling). The first letter of a word is never changed or moved by a typo:
 * keying errors there are rare, and the screening's candidate search is keyed by it.
 */
export const DISTURBANCE_KINDS = [
  'one letter changed',
  'two letters swapped',
  'legal form added or dropped',
  'parts reordered',
  'parts joined or split',
  'business word added or removed',
  'transliteration variant',
] as const;
export type DisturbanceKind = (typeof DISTURBANCE_KINDS)[number];

/** A listed name, disturbed; it must still hit its own entry. */
export interface DisturbedName {
  kind: DisturbanceKind;
  entryId: string;
  listedName: string;
  disturbed: string;
}

/** A small seeded generator (mulberry32): the same seed gives the same corpus. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
/** Typos are made in words of at least five letters: one letter of four is a quarter of the word. */
const TYPO_MIN_LETTERS = 5;
const bare = (word: string) => word.toUpperCase().replace(/[^A-Z0-9]/g, '');
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The legal forms the generator adds (as written in counterparty data) and recognises to drop. */
const LEGAL_FORMS_ADDED = ['LTD', 'LIMITED', 'LLC', 'S.A.', 'SA', 'GMBH', 'AG', 'CO., LTD.', 'JSC', 'PJSC', 'FZE', 'FZCO', 'SDN BHD', 'SARL', 'PLC', 'INC.', 'CORP.', 'LLP', 'SRL', 'S.P.A.', 'B.V.', 'N.V.', 'OOO', 'PVT LTD', 'PTE LTD', 'S.A.L.', 'LTDA', 'SAS'];
const LEGAL_FORM_WORDS = new Set(['LTD', 'LIMITED', 'LLC', 'SA', 'GMBH', 'AG', 'CO', 'JSC', 'PJSC', 'FZE', 'FZCO', 'FZC', 'SARL', 'PLC', 'INC', 'CORP', 'CORPORATION', 'LLP', 'SRL', 'SPA', 'BV', 'NV', 'OOO', 'ZAO', 'OAO', 'CJSC', 'OJSC', 'PVT', 'PTE', 'SAL', 'LTDA', 'SAS', 'BHD', 'SDN', 'COMPANY']);
/** The common business words of issue 18 and a few more like them. */
const BUSINESS_WORDS_ADDED = ['HOLDING', 'GROUP', 'INTERNATIONAL', 'TRADING', 'HOLDINGS', 'ENTERPRISES', 'INDUSTRIES', 'GLOBAL'];
const BUSINESS_WORDS = new Set([...BUSINESS_WORDS_ADDED, 'TRADE', 'ENTERPRISE', 'INDUSTRY', 'INTL']);

/** The words of a name as written (punctuation kept inside words). */
function words(name: string): string[] {
  return name.split(/[\s,]+/).filter((w) => w.length > 0);
}

/** Whether a word identifies the party (not a legal form or a common business word). */
const identifying = (word: string) => bare(word) !== '' && !LEGAL_FORM_WORDS.has(bare(word)) && !BUSINESS_WORDS.has(bare(word));

/** Positions (word, letter) of letters A–Z not first in their word, in identifying words of at least `minLength` letters. */
function innerLetters(ws: readonly string[], minLength: number): { w: number; i: number }[] {
  const positions: { w: number; i: number }[] = [];
  ws.forEach((word, w) => {
    if (!identifying(word)) return;
    // Within runs of letters (EP-MOC is two runs, EP and MOC), never at a run's first letter.
    for (const run of word.matchAll(/[A-Za-z]+/g)) {
      if (run[0].length < minLength) continue;
      for (let i = run.index! + 1; i < run.index! + run[0].length; i++) positions.push({ w, i });
    }
  });
  return positions;
}

function replaceAt(word: string, i: number, length: number, by: string): string {
  return word.slice(0, i) + by + word.slice(i + length);
}

function oneLetterChanged(name: string, random: Random): string | null {
  const ws = words(name);
  const positions = innerLetters(ws, TYPO_MIN_LETTERS);
  if (positions.length === 0) return null;
  const { w, i } = pick(random, positions);
  const current = ws[w][i].toUpperCase();
  let letter = current;
  while (letter === current) letter = pick(random, [...LETTERS]);
  ws[w] = replaceAt(ws[w], i, 1, letter);
  return ws.join(' ');
}

function twoLettersSwapped(name: string, random: Random): string | null {
  const ws = words(name);
  const positions = innerLetters(ws, TYPO_MIN_LETTERS).filter(({ w, i }) => /[A-Za-z]/.test(ws[w][i + 1] ?? '') && ws[w][i].toUpperCase() !== ws[w][i + 1].toUpperCase());
  if (positions.length === 0) return null;
  const { w, i } = pick(random, positions);
  ws[w] = replaceAt(ws[w], i, 2, ws[w][i + 1] + ws[w][i]);
  return ws.join(' ');
}


function legalFormAddedOrDropped(name: string, random: Random): string | null {
  const ws = words(name);
  const kept = ws.filter((w) => !LEGAL_FORM_WORDS.has(bare(w)));
  if (kept.length > 0 && kept.length < ws.length) return kept.join(' ');
  return `${name}, ${pick(random, LEGAL_FORMS_ADDED)}`;
}

function partsReordered(name: string, random: Random): string | null {
  const ws = words(name).filter((w) => bare(w) !== '');
  if (ws.length < 2) return null;
  // A rotation by at least one word, or the reversal: the words in another order.
  const rotations = ws.length - 1;
  const choice = Math.floor(random() * (rotations + 1));
  const reordered = choice === rotations ? [...ws].reverse() : [...ws.slice(choice + 1), ...ws.slice(0, choice + 1)];
  return reordered.join(' ');
}

function partsJoinedOrSplit(name: string, random: Random): string | null {
  const ws = words(name);
  const joins = ws.slice(1).flatMap((w, i) => (identifying(ws[i]) && identifying(w) ? [i] : []));
  const splits = ws.flatMap((w, i) => (identifying(w) && /^[A-Za-z]{6,}$/.test(w) ? [i] : []));
  if (joins.length === 0 && splits.length === 0) return null;
  if (splits.length === 0 || (joins.length > 0 && random() < 0.5)) {
    const i = pick(random, joins);
    return [...ws.slice(0, i), ws[i] + ws[i + 1], ...ws.slice(i + 2)].join(' ');
  }
  const i = pick(random, splits);
  const at = 3 + Math.floor(random() * (ws[i].length - 5));
  return [...ws.slice(0, i), ws[i].slice(0, at), ws[i].slice(at), ...ws.slice(i + 1)].join(' ');
}

function businessWordAddedOrRemoved(name: string, random: Random): string | null {
  const ws = words(name);
  const kept = ws.filter((w) => !BUSINESS_WORDS.has(bare(w)));
  if (kept.length > 0 && kept.length < ws.length) return kept.join(' ');
  return `${name} ${pick(random, BUSINESS_WORDS_ADDED)}`;
}

/**
 * Spelling rules of transliteration (from Arabic, Persian, Russian, Chinese, …): each rewrites one
 * occurrence, in either direction.
 */
const TRANSLITERATIONS: readonly [RegExp, string][] = [
  [/Z/, 'S'],
  [/(?<=[AEIOU])S(?=[AEIOU])/, 'Z'],
  [/K/, 'Q'],
  [/Q/, 'K'],
  [/C(?=[AOU])/, 'K'],
  [/K(?=[AOU])/, 'C'],
  [/PH/, 'F'],
  [/F/, 'PH'],
  [/OU/, 'U'],
  [/(?<!O)U/, 'OU'],
  [/IE/, 'Y'],
  [/Y/, 'IE'],
  [/([BDFGKLMNPRSTZ])\1/, '$1'],
  [/(?<=[AEIOU])([LMNRST])(?=[AEIOU])/, '$1$1'],
  [/EH/, 'I'],
  [/E/, 'I'],
  [/I/, 'E'],
  [/O/, 'U'],
  [/U/, 'O'],
  [/KH/, 'H'],
  [/(?<![CSZK])H(?=[AEIOU])/, 'KH'],
  [/J/, 'DJ'],
  [/Y(?=[AEIOU])/, 'J'],
  [/EE/, 'I'],
  [/OO/, 'U'],
];

function applyAt(word: string, rule: RegExp, by: string, random: Random): string | null {
  const global = new RegExp(rule.source, 'g');
  const matches = [...word.matchAll(global)].filter((m) => m.index !== undefined && (m.index > 0 || rule.source.startsWith('(?<')));
  if (matches.length === 0) return null;
  const m = pick(random, matches);
  return word.slice(0, m.index) + m[0].replace(rule, by) + word.slice(m.index! + m[0].length);
}

/** One or two transliteration rules applied to the name's longer words (HEZBOLLAH → HIZBALLAH takes two). */
function transliterationVariant(name: string, random: Random): string | null {
  const ws = words(name.toUpperCase());
  const rounds = random() < 0.5 ? 1 : 2;
  let changed = 0;
  for (let round = 0; round < rounds; round++) {
    const candidates = ws.flatMap((w, i) => (identifying(w) && /^[A-Z]{4,}$/.test(w) ? [i] : []));
    if (candidates.length === 0) break;
    const applicable = candidates.flatMap((i) => TRANSLITERATIONS.filter(([rule]) => applyAt(ws[i], rule, '', () => 0) !== null).map((t) => ({ i, t })));
    if (applicable.length === 0) break;
    const { i, t } = pick(random, applicable);
    const next = applyAt(ws[i], t[0], t[1], random);
    if (next === null || next === ws[i]) continue;
    ws[i] = next;
    changed++;
  }
  return changed > 0 ? ws.join(' ') : null;
}

const GENERATORS: Record<DisturbanceKind, (name: string, random: Random) => string | null> = {
  'one letter changed': oneLetterChanged,
  'two letters swapped': twoLettersSwapped,
  'legal form added or dropped': legalFormAddedOrDropped,
  'parts reordered': partsReordered,
  'parts joined or split': partsJoinedOrSplit,
  'business word added or removed': businessWordAddedOrRemoved,
  'transliteration variant': transliterationVariant,
};

/** One disturbed name of `kind`, or null when the name cannot be disturbed that way. */
export function disturb(kind: DisturbanceKind, name: string, random: Random): string | null {
  return GENERATORS[kind](name, random);
}

/**
 * Up to `perKind` disturbed names of each kind, from the names and aliases of `entries` chosen at
 * random (seeded); a name the kind does not apply to is passed over, as is a disturbance that
 * leaves the name as it was.
 */
export function disturbedNames(entries: readonly SanctionsEntry[], perKind: number, seed = 18): DisturbedName[] {
  const listed = entries.flatMap((entry) => [entry.name, ...entry.aliases].map((name) => ({ entryId: entry.id, name })));
  const corpus: DisturbedName[] = [];
  DISTURBANCE_KINDS.forEach((kind, k) => {
    const random = seededRandom(seed * 1000 + k);
    const order = listed.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let taken = 0;
    for (const i of order) {
      if (taken >= perKind) break;
      const { entryId, name } = listed[i];
      const disturbed = disturb(kind, name, random);
      if (disturbed === null || disturbed.toUpperCase() === name.toUpperCase()) continue;
      corpus.push({ kind, entryId, listedName: name, disturbed });
      taken++;
    }
  });
  return corpus;
}
