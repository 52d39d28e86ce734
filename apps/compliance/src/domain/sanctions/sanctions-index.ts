import { jaro, jaroWinkler } from './jaro-winkler';
import { isBusinessWord, nameParts, phoneticKey } from './name-normalisation';
import { soundex } from './soundex';

/** One record of a sanctions list: its primary name and its aliases (a.k.a., f.k.a., n.k.a.). */
export interface SanctionsEntry {
  id: string;
  name: string;
  aliases: string[];
  program: string;
  country: string;
}

/** The best match of a screened name against one entry. */
export interface SanctionsMatch {
  entryId: string;
  entryName: string;
  program: string;
  /** The listed name or alias that scored. */
  matchedName: string;
  /** The counterparty name or alias that was screened. */
  screenedName: string;
  /** 0–100, two decimals. */
  score: number;
}

export const DEFAULT_SANCTIONS_THRESHOLD = 85;

/** Soundex may lift a part pair to this score, and only a pair already this close by Jaro-Winkler. */
const SOUNDEX_LIFT = 0.85;
const SOUNDEX_LIFT_FLOOR = 0.8;
/** Parts shorter than this are never lifted by Soundex (initials and particles agree by chance). */
const SOUNDEX_MIN_LENGTH = 4;
/** The whole-name comparison counts only for names of about the same length (one not a prefix of the other). */
const WHOLE_NAME_LENGTH_RATIO = 0.8;
/** …and only names of at least this many letters, starting with the same letter, without initials. */
const WHOLE_NAME_MIN_LENGTH = 5;
/** A pair of parts below this similarity counts as not matching at all. */
const PART_FLOOR = 0.8;
/** Two parts of at least PHONETIC_MIN_LENGTH letters score at least the Jaro-Winkler similarity of their spelling keys (phoneticKey), at most this. */
const PHONETIC_SCORE = 0.95;
const PHONETIC_MIN_LENGTH = 4;
/** Spelling keys less similar than this do not lift a pair. */
const SPELLING_FLOOR = 0.9;
/** One word against one word: their spelling keys count from this Jaro-Winkler similarity. */
const SINGLE_WORD_SPELLING_FLOOR = 0.92;
/** One word against one word: the spelling key lifts only words this long. */
const PHONETIC_SINGLE_WORD_MIN_LENGTH = 5;
/** A common business word (HOLDING, GROUP, TRADING, …) weighs this share of a distinctive part of the same rarity. */
const BUSINESS_WORD_WEIGHT = 0.2;
/** Parts this long are also found through their one-letter deletions (a typo, a swapped pair of letters). */
const DELETION_KEY_MIN_LENGTH = 5;
const DELETION_KEY_MAX_LENGTH = 16;
/** Parts this short are found only under themselves, not under their Soundex code. */
const EXACT_KEY_MAX_LENGTH = 3;
/** A candidate key on more names than this is used only when the screened name has no other. */
const COMMON_KEY_NAMES = 600;

interface ListedName {
  entry: number;
  text: string;
  normalised: string;
  /** The parts without spaces, for the whole-name comparison. */
  joined: string;
  tokens: Int32Array;
}

/**
 * A sanctions list prepared for screening (see apps/compliance/README.md "Sanctions screening").
 *
 * Every listed name and alias is split into parts; each distinct part gets a rarity weight
 * (inverse document frequency over the listed names) and a Soundex code. A screened name is only
 * scored against the listed names that share the Soundex code of one of its parts (postings), and
 * each part pair is scored once per screening (memo), so one name costs a few hundred part
 * comparisons instead of one comparison per listed name.
 */
export class SanctionsIndex {
  private readonly names: ListedName[] = [];
  private readonly tokenIds = new Map<string, number>();
  private readonly tokens: string[] = [];
  private readonly tokenCodes: string[] = [];
  private readonly tokenKeys: string[] = [];
  private readonly weights: number[] = [];
  private readonly postings = new Map<string, number[]>();
  private readonly unknownTokenWeight: number;

