import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NAMES } from '@postrade/contracts';
import { extractWalkthroughBlocks } from './extract';
import { startWalkthroughPlatform, type WalkthroughPlatform } from './platform';
import { repoRoot, runWalkthrough, type WalkthroughRun } from './run';

// Ports of their own, beside the boot tests' 1300x, the trading-day test's 1310x and the fault tests' 320x.
const PORT_OFFSET = 10_400;

/**
 * Every service page's walkthrough and the results it must print (beside exiting 0): the figures
 * and statuses its prose promises. A page with walkthrough blocks that is not listed here fails the
 * first test, so a new page cannot go untested.
 */
const PAGES: Record<string, RegExp[]> = {
  'docs/services/trade-capture.md': [
    /"settlementCycle":"T\+1","grossAmount":"985000\.00","accruedInterest":"\d+\.\d\d","accruedDays":\d+,"netAmount":"\d+\.\d\d","exceptions":\["MISSING_OUR_SSI"\]/,
    /^true$/m,
    /^\{"version":1,"exceptions":\[\],"ours":"DEUTGB2L","theirs":"BARCGB22"\}$/m,
    /^\{"status":"AMENDED","version":3,"price":"98\.75","grossAmount":"987500\.00"\}$/m,
    /^409$/m,
    /^\{"status":"CANCELLED","version":4\}$/m,
    /^\{"version":1,"action":"NEW","outcome":"ACCEPTED","errors":\[\]\}$/m,
    /^\{"version":3,"action":"AMEND","outcome":"ACCEPTED","errors":\[\]\}$/m,
    /^\{"version":2,"action":"AMEND","outcome":"REJECTED","errors":\[\{"field":"version","message":"version 2 is stale: the trade is at version 3"\}\]\}$/m,
    /^\{"status":"AMENDED","version":3,"price":"99"\}$/m,
    /^\["version: version 2 is stale/m,
    /^postrade\.trade\.captured\.v1 1\npostrade\.trade\.enriched\.v1 1\npostrade\.trade\.amended\.v1 3\npostrade\.trade\.cancelled\.v1 4$/m,
  ],
  'docs/services/confirmation-matching.md': [
    /^\{"netAmount":"189261\.20",/m,
    /^\{"status":"UNMATCHED"\}$/m,
    /^\{"status":"AFFIRMED","breaks":\[\]\}$/m,
    /^\{"status":"MISMATCHED","breaks":\[\{"field":"price","reasonCode":7\}\]\}$/m,
    /^\{"status":"AFFIRMED","actions":\[\{"action":"FORCE_MATCH","reason":"price agreed by phone","actedBy":"dev-ops"\}\]\}$/m,
    /^\{"matchStatus":"ALLEGED"\}$/m,
    /^CP-X-\d+ is ALLEGED$/m,
  ],
  'docs/services/settlement.md': [
    /"settlementCycle":"T\+2","netAmount":"189250\.00"/,
    /^\{"tradeStatus":"CAPTURED","gate":\{"kind":"wait","waitingFor":\["MATCH"(,"COMPLIANCE")?\]\}\}$/m,
    /^\{"type":"DVP","direction":"RECEIVE","quantity":"1000","settlementAmount":"189250\.00","currency":"EUR",/m,
    /<Document xmlns="urn:iso:std:iso:20022:tech:xsd:sese\.023/,
    /^\{"settlementStatus":"PARTIALLY_SETTLED","settledQuantity":"400","settledAmount":"75700\.00"\}$/m,
    /^\{"settlementStatus":"FAILING"\}$/m,
    /^\{"date":"\d{4}-\d\d-\d\d","amount":"11\.35","currency":"EUR","direction":"RECEIVE"\}$/m,
    /"settlementStatus":"SETTLED","settledQuantity":"1000","settledAmount":"189250\.00"\}$/m,
  ],
  'docs/services/ledger.md': [
    /"quantity":"1000"\}\]$/m,
    /"amount":"-189261\.20"\}\]$/m,
    /^\[\]$/m,
    /^\{"settlementStatus":"PARTIALLY_SETTLED"\}$/m,
    /"quantity":"400"\}\]$/m,
    /"amount":"-75704\.48"\}\]$/m,
    /^\{"ok":true,"firstBadEntryId":null\}$/m,
  ],
  'docs/services/compliance.md': [
    /^\{"outcome":"HELD","alerts":\[\{"rule":"RESTRICTED_LIST","severity":"HIGH","status":"OPEN"\}\]\}$/m,
    /^\{"rule":"SANCTIONS","score":100,"screenedName":"Banco Nacional de Cuba","entryName":"BANCO NACIONAL DE CUBA"\}$/m,
    /^\["RESTRICTED_LIST"\]$/m,
    /^403$/m,
    /^\{"status":"APPROVED","requestedBy":"dev-ops","decidedBy":"dev-supervisor"\}$/m,
    /^\{"outcome":"RELEASED"\}$/m,
    /^\["decision\.held","release-request\.proposed","release-request\.approved","decision\.released"\]$/m,
    /^\{"ok":true,"firstBadRecordId":null\}$/m,
    /"ofThisTrade":true\}$/m,
  ],
  'docs/services/reconciliation.md': [
    /^\{"settlementStatus":"SETTLED"\}$/m,
    /^\[\{"isin":"US0378331005","quantity":"1000"\}\]$/m,
    /^\{"statementId":"HOLD-\d+","type":"HOLDINGS","lines":1,"matched":0,"breaksOpened":1,"breaksClosed":0\}$/m,
    /^403$/m,
    /^\{"status":"APPROVED"\}$/m,
    /^\{"status":"WRITTEN_OFF"\}$/m,
    /^\{"ok":true\}$/m,
    /^\{"matched":1,"breaksOpened":0\}$/m,
  ],
};

