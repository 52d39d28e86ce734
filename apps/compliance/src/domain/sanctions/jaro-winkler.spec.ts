import { jaro, jaroWinkler } from './jaro-winkler';
import { soundex } from './soundex';

describe('Jaro-Winkler', () => {
  // Reference values from Winkler (1990) and the usual textbook pairs.
  it.each([
    ['MARTHA', 'MARHTA', 0.9444, 0.9611],
    ['DWAYNE', 'DUANE', 0.8222, 0.84],
    ['DIXON', 'DICKSONX', 0.7667, 0.8133],
    ['JELLYFISH', 'SMELLYFISH', 0.8963, 0.8963],
  ])('scores %s / %s as Jaro %d and Jaro-Winkler %d', (a, b, expectedJaro, expectedWinkler) => {
    expect(jaro(a, b)).toBeCloseTo(expectedJaro, 4);
    expect(jaroWinkler(a, b)).toBeCloseTo(expectedWinkler, 4);
  });

  it('scores equal strings 1 and strings without common letters 0', () => {
    expect(jaroWinkler('ACME', 'ACME')).toBe(1);
    expect(jaroWinkler('ABC', 'XYZ')).toBe(0);
    expect(jaroWinkler('', 'ABC')).toBe(0);
  });

  it('is symmetric', () => {
    expect(jaroWinkler('CRATE', 'TRACE')).toBeCloseTo(jaroWinkler('TRACE', 'CRATE'), 10);
  });

  it('gives no prefix boost at or below a Jaro score of 0.7', () => {
    const a = 'ABCDXYZW';
    const b = 'ABCDQRST';
    expect(jaro(a, b)).toBeLessThanOrEqual(0.7);
    expect(jaroWinkler(a, b)).toBe(jaro(a, b));
  });
});

describe('Soundex (American)', () => {
  it.each([
    ['Robert', 'R163'],
    ['Rupert', 'R163'],
    ['Rubin', 'R150'],
    ['Ashcraft', 'A261'],
    ['Ashcroft', 'A261'],
    ['Tymczak', 'T522'],
    ['Pfister', 'P236'],
    ['Honeyman', 'H555'],
    ['Lee', 'L000'],
  ])('codes %s as %s', (name, code) => {
    expect(soundex(name)).toBe(code);
  });

  it('codes a word without letters as empty', () => {
    expect(soundex('1234')).toBe('');
  });
});