  private constructor(readonly entries: readonly SanctionsEntry[]) {
    const documentFrequency: number[] = [];
    entries.forEach((entry, entryIndex) => {
      const seen = new Set<string>();
      for (const text of [entry.name, ...entry.aliases]) {
        const parts = nameParts(text);
        const normalised = parts.join(' ');
        if (parts.length === 0 || seen.has(normalised)) continue;
        seen.add(normalised);
        const tokens = Int32Array.from(parts.map((part) => this.tokenId(part)));
        const nameIndex = this.names.push({ entry: entryIndex, text, normalised, joined: parts.join(''), tokens }) - 1;
        const onlyBusinessWords = parts.every(isBusinessWord);
        for (const token of new Set(tokens)) {
          documentFrequency[token] = (documentFrequency[token] ?? 0) + 1;
          // A business word finds its names only when they have nothing else: GROUP alone would find thousands.
          if (!onlyBusinessWords && isBusinessWord(this.tokens[token])) continue;
          for (const key of partKeys(this.tokens[token], this.tokenCodes[token], this.tokenKeys[token])) this.post(key, nameIndex);
        }
        // Also under the whole name's Soundex, so that "ABCTRADING" finds "ABC TRADING" and "ABC TRAD ING" finds "ABCTRADING".
        this.post(wholeNameKey(parts), nameIndex);
      }
    });
    const n = this.names.length;
    this.unknownTokenWeight = rarity(n, 0);
    for (let t = 0; t < this.tokens.length; t++) this.weights[t] = partWeight(this.tokens[t], rarity(n, documentFrequency[t] ?? 0));
  }

  static of(entries: readonly SanctionsEntry[]): SanctionsIndex {
    return new SanctionsIndex(entries);
  }

  private byId: Map<string, SanctionsEntry> | undefined;

  /** The entry of this id, or undefined. */
  entry(id: string): SanctionsEntry | undefined {
    this.byId ??= new Map(this.entries.map((e) => [e.id, e]));
    return this.byId.get(id);
  }

  /** How many names and aliases the index holds. */
  get size(): number {
    return this.names.length;
  }

  /**
   * The best match per entry at or above `threshold` (0–100) for any of `names` (a counterparty's
   * name and aliases), best first.
   */
  screen(names: readonly string[], threshold = DEFAULT_SANCTIONS_THRESHOLD): SanctionsMatch[] {
    const best = new Map<number, SanctionsMatch>();
    for (const screenedName of names) {
      for (const match of this.scoreName(screenedName, threshold)) {
        const current = best.get(match.entry);
        if (current === undefined || match.result.score > current.score) best.set(match.entry, match.result);
      }
    }
    return [...best.values()].sort((a, b) => b.score - a.score || a.entryId.localeCompare(b.entryId));
  }

