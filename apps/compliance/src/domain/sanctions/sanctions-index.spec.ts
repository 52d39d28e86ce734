import { partScore, SanctionsIndex, type SanctionsEntry } from './sanctions-index';
import { soundex } from './soundex';

const entry = (id: string, name: string, aliases: string[] = []): SanctionsEntry => ({ id, name, aliases, program: 'SDGT', country: 'IR' });

const list = SanctionsIndex.of([
  entry('1', 'BANCO NACIONAL DE CUBA', ['NATIONAL BANK OF CUBA']),
  entry('2', 'AL-HUSSEINI, Mohammed Abdullah'),
  entry('3', 'ORIENT STAR SHIPPING CORPORATION'),
  entry('4', 'HORSE'),
  entry('5', 'GLOBAL TRADING COMPANY'),
  entry('6', 'NORTHERN LIGHTS TRADING LLC'),
  entry('7', 'ABC TRADING'),
]);

const best = (name: string) => list.screen([name], 0)[0];
const hits = (name: string) => list.screen([name]);

describe('sanctions screening score', () => {
  it('scores a listed name and an alias 100 against itself', () => {
    expect(best('BANCO NACIONAL DE CUBA')).toMatchObject({ entryId: '1', score: 100, matchedName: 'BANCO NACIONAL DE CUBA' });
    expect(best('National Bank of Cuba')).toMatchObject({ entryId: '1', score: 100, matchedName: 'NATIONAL BANK OF CUBA' });
  });

  it('scores reordered name parts 100', () => {
    expect(best('Mohammed Abdullah Al Husseini')).toMatchObject({ entryId: '2', score: 100 });
  });

  it('ignores added or different legal forms', () => {
    expect(best('Orient Star Shipping Ltd.')).toMatchObject({ entryId: '3', score: 100 });
  });

  it('hits transliterations of the same name', () => {
    expect(hits('Muhammad Abdallah Al-Husseini')).toEqual([expect.objectContaining({ entryId: '2' })]);
    expect(best('Muhammad Abdallah Al-Husseini').score).toBeGreaterThanOrEqual(85);
  });

  it('hits a name written as one word where the list splits it', () => {
    expect(hits('ABCTRADING')).toEqual([expect.objectContaining({ entryId: '7' })]);
  });

  it('does not hit on a short common word like CORP on its own', () => {
    expect(hits('CORP')).toEqual([]);
    expect(hits('Corporation')).toEqual([]);
  });

  it('does not hit a name that shares only a common word with an entry', () => {
    expect(hits('Trading Partners of Ohio')).toEqual([]);
    expect(hits('Northern Trust')).toEqual([]);
  });

  it('does not let a shared prefix or Soundex alone make a one-word name a hit', () => {
    // HERSHEY and HORSE share a Soundex code: the baseline formula lifts them to exactly 85.
    expect(soundex('HERSHEY')).toBe(soundex('HORSE'));
    expect(hits('Hershey')).toEqual([]);
  });

  it('hits at the threshold and not below it', () => {
    const score = best('Orient Star Shippers').score;
    expect(list.screen(['Orient Star Shippers'], score)).toHaveLength(1);
    expect(list.screen(['Orient Star Shippers'], score + 0.01)).toHaveLength(0);
  });

  it('screens every name of a counterparty and keeps the best match per entry', () => {
    const matches = list.screen(['Unrelated Name', 'Banco Nacional de Cuba', 'National Bank of Cuba SA']);
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({ entryId: '1', score: 100 });
  });
});

describe('part score', () => {
  const score = (a: string, b: string) => partScore(a, soundex(a), b, soundex(b));

  it('lifts a part pair to 0.85 when the Soundex codes agree and Jaro-Winkler is already 0.8', () => {
    expect(score('HUSSEIN', 'HUSAYN')).toBeGreaterThanOrEqual(0.85);
  });

  it('does not lift short parts', () => {
    expect(score('ALI', 'ALY')).toBeLessThan(0.85);
  });

  it('counts parts below 0.7 as not matching at all', () => {
    expect(score('ORIENT', 'BANCO')).toBe(0);
  });
});