function failure(run: WalkthroughRun): string {
  return `${run.page} exited ${run.exitCode} after ${(run.ms / 1000).toFixed(1)} s; its output:\n${run.output}`;
}

/**
 * The walkthroughs of docs/services/*.md, run exactly as a reader would paste them (the
 * ```sh walkthrough blocks of each page, in order, in one `bash -euo pipefail`) against an empty
 * platform of their own: six service processes on a Kafka broker and a Postgres started for this
 * test. Each page must run to the end and print what it promises; the matching page is run a second
 * time on the same platform, as a reader trying it twice would.
 */
describe('the docs walkthroughs, run as written against an empty platform', () => {
  let platform: WalkthroughPlatform;
  const runs = new Map<string, WalkthroughRun>();

  beforeAll(async () => {
    platform = await startWalkthroughPlatform(PORT_OFFSET);
    // The pages use identifiers unique to each run, so they run side by side; but the settlement
    // page closes a settlement day, which makes every instruction due by then and not settled
    // FAILING (the ledger page's too, were it between its instruction and its partial settlement),
    // so it runs alone, after the others: a reader going page by page never has another page's
    // instruction half-way when it closes.
    const run = (page: string) => runWalkthrough(page, platform.env, { timeoutMs: 240_000 });
    const closing = 'docs/services/settlement.md';
    for (const result of await Promise.all(Object.keys(PAGES).filter((page) => page !== closing).map(run))) runs.set(result.page, result);
    runs.set(closing, await run(closing));
  }, 900_000);

  afterAll(async () => {
    await platform?.stop();
  }, 120_000);

  it('covers the walkthrough of every service page and of every page that has one', () => {
    const pages = readdirSync(join(repoRoot, 'docs/services'))
      .filter((file) => file.endsWith('.md'))
      .map((file) => `docs/services/${file}`);
    const withWalkthrough = pages.filter((page) => extractWalkthroughBlocks(readFileSync(join(repoRoot, page), 'utf8')).length > 0);
    expect(Object.keys(PAGES).sort()).toEqual(withWalkthrough.sort());
    expect(SERVICE_NAMES.map((service) => `docs/services/${service}.md`).filter((page) => !(page in PAGES))).toEqual([]);
  });

  it.each(Object.keys(PAGES))('runs %s to the end and prints what the page promises', (page) => {
    const run = runs.get(page)!;
    if (run.exitCode !== 0) throw new Error(failure(run));
    const missing = PAGES[page]!.filter((expected) => !expected.test(run.output));
    if (missing.length > 0) throw new Error(`${page} did not print ${missing.join(', ')}\n\n${failure(run)}`);
  });

  it('runs a walkthrough a second time on the same platform (identifiers are unique to each run)', async () => {
    const page = 'docs/services/confirmation-matching.md';
    const again = await runWalkthrough(page, platform.env, { timeoutMs: 120_000 });
    if (again.exitCode !== 0) throw new Error(failure(again));
    for (const expected of PAGES[page]!) expect(again.output).toMatch(expected);
  }, 150_000);
});
