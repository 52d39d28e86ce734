/**
 * Sanctions screening speed, recall and false positives against the whole OFAC SDN list of
 * January 2019 (records and aliases), one name at a time: the S&P 500 and the large non-US company
 * names, every listed name, and the recall corpus (500 disturbed names per kind, as
 * sanctions-recall.spec.ts draws them). Figures go into docs/services/compliance-sanctions.md by
 * hand; nothing here asserts a timing (the tests assert the recall and false-positive targets).
 */
import { SanctionsIndex } from '../../apps/compliance/src/domain/sanctions/sanctions-index';
import { DISTURBANCE_KINDS, disturbedNames } from '../../apps/compliance/src/domain/sanctions/__fixtures__/name-disturbances';
import { ofacSdn2019, ofacSdn2019Types, sp500CompanyNames, worldCompanyNames } from '../../apps/compliance/src/domain/sanctions/__fixtures__/sanctions-fixtures';

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

  const world = worldCompanyNames().map((company) => company.name);
  const worldMs: number[] = [];
  const worldFlagged = world.filter((name) => {
    const started = process.hrtime.bigint();
    const hit = index.screen([name]).length > 0;
    worldMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    return hit;
  });
  worldMs.sort((a, b) => a - b);
  const types = ofacSdn2019Types();
  const corpus = disturbedNames(
    entries.filter((entry) => types.get(entry.id) !== 'individual'),
    500,
  );
  const recall: Record<string, string> = {};
  const disturbedMs: number[] = [];
  for (const kind of DISTURBANCE_KINDS) {
    const items = corpus.filter((c) => c.kind === kind);
    let hits = 0;
    for (const item of items) {
      const started = process.hrtime.bigint();
      if (index.screen([item.disturbed]).some((match) => match.entryId === item.entryId)) hits++;
      disturbedMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    recall[`recall: ${kind}`] = `${hits} of ${items.length} (${((100 * hits) / items.length).toFixed(1)} %)`;
  }
  disturbedMs.sort((a, b) => a - b);
  const allMs = [...timesMs, ...worldMs, ...disturbedMs].sort((a, b) => a - b);
  return {
    'sanctions list (names and aliases)': `${entries.length} entries, ${index.size} distinct names`,
    'sanctions index build': `${buildMs.toFixed(0)} ms`,
    'screen one S&P 500 name p50': percentile(timesMs, 0.5),
    'screen one S&P 500 name p99': percentile(timesMs, 0.99),
    'screen a listed name p50 / p99': `${percentile(listedMs, 0.5)} / ${percentile(listedMs, 0.99)} (${listedMs.length} names and aliases, ${listedMissed} not a hit against themselves)`,
    'S&P 500 false positives': `${flagged.length} of ${names.length} (${((100 * flagged.length) / names.length).toFixed(1)} %); first 100 names: ${firstHundred}`,
    'large non-US companies false positives': `${worldFlagged.length} of ${world.length} (${((100 * worldFlagged.length) / world.length).toFixed(1)} %): ${worldFlagged.join('; ')}`,
    'screen one large non-US company name p50 / p99': `${percentile(worldMs, 0.5)} / ${percentile(worldMs, 0.99)}`,
    ...recall,
    'screen a disturbed name p50 / p99': `${percentile(disturbedMs, 0.5)} / ${percentile(disturbedMs, 0.99)}`,
    'screen one name p99 (company names and disturbed names together)': percentile(allMs, 0.99),
  };
}

if (require.main === module) {
  void benchCompliance().then((figures) => console.table(figures));
}