  private scoreName(screenedName: string, threshold: number): { entry: number; result: SanctionsMatch }[] {
    const parts = nameParts(screenedName);
    if (parts.length === 0) return [];
    const normalised = parts.join(' ');
    const joined = parts.join('');
    // A name made mostly of initials (M&T BANK) was not split off a word: no whole-name comparison for it.
    const initials = parts.filter((part) => part.length === 1).length;
    const hasInitials = initials >= 2 && 2 * initials >= parts.length;
    const queryCodes = parts.map(soundex);
    const queryKeys = parts.map(phoneticKey);
    const queryWeights = parts.map((part) => {
      const id = this.tokenIds.get(part);
      return id === undefined ? partWeight(part, this.unknownTokenWeight) : this.weights[id];
    });
    const queryWeightSum = queryWeights.reduce((s, w) => s + w, 0);

    const candidates = new Set<number>();
    const onlyBusinessWords = parts.every(isBusinessWord);
    const keys = parts.flatMap((part, i) => (!onlyBusinessWords && isBusinessWord(part) ? [] : partKeys(part, queryCodes[i], queryKeys[i])));
    keys.push(wholeNameKey(parts));
    // A key on very many names (AL, M530 for MUHAMMAD) finds candidates only when the name has no rarer key.
    const postings = keys.map((key) => this.postings.get(key) ?? []);
    const rare = postings.filter((list) => list.length <= COMMON_KEY_NAMES);
    for (const list of rare.length > 0 ? rare : postings) for (const nameIndex of list) candidates.add(nameIndex);

    // Part-pair scores, computed once per (query part, listed part) for this screening.
    const memo = parts.map(() => new Map<number, number>());
    const pairScore = (i: number, token: number): number => {
      let score = memo[i].get(token);
      if (score === undefined) {
        score = partScore(parts[i], queryCodes[i], this.tokens[token], this.tokenCodes[token], queryKeys[i], this.tokenKeys[token]);
        memo[i].set(token, score);
      }
      return score;
    };

    const hits: { entry: number; result: SanctionsMatch }[] = [];
    for (const nameIndex of candidates) {
      const listed = this.names[nameIndex];
      let score: number;
      if (listed.normalised === normalised) {
        score = 1;
      } else if (parts.length === 1 && listed.tokens.length === 1) {
        // One word against one word: neither a shared prefix nor Soundex may lift it, or every
        // short brand scores a hit on some listed word that starts alike.
        const token = listed.tokens[0];
        const listedPart = this.tokens[token];
        const listedKey = this.tokenKeys[token];
        // Also their first letters must agree (but KHALED is HALED).
        if (parts[0][0] !== listedPart[0] && !(queryKeys[0][0] === listedKey[0] && (parts[0].startsWith('KH') || listedPart.startsWith('KH')))) continue;
        // A word shorter than five letters hits another only when their spelling keys agree (ABB is not ABBA).
        const long = parts[0].length >= PHONETIC_SINGLE_WORD_MIN_LENGTH && listedPart.length >= PHONETIC_SINGLE_WORD_MIN_LENGTH;
        // Plain Jaro, and only for words of about the same length: one word inside another (INTEL /
        // INHOTEL) is not a misspelling of it.
        if (long) {
          const letters = Math.abs(parts[0].length - listedPart.length) <= 1 ? jaro(parts[0], listedPart) : 0;
          const spelled = Math.abs(queryKeys[0].length - listedKey.length) <= 1 && queryKeys[0].length >= PHONETIC_SINGLE_WORD_MIN_LENGTH ? jaroWinkler(queryKeys[0], listedKey) : 0;
          score = Math.max(letters, spelled >= SINGLE_WORD_SPELLING_FLOOR ? Math.min(PHONETIC_SCORE, spelled) : 0);
        } else score = queryKeys[0] === listedKey && parts[0][0] === listedPart[0] && parts[0].length >= PHONETIC_MIN_LENGTH ? PHONETIC_SCORE : 0;
      } else {
        // The screened name must cover the listed name and the listed name the screened one, each
        // part paired with at most one part of the other name (best pairs first).
        const pairs: { i: number; j: number; score: number }[] = [];
        listed.tokens.forEach((token, j) => {
          for (let i = 0; i < parts.length; i++) {
            const s = pairScore(i, token);
            if (s > 0) pairs.push({ i, j, score: s });
          }
        });
        pairs.sort((a, b) => b.score - a.score || a.i - b.i || a.j - b.j);
        const queryPaired = new Float64Array(parts.length);
        const listedPaired = new Float64Array(listed.tokens.length);
        const queryUsed = new Uint8Array(parts.length);
        const listedUsed = new Uint8Array(listed.tokens.length);
        for (const { i, j, score: s } of pairs) {
          if (queryUsed[i] || listedUsed[j]) continue;
          queryUsed[i] = 1;
          listedUsed[j] = 1;
          queryPaired[i] = s;
          listedPaired[j] = s;
        }
        let queryCovered = 0;
        for (let i = 0; i < parts.length; i++) queryCovered += queryWeights[i] * queryPaired[i];
        let listedCovered = 0;
        let listedWeightSum = 0;
        listed.tokens.forEach((token, j) => {
          listedCovered += this.weights[token] * listedPaired[j];
          listedWeightSum += this.weights[token];
        });
        const partsScore = Math.min(queryCovered / queryWeightSum, listedCovered / listedWeightSum);
        // The whole-name comparison (Jaro, no prefix boost) catches names split or joined
        // differently ("ABC TRADING" / "ABCTRADING"); it counts only when the part counts differ.
        const wholeName =
          parts.length !== listed.tokens.length &&
          joined[0] === listed.joined[0] &&
          joined.length >= WHOLE_NAME_MIN_LENGTH &&
          !hasInitials &&
          similarLength(joined, listed.joined)
            ? jaro(joined, listed.joined)
            : 0;
        score = Math.max(partsScore, wholeName);
      }
      const score100 = Math.round(score * 10000) / 100;
      if (score100 < threshold) continue;
      const entry = this.entries[listed.entry];
      hits.push({
        entry: listed.entry,
        result: { entryId: entry.id, entryName: entry.name, program: entry.program, matchedName: listed.text, screenedName, score: score100 },
      });
    }
    return hits;
  }

