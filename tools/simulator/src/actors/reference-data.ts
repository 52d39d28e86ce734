import { readFileSync } from 'node:fs';
import { inPool } from '../http';
import { Keys, type SimulationContext } from '../context';
import { makeLei } from '../identifiers';

/**
 * The reference-data team: our legal entities, the counterparties, the instruments and every SSI
 * the trades will need (trade capture), the run's matching profiles (one auto-affirming, one for
 * the counterparties whose confirmations operations affirm by hand), and the day's reference
 * prices for CSDR penalties (settlement).
 */
export async function loadReferenceData(context: SimulationContext): Promise<void> {
  const { scenario, rest } = context;
  const writers = [Keys.ops, Keys.supervisor, Keys.ops2];
  const put = (service: Parameters<typeof rest.expect>[1], path: string, body: unknown, i: number) =>
    rest.expect([200, 201], service, 'PUT', path, { key: writers[i % writers.length], body });

  await inPool(scenario.legalEntities, 4, (le, i) => put('trade-capture', `/api/v1/legal-entities/${le.lei}`, { name: le.name, bic: le.bic }, i));
  await inPool(scenario.counterparties, 8, (cp, i) =>
    put('trade-capture', `/api/v1/counterparties/${cp.lei}`, { name: cp.name, aliases: cp.aliases, country: cp.country, bic: cp.bic }, i),
  );
  await inPool(scenario.instruments, 8, (instrument, i) =>
    put(
      'trade-capture',
      `/api/v1/instruments/${instrument.isin}`,
      {
        description: instrument.description,
        currency: instrument.currency,
        assetClass: instrument.assetClass,
        priceType: instrument.priceType,
        settlementMarket: instrument.settlementMarket,
        csdrCategory: instrument.csdrCategory,
        ...(instrument.coupon ?? {}),
      },
      i,
    ),
  );
  await inPool(scenario.ssis, 8, (ssi, i) =>
    put(
      'trade-capture',
      `/api/v1/ssis/${ssi.lei}/${ssi.market}/${ssi.currency}`,
      { agentBic: ssi.agentBic, safekeepingAccount: ssi.safekeepingAccount, cashAccount: ssi.cashAccount, placeOfSettlement: ssi.placeOfSettlement },
      i,
    ),
  );

  const defaultRules = [
    { field: 'settlementDate', rule: 'EXACT' },
    { field: 'price', rule: 'PERCENT', tolerance: '0' },
    { field: 'netAmount', rule: 'ABSOLUTE', tolerance: '2', tiers: [{ above: '100000', tolerance: '25' }] },
    { field: 'grossAmount', rule: 'IGNORE' },
    { field: 'accruedInterest', rule: 'ABSOLUTE', tolerance: '2', tiers: [{ above: '100000', tolerance: '25' }] },
  ];
  for (const [name, autoAffirm, profile] of [
    [scenario.profiles.auto, true, 'AUTO'],
    [scenario.profiles.manual, false, 'MANUAL'],
  ] as const) {
    const counterparties = scenario.counterparties.filter((c) => c.profile === profile).map((c) => c.lei);
    // Maker-checker: one ops key proposes the profile (202), another approves it, which applies it.
    const change = await rest.expect<{ changeId: string }>([202], 'confirmation-matching', 'PUT', `/api/v1/matching-profiles/${name}`, {
      key: Keys.ops,
      body: { rules: defaultRules, autoAffirm, counterparties, reason: `simulator run ${scenario.runTag}` },
    });
    await rest.expect([200], 'confirmation-matching', 'POST', `/api/v1/matching-profiles/${name}/changes/${change.changeId}/approve`, { key: Keys.ops2 });
  }

  await inPool(scenario.referencePrices, 8, (p, i) =>
    put('settlement', `/api/v1/reference-prices/${p.isin}/${p.date}`, { price: p.price, currency: p.currency }, i),
  );
}

/**
 * The compliance team's standing data, before the day: the restricted and the watched ISIN over the
 * simulated days, exposure limits (one counterparty capped at 1.00, so that every trade with it
 * breaches; generous limits for the biggest three). Each change is maker-checker: ops proposes it
 * (202), a supervisor approves it, which applies it. Also the run's "good guy": a counterparty
 * without trades whose name the mid-day sanctions list nearly lists (see {@link loadSanctionsList}).
 */
export async function loadComplianceData(context: SimulationContext): Promise<void> {
  const { scenario, rest } = context;
  const { compliance, calendar } = scenario;
  const period = { from: calendar.tradeDays[0], to: calendar.lastDay };
  const changed = async (path: string, body: object) => {
    const change = await rest.expect<{ changeId: string }>([202], 'compliance', 'PUT', path, { key: Keys.ops, body });
    await rest.expect([200], 'compliance', 'POST', `/api/v1/control-changes/${change.changeId}/approve`, { key: Keys.supervisor });
  };
  await changed(`/api/v1/restricted-list/${compliance.restrictedIsin}`, { ...period, reason: `simulated wall-crossing, run ${scenario.runTag}`, kind: 'RESTRICTED' });
  await changed(`/api/v1/restricted-list/${compliance.watchIsin}`, { ...period, reason: `simulated research coverage, run ${scenario.runTag}`, kind: 'WATCH' });
  await inPool(compliance.limits, 4, (l) => changed(`/api/v1/limits/${l.counterpartyLei}/${l.currency}`, { limit: l.limit, reason: `credit line, run ${scenario.runTag}` }));
  const goodGuy = goodGuyOf(scenario);
  await rest.expect([200, 201], 'trade-capture', 'PUT', `/api/v1/counterparties/${goodGuy.lei}`, {
    key: Keys.ops,
    body: { name: goodGuy.name, aliases: [], country: 'US', bic: 'CHASUS33' },
  });
}

