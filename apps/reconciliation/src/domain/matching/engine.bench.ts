/**
 * Micro benchmark of the reconciliation matching engine alone (no database, no Kafka): a
 * 100,000-line holdings statement and transactions statements of 100,000, 300,000 and 1,000,000
 * lines, each against books it fully agrees with, so every line goes through the matching it
 * would in production. The transactions are a realistic mix: most lines echo our instruction id
 * one to one, some instructions settle in two partials reported as one line, some net
 * instructions are reported per trade, and a tenth of the lines carry no instruction id and are
 * paired by attributes. ms per 100k lines staying flat across the sizes shows the engine is
 * linear. Called from tools/bench; nothing here asserts a timing.
 */
import { Decimal, type SettlementMarket } from '@postrade/kernel';
import type { HoldingLine, OurMovement, OurPosition, TransactionLine } from '../model';
import { DEFAULT_RECONCILIATION_CONFIG } from './config';
import { reconcilePositions } from './positions';
import { reconcileTransactions } from './transactions';

const MARKET: SettlementMarket = 'EU';
const DATES = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];
const CURRENCIES = ['EUR', 'EUR', 'EUR', 'USD', 'GBP'];

/** A few hot ISINs carry most of the flow, as on a real book. */
const isinOf = (k: number): string => `XS${String(k % 7 === 0 ? k % 5000 : k % 20).padStart(10, '0')}`;

function holdings(size: number): { ours: OurPosition[]; theirs: HoldingLine[] } {
  const ours: OurPosition[] = [];
  const theirs: HoldingLine[] = [];
  for (let k = 0; k < size; k++) {
    const isin = `XS${String(k).padStart(10, '0')}`;
    const quantity = new Decimal(((k * 7919) % 1_000_000) + 1);
    ours.push({ isin, quantity });
    theirs.push({ isin, quantity });
  }
  return { ours, theirs };
}

/**
 * Lines and movements are built by one literal each, keys always in one order: objects built with
 * spread (`{ ...common, reference }`) each get a hidden class of their own in V8, and every
 * property read then goes the slow way, which would time the generator's shapes, not the engine.
 */
function movement(k: number, suffix: string, quantity: Decimal, amount: Decimal): OurMovement {
  return {
    movementId: `M-${k}${suffix}`,
    instructionId: `SI-${k}`,
    isin: isinOf(k),
    quantity,
    amount,
    currency: CURRENCIES[k % CURRENCIES.length],
    direction: k % 2 === 0 ? 'RECEIVE' : 'DELIVER',
    settlementDate: DATES[k % DATES.length],
  };
}

function line(k: number, suffix: string, echo: boolean, quantity: Decimal, amount: Decimal): TransactionLine {
  return {
    reference: `R-${k}${suffix}`,
    instructionId: echo ? `SI-${k}` : null,
    isin: isinOf(k),
    quantity,
    amount,
    currency: CURRENCIES[k % CURRENCIES.length],
    direction: k % 2 === 0 ? 'RECEIVE' : 'DELIVER',
    settlementDate: DATES[k % DATES.length],
  };
}

function transactions(size: number): { ours: OurMovement[]; theirs: TransactionLine[] } {
  const ours: OurMovement[] = [];
  const theirs: TransactionLine[] = [];
  for (let k = 0; theirs.length < size; k++) {
    const shape = k % 20;
    const quantity = new Decimal(k + 1);
    const amount = new Decimal(((k * 104729) % 10_000_000) + 1).div(100);
    if (shape === 0) {
      // Two partial settlements, one line for the instruction.
      const half = quantity.div(2);
      const halfAmount = amount.div(2);
      ours.push(movement(k, '-1', half, halfAmount), movement(k, '-2', quantity.minus(half), amount.minus(halfAmount)));
      theirs.push(line(k, '', true, quantity, amount));
    } else if (shape === 1) {
      // A net instruction reported per trade: two lines, one movement.
      const part = quantity.div(4);
      const partAmount = amount.div(4);
      ours.push(movement(k, '', quantity, amount));
      theirs.push(line(k, '-1', true, part, partAmount), line(k, '-2', true, quantity.minus(part), amount.minus(partAmount)));
    } else {
      // shapes 2 and 3 carry no instruction id: paired by attributes.
      ours.push(movement(k, '', quantity, amount));
      theirs.push(line(k, '', shape > 3, quantity, amount));
    }
  }
  return { ours, theirs };
}

/** Wall-clock and CPU (user + system, all threads, so the collector's too) milliseconds of one run. */
function timed(run: () => { breaks: unknown[] }): { wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const outcome = run();
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  // A benchmark of books that do not agree would time break building, not matching.
  if (outcome.breaks.length > 0) throw new Error(`benchmark books do not agree: ${outcome.breaks.length} breaks`);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

const perSecond = (lines: number, ms: number): string => `${Math.round((lines * 1000) / ms).toLocaleString('en-US')} lines/s`;
const per100k = (lines: number, ms: number): string => `${((ms * 100_000) / lines).toFixed(0)} ms per 100k lines`;
/** CPU time beside wall time: on a shared machine the wall clock measures the neighbours too. */
const figures = (lines: number, t: { wallMs: number; cpuMs: number }): string =>
  `${perSecond(lines, t.wallMs)}, ${per100k(lines, t.wallMs)} (wall ${(t.wallMs / 1000).toFixed(2)} s, CPU ${(t.cpuMs / 1000).toFixed(2)} s)`;

export async function benchReconciliationEngine(): Promise<Record<string, string>> {
  const report: Record<string, string> = {};
  const none = new Set<string>();
  const config = DEFAULT_RECONCILIATION_CONFIG;

  const warmUp = transactions(20_000);
  reconcileTransactions(warmUp.ours, warmUp.theirs, config, MARKET, none);

  const positions = holdings(100_000);
  reconcilePositions(positions.ours.slice(0, 10_000), positions.theirs.slice(0, 10_000), config, none);
  report['holdings, 100,000 lines'] = figures(100_000, timed(() => reconcilePositions(positions.ours, positions.theirs, config, none)));

  for (const size of [100_000, 300_000, 1_000_000]) {
    const books = transactions(size);
    const t = timed(() => reconcileTransactions(books.ours, books.theirs, config, MARKET, none));
    report[`transactions, ${size.toLocaleString('en-US')} lines`] = figures(books.theirs.length, t);
  }
  return report;
}
