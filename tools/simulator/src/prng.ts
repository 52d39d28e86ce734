/**
 * A seeded pseudo-random source: the only randomness the simulator uses, so that the same seed
 * gives the same scenario. sfc32 seeded through xmur3 (both public domain); floats it returns
 * drive choices only, never amounts: amounts are built from whole numbers of ticks as Decimals.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: string) {
    const hash = xmur3(seed);
    this.a = hash();
    this.b = hash();
    this.c = hash();
    this.d = hash();
    for (let i = 0; i < 15; i++) this.next();
  }

  /** An independent stream for one purpose: adding draws to one actor never shifts another's. */
  fork(label: string): Prng {
    return new Prng(`${this.seed}/${label}`);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** An index drawn with the given (non-negative) weights. */
  weightedIndex(weights: readonly number[]): number {
    const total = weights.reduce((sum, w) => sum + w, 0);
    let point = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      point -= weights[i];
      if (point < 0) return i;
    }
    return weights.length - 1;
  }

  /** One of the keys, drawn with their weights. */
  weighted<K extends string>(shares: Readonly<Record<K, number>>): K {
    const keys = Object.keys(shares) as K[];
    return keys[this.weightedIndex(keys.map((k) => shares[k]))];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  /** Upper-case letters, for names and run tags. */
  letters(length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += String.fromCharCode(65 + this.int(0, 25));
    return text;
  }
}

/** Zipf-like weights 1/rank^exponent: a few ranks take most of the draws. */
export function zipfWeights(count: number, exponent = 1.1): number[] {
  return Array.from({ length: count }, (_, i) => 1 / Math.pow(i + 1, exponent));
}

function xmur3(text: string): () => number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
}
