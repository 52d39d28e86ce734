import { SanctionsIndex } from './sanctions-index';
import { ofacSdn2019, sp500CompanyNames } from './__fixtures__/sanctions-fixtures';

describe('screening against the OFAC SDN list of January 2019 (records and aliases)', () => {
  const entries = ofacSdn2019();
  const index = SanctionsIndex.of(entries);

  it('loads every record and alias of the list', () => {
    expect(entries).toHaveLength(7379);
    expect(entries.reduce((n, e) => n + e.aliases.length, 0)).toBe(9682);
  });

  it('screens every listed name and alias as a hit against its own entry', () => {
    const missed: string[] = [];
    for (const entry of entries) {
      for (const name of [entry.name, ...entry.aliases]) {
        if (!index.screen([name]).some((match) => match.entryId === entry.id)) missed.push(`${entry.id} ${name}`);
      }
    }
    expect(missed).toEqual([]);
  });

  it.each(['Apple Inc.', 'Microsoft Corporation', 'Johnson & Johnson', 'Procter & Gamble', 'Walmart', 'Exxon Mobil', 'Alphabet Inc. (Class A)', 'Coca-Cola Company (The)'])(
    'does not hit the ordinary company name %s',
    (name) => {
      expect(index.screen([name])).toEqual([]);
    },
  );

  it('reads the 503 S&P 500 company names (their false-positive rate: sanctions-recall.spec.ts)', () => {
    expect(sp500CompanyNames()).toHaveLength(503);
  });
});