/**
 * The run's "good guy": a counterparty with no trades, named with random letters like no other, and
 * the list entry that nearly names it (one letter of its first word changed): a near-miss that
 * still hits, which operations then clear with a false-positive decision (four eyes).
 */
export function goodGuyOf(scenario: SimulationContext['scenario']): { lei: string; name: string; entryId: string; entryName: string } {
  const title = (word: string) => `${word[0]}${word.slice(1).toLowerCase()}`;
  const first = `${scenario.runTag}QUELMAR`;
  const second = `${[...scenario.runTag].reverse().join('')}ORVANT`;
  return {
    lei: makeLei(scenario.runTag, 'GG', 1),
    name: `${title(first)} ${title(second)} Partners`,
    entryId: `${scenario.compliance.sanctions.entryId}-GG`,
    entryName: `${first.slice(0, -1)}A ${second} PARTNERS`,
  };
}

const SDN_FIXTURE = 'apps/compliance/src/domain/sanctions/__fixtures__/sdn.csv';

/** The first `count` entries of the OFAC SDN fixture shipped in the repository (public domain), as list entries. */
export function sdnEntries(repoRoot: string, count: number): { id: string; name: string; aliases: string[]; program: string; country: string }[] {
  let text: string;
  try {
    text = readFileSync(`${repoRoot}/${SDN_FIXTURE}`, 'utf8');
  } catch {
    return [];
  }
  const entries = [];
  for (const line of text.split('\n')) {
    const match = /^(\d+),"([^"]+)",[^,]*,"([^"]*)"/.exec(line);
    if (!match) continue;
    entries.push({ id: `SDN-${match[1]}`, name: match[2], aliases: [], program: match[3] || 'SDN', country: '' });
    if (entries.length >= count) break;
  }
  return entries;
}

/** Mid-day: a sanctions list naming one of the run's counterparties, with SDN entries around it. */
export async function loadSanctionsList(context: SimulationContext, repoRoot: string): Promise<void> {
  const { scenario, rest } = context;
  const plan = scenario.compliance.sanctions;
  const counterparty = scenario.counterparties.find((c) => c.lei === plan.counterpartyLei)!;
  const goodGuy = goodGuyOf(scenario);
  const entries = [
    ...sdnEntries(repoRoot, plan.sdnEntries),
    { id: plan.entryId, name: counterparty.name.toUpperCase(), aliases: counterparty.aliases.map((a) => a.toUpperCase()), program: 'SIMULATED', country: counterparty.country },
    { id: goodGuy.entryId, name: goodGuy.entryName, aliases: [], program: 'SIMULATED', country: 'IR' },
  ];
  const answer = await rest.expect([200, 201], 'compliance', 'POST', '/api/v1/sanctions-lists', {
    key: Keys.ops,
    body: { source: plan.source, version: plan.version, entries },
  });
  context.log(`sanctions list ${plan.source} loaded: ${entries.length} entries, ${answer.counterpartiesScreened ?? '?'} counterparties screened, ${Array.isArray(answer.newHits) ? answer.newHits.length : '?'} new hits, ${(answer.heldTradeIds ?? []).length} trades held`);

  // The near-miss: the entry that misspells the good guy's name hits it (a re-loaded version on a
  // kept platform finds it known already). Operations decide it is a false positive: one proposes,
  // a supervisor approves; the pair then holds nothing while neither name changes.
  const hits = (answer.newHits ?? []) as { counterpartyLei: string; entryId: string }[];
  if (answer.loaded !== false && !hits.some((h) => h.counterpartyLei === goodGuy.lei && h.entryId === goodGuy.entryId)) {
    throw new Error(`the sanctions list did not hit the good guy ${goodGuy.lei} (${goodGuy.name}) with entry ${goodGuy.entryName}`);
  }
  const proposed = await rest.expect<{ falsePositiveId: string }>([201], 'compliance', 'POST', '/api/v1/sanctions/false-positives', {
    key: Keys.ops,
    body: { counterpartyLei: goodGuy.lei, source: plan.source, entryId: goodGuy.entryId, listVersion: plan.version, reason: `not the listed party: different registration, run ${scenario.runTag}` },
  });
  await rest.expect([200], 'compliance', 'POST', `/api/v1/sanctions/false-positives/${proposed.falsePositiveId}/approve`, { key: Keys.supervisor });
  context.log(`false-positive decision ${proposed.falsePositiveId}: ${goodGuy.name} is not ${goodGuy.entryName} (approved)`);
}