  private tokenId(part: string): number {
    let id = this.tokenIds.get(part);
    if (id === undefined) {
      id = this.tokens.push(part) - 1;
      this.tokenIds.set(part, id);
      this.tokenCodes[id] = soundex(part);
      this.tokenKeys[id] = phoneticKey(part);
    }
    return id;
  }

  private post(key: string, nameIndex: number): void {
    const list = this.postings.get(key);
    if (list === undefined) this.postings.set(key, [nameIndex]);
    else if (list[list.length - 1] !== nameIndex) list.push(nameIndex);
  }

}

/**
 * The keys a part is found under: its Soundex code (the part itself when it has no letters or at
 * most three), its spelling
 * key, and the part and its one-letter deletions (so that a changed or swapped letter still finds it).
 */
function partKeys(part: string, code: string, spelling: string): string[] {
  // A part of one to three letters (AL, BIN, SA) finds only itself: its Soundex code is shared by thousands.
  const keys = [code === '' || part.length <= EXACT_KEY_MAX_LENGTH ? `#${part}` : code];
  if (part.length >= PHONETIC_MIN_LENGTH) keys.push(`~${spelling}`);
  if (part.length >= DELETION_KEY_MIN_LENGTH && part.length <= DELETION_KEY_MAX_LENGTH) {
    keys.push(`-${part}`);
    for (let i = 0; i < part.length; i++) keys.push(`-${part.slice(0, i)}${part.slice(i + 1)}`);
  }
  return keys;
}

/** The similarity of two spelling keys: their Jaro-Winkler similarity when at least SPELLING_FLOOR, at most PHONETIC_SCORE; else 0. */
function spellingScore(aKey: string, bKey: string): number {
  const score = aKey === bKey ? 1 : jaroWinkler(aKey, bKey);
  return score >= SPELLING_FLOOR ? Math.min(PHONETIC_SCORE, score) : 0;
}

function partWeight(part: string, rarityWeight: number): number {
  return isBusinessWord(part) ? rarityWeight * BUSINESS_WORD_WEIGHT : rarityWeight;
}

function wholeNameKey(parts: readonly string[]): string {
  return `=${soundex(parts.join(''))}`;
}

function similarLength(a: string, b: string): boolean {
  return Math.min(a.length, b.length) >= WHOLE_NAME_LENGTH_RATIO * Math.max(a.length, b.length);
}

/** Inverse document frequency: a part on few listed names weighs more than one on many. */
function rarity(listedNames: number, namesWithPart: number): number {
  return Math.log(1 + listedNames / (1 + namesWithPart));
}

/**
 * Similarity of two name parts, 0–1: Jaro-Winkler, lifted to 0.85 when their Soundex codes agree,
 * both parts have at least four letters and Jaro-Winkler already gives 0.8; below 0.7 it is 0.
 */
export function partScore(a: string, aCode: string, b: string, bCode: string, aKey = phoneticKey(a), bKey = phoneticKey(b)): number {
  if (a === b) return 1;
  let score = jaroWinkler(a, b);
  if (score >= SOUNDEX_LIFT_FLOOR && aCode !== '' && aCode === bCode && a.length >= SOUNDEX_MIN_LENGTH && b.length >= SOUNDEX_MIN_LENGTH) {
    score = Math.max(score, SOUNDEX_LIFT);
  }
  if (a.length >= PHONETIC_MIN_LENGTH && b.length >= PHONETIC_MIN_LENGTH) score = Math.max(score, spellingScore(aKey, bKey));
  return score < PART_FLOOR ? 0 : score;
}
