/**
 * `npm run bench`: throughput and latency of the reliable-messaging path on the real broker and
 * database, plus the hot kernel computations, each service's own path, and the whole platform
 * (platform.bench.ts). Figures go into the README by hand; nothing here asserts a timing.
 *
 *   BENCH_EVENTS (default 50,000) events for the ceilings and the sustained maximum;
 *   BENCH_RATE_SECONDS (default 10) per fixed offered rate. See messaging.bench.ts.
 */
import { Decimal, intendedSettlementDate, roundToMinorUnit, validateIsin, validateLei } from '@postrade/kernel';
import { kafkaConnectionFromEnv } from '@postrade/messaging';
import { startPlatformRuntime } from '@postrade/local-runtime';
import { SERVICES } from '../runtime/services';
import { benchCompliance } from './compliance.bench';
import { benchLedger } from './ledger.bench';
import { benchMatching } from './matching.bench';
import { benchMessaging, type Report } from './messaging.bench';
import { benchPlatform, type BenchTable } from './platform.bench';
import { benchReconciliation } from './reconciliation.bench';
import { benchSettlement } from './settlement.bench';

function perSecond(count: number, ms: number): string {
  return `${Math.round((count * 1000) / ms).toLocaleString('en-US')}/s`;
}

function timeLoop(label: string, iterations: number, body: (i: number) => void): void {
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) body(i);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`  ${label.padEnd(44)} ${perSecond(iterations, ms)}\n`);
}

function kernelBenchmarks(): void {
  process.stdout.write('kernel (single core)\n');
  const price = new Decimal('189.2537');
  timeLoop('gross amount (qty x price, half-up to cents)', 200_000, (i) => roundToMinorUnit(price.times(1000 + i), 'USD'));
  timeLoop('intended settlement date (US, T+1)', 100_000, (i) => intendedSettlementDate('US', `2026-${String((i % 12) + 1).padStart(2, '0')}-15`));
  timeLoop('ISIN check digit', 200_000, () => validateIsin('US0378331005'));
  timeLoop('LEI check digits', 200_000, () => validateLei('5493001KJTIIGC8Y1R12'));
}

function printReport(title: string, report: Report): void {
  process.stdout.write(`\n${title}\n\n| measure | figure |\n|---|---|\n`);
  for (const [measure, figure] of report) process.stdout.write(`| ${measure} | ${figure} |\n`);
}

function printTable(table: BenchTable): void {
  process.stdout.write(`\n${table.title}\n\n| ${table.header.join(' | ')} |\n|${table.header.map(() => '---').join('|')}|\n`);
  for (const row of table.rows) process.stdout.write(`| ${row.join(' | ')} |\n`);
  for (const note of table.notes ?? []) process.stdout.write(`\n${note}\n`);
}

/** The services' own benchmarks, each against the real database, one after another. */
const SERVICE_BENCHMARKS: [string, () => Promise<Record<string, string>>][] = [
  ['matching: confirmations matched from the batch handler, 100,000 and 1,000,000 open trades', benchMatching],
  ['settlement: custodian status updates and the end-of-day close', () => benchSettlement()],
  ['ledger: batch posting, spread over many books vs one hot account', benchLedger],
  ['compliance: sanctions screening against the 2019 OFAC SDN list', benchCompliance],
  ['reconciliation: statements of 100,000 holdings and up to 1,000,000 transactions, parsed, reconciled and stored', benchReconciliation],
];

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY; // e.g. BENCH_ONLY=ledger
  if (!only || only === 'kernel') kernelBenchmarks();
  // One local runtime (a real broker and Postgres) for every benchmark that needs one.
  const runtime = await startPlatformRuntime(SERVICES);
  process.env.DATABASE_URL = runtime.databaseUrl;
  process.env.KAFKA_BROKERS = runtime.kafkaBrokers;
  Object.assign(process.env, runtime.kafkaClientEnv);
  try {
    if (!only || only === 'messaging') {
      const report = await benchMessaging(kafkaConnectionFromEnv('bench'), runtime.databaseUrl, (line) => process.stderr.write(`${line}\n`));
      printReport(`messaging spine (BENCH_EVENTS=${process.env.BENCH_EVENTS ?? 50_000}, ${new Date().toISOString().slice(0, 10)})`, report);
    }
    for (const [title, bench] of SERVICE_BENCHMARKS) {
      if (only && !title.startsWith(only)) continue;
      process.stderr.write(`${title}…\n`);
      printReport(title, Object.entries(await bench()));
    }
    if (!only || only === 'platform') {
      process.stderr.write('platform: the services as processes, under an open-model load…\n');
      for (const table of await benchPlatform(runtime, (line) => process.stderr.write(`${line}\n`))) printTable(table);
    }
  } finally {
    if (process.env.POSTRADE_KEEP_RUNTIME !== '1') await runtime.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
