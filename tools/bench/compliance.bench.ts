/**
 * Sanctions screening speed and false positives: every S&P 500 company name screened against the
 * whole OFAC SDN list of January 2019 (records and aliases), one name at a time. Figures go into
 * apps/compliance/README.md by hand; nothing here asserts a timing.
 */
import { SanctionsIndex } from '../../apps/compliance/src/domain/sanctions/sanctions-index';
import { ofacSdn2019, sp500CompanyNames } from '../../apps/compliance/src/domain/sanctions/__fixtures__/sanctions-fixtures';

function percentile(sortedMs: number[], p: number): string {
  return `${sortedMs[Math.min(sortedMs.length - 1, Math.floor(sortedMs.length * p))].toFixed(2)} ms`;
}

export async function benchCompliance(): Promise<Record<string, string>> {
  const entries = ofacSdn2019();
  const builtAt = process.hrtime.bigint();
  const index = SanctionsIndex.of(entries);
  const buildMs = Number(process.hrtime.bigint() - builtAt) / 1e6;

  const names = sp500CompanyNames();
  for (const name of names.slice(0, 50)) index.screen([name]); // warm-up
  const timesMs: number[] = [];
  const flagged: string[] = [];
  for (const name of names) {
    const started = process.hrtime.bigint();
    const matches = index.screen([name]);
    timesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (matches.length > 0) flagged.push(name);
  }
  timesMs.sort((a, b) => a - b);
  // Every listed name and alias screened against the list: the worst case, many candidates share its parts.
  const listedMs: number[] = [];
  let listedMissed = 0;
  for (const entry of entries) {
    for (const name of [entry.name, ...entry.aliases]) {
      const started = process.hrtime.bigint();
      const matches = index.screen([name]);
      listedMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (!matches.some((match) => match.entryId === entry.id)) listedMissed++;
    }
  }
  listedMs.sort((a, b) => a - b);
  const firstHundred = names.slice(0, 100).filter((name) => flagged.includes(name)).length;
  return {
    'sanctions list (names and aliases)': `${entries.length} entries, ${index.size} distinct names`,
    'sanctions index build': `${buildMs.toFixed(0)} ms`,
    'screen one S&P 500 name p50': percentile(timesMs, 0.5),
    'screen one S&P 500 name p99': percentile(timesMs, 0.99),
    'screen a listed name p50 / p99': `${percentile(listedMs, 0.5)} / ${percentile(listedMs, 0.99)} (${listedMs.length} names and aliases, ${listedMissed} not a hit against themselves)`,
    'S&P 500 false positives': `${flagged.length} of ${names.length} (${((100 * flagged.length) / names.length).toFixed(1)} %); first 100 names: ${firstHundred}`,
  };
}

if (require.main === module) {
  void benchCompliance().then((figures) => console.table(figures));
}
