/**
 * fast-check arbitraries for the matching engine's property suites: books shaped like real ones
 * (a few hot ISINs carry most items; amounts from cents to billions) and the helpers that derive a
 * statement from them. Every value is a Decimal built from a decimal string, never a float.
 */
import fc from 'fast-check';
import { Decimal } from '@postrade/kernel';

export const HOT_ISINS = ['US0378331005', 'DE0007164600', 'GB0002634946'] as const;

/** Mostly one of three hot ISINs, sometimes one of a long tail. */
export const isinArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOT_ISINS) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 99_999 }).map((n) => `XS${String(n).padStart(10, '0')}`) },
);

export const currencyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('USD', 'EUR') },
  { weight: 1, arbitrary: fc.constantFrom('GBP', 'CHF', 'JPY', 'SEK') },
);

const cents = (n: number | bigint) => new Decimal(n.toString()).div(100);

/** A positive amount: cents to hundreds, thousands to millions, or up to tens of trillions. */
export const amountArb: fc.Arbitrary<Decimal> = fc.oneof(
  fc.integer({ min: 1, max: 100_000 }).map(cents),
  fc.integer({ min: 100_000, max: 2_000_000_000 }).map(cents),
  fc.bigInt({ min: 1n, max: 10n ** 15n }).map(cents),
);

/** A positive quantity: round lots, odd lots, bond nominals in the millions, fractions of a unit. */
export const quantityArb: fc.Arbitrary<Decimal> = fc.oneof(
  fc.integer({ min: 1, max: 100 }).map((n) => new Decimal(n * 100)),
  fc.integer({ min: 1, max: 99_999 }).map((n) => new Decimal(n)),
  fc.integer({ min: 1, max: 500 }).map((n) => new Decimal(n * 1_000_000)),
  fc.integer({ min: 1, max: 99_999_999 }).map((n) => new Decimal(n).div(1_000_000)),
);

/** Deterministic shuffle from a seed (mulberry32): the statement's order is the custodian's, not ours. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** Splits a value into n parts that add up to it exactly (the last part takes the remainder). */
export function splitDecimal(value: Decimal, parts: number): Decimal[] {
  const share = value.div(parts).toDecimalPlaces(6, Decimal.ROUND_DOWN);
  const split = Array.from({ length: parts - 1 }, () => share);
  return [...split, value.minus(share.times(parts - 1))];
}

/** The type of the values an arbitrary generates. */
export type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

export const seedArb: fc.Arbitrary<number> = fc.integer();

/** Runs per property: enough to meet every shape of book, few enough to keep the suite quick. */
export const PROPERTY_RUNS = { numRuns: 60 } as const;
