import { jaro, jaroWinkler } from './jaro-winkler';
import { nameParts } from './name-normalisation';
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
/** A pair of parts below this similarity counts as not matching at all. */
const PART_FLOOR = 0.7;

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
        for (const token of new Set(tokens)) {
          documentFrequency[token] = (documentFrequency[token] ?? 0) + 1;
          this.post(this.postingKey(token), nameIndex);
        }
        // Also under the whole name's Soundex, so that "ABCTRADING" finds "ABC TRADING".
        if (parts.length > 1) this.post(wholeNameKey(parts), nameIndex);
      }
    });
    const n = this.names.length;
    this.unknownTokenWeight = rarity(n, 0);
    for (let t = 0; t < this.tokens.length; t++) this.weights[t] = rarity(n, documentFrequency[t] ?? 0);
  }

  static of(entries: readonly SanctionsEntry[]): SanctionsIndex {
    return new SanctionsIndex(entries);
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
    const queryCodes = parts.map(soundex);
    const queryWeights = parts.map((part) => {
      const id = this.tokenIds.get(part);
      return id === undefined ? this.unknownTokenWeight : this.weights[id];
    });
    const queryWeightSum = queryWeights.reduce((s, w) => s + w, 0);

    const candidates = new Set<number>();
    const keys = parts.map((part, i) => (queryCodes[i] === '' ? `#${part}` : queryCodes[i]));
    keys.push(wholeNameKey(parts));
    for (const key of keys) for (const nameIndex of this.postings.get(key) ?? []) candidates.add(nameIndex);

    // Part-pair scores, computed once per (query part, listed part) for this screening.
    const memo = parts.map(() => new Map<number, number>());
    const pairScore = (i: number, token: number): number => {
      let score = memo[i].get(token);
      if (score === undefined) {
        score = partScore(parts[i], queryCodes[i], this.tokens[token], this.tokenCodes[token]);
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
        score = jaro(parts[0], this.tokens[listed.tokens[0]]);
      } else {
        // The screened name must cover the listed name and the listed name the screened one.
        let queryCovered = 0;
        for (let i = 0; i < parts.length; i++) {
          let bestPart = 0;
          for (const token of listed.tokens) bestPart = Math.max(bestPart, pairScore(i, token));
          queryCovered += queryWeights[i] * bestPart;
        }
        let listedCovered = 0;
        let listedWeightSum = 0;
        for (const token of listed.tokens) {
          let bestPart = 0;
          for (let i = 0; i < parts.length; i++) bestPart = Math.max(bestPart, pairScore(i, token));
          listedCovered += this.weights[token] * bestPart;
          listedWeightSum += this.weights[token];
        }
        const partsScore = Math.min(queryCovered / queryWeightSum, listedCovered / listedWeightSum);
        // The whole-name comparison catches names split or joined differently ("ABC TRADING" /
        // "ABCTRADING"); it counts only when the parts already broadly agree.
        const wholeName = partsScore >= 0.5 && parts.length !== listed.tokens.length && similarLength(joined, listed.joined) ? jaroWinkler(joined, listed.joined) : 0;
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
    }
    return id;
  }

  private post(key: string, nameIndex: number): void {
    const list = this.postings.get(key);
    if (list === undefined) this.postings.set(key, [nameIndex]);
    else if (list[list.length - 1] !== nameIndex) list.push(nameIndex);
  }

  private postingKey(token: number): string {
    return this.tokenCodes[token] === '' ? `#${this.tokens[token]}` : this.tokenCodes[token];
  }
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
export function partScore(a: string, aCode: string, b: string, bCode: string): number {
  if (a === b) return 1;
  let score = jaroWinkler(a, b);
  if (score >= SOUNDEX_LIFT_FLOOR && aCode !== '' && aCode === bCode && a.length >= SOUNDEX_MIN_LENGTH && b.length >= SOUNDEX_MIN_LENGTH) {
    score = Math.max(score, SOUNDEX_LIFT);
  }
  return score < PART_FLOOR ? 0 : score;
}
