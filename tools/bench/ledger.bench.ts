/**
 * Ledger posting throughput against the real database, driving the ledger's batch booking use case
 * directly (no Kafka): the same code path as a consumed batch, with the journal chain, balance
 * trigger, daily balances, booked trades and outbox writes.
 *
 *   BENCH_LEDGER_TRADES   trades per scenario (default 20000); each is captured, then settled:
 *                         4 postings on capture, 8 on settlement
 *   BENCH_LEDGER_BATCH    events per batch transaction (default 500)
 *   BENCH_LEDGER_WORKERS  batches in flight at once, as partitions/replicas would (default 2)
 *
 * Two scenarios: the flow spread over many books, ISINs and counterparties, and a hot account
 * (one book, one ISIN, one counterparty taking all the flow). Each run ends with the trial balance
 * at zero and the hash chain verified. Figures only; nothing asserts a timing.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { Decimal } from '@postrade/kernel';
import { Outbox, ParkingLot, partitionName } from '@postrade/messaging';
import { bootstrapServiceDatabase, createServiceDataSource, serviceDatabaseUrl, TransactionRunner, type ServiceDatabase } from '@postrade/persistence';
import { BookLedgerEventsHandler, type ReceivedLedgerEvent } from '../../apps/ledger/src/application/book-events/book-ledger-events.command-handler';
import { JournalPoster } from '../../apps/ledger/src/application/book-events/journal-poster';
import { VerifyJournalHandler } from '../../apps/ledger/src/application/verify-journal/verify-journal.query-handler';
import type { LedgerInput } from '../../apps/ledger/src/domain/ledger-inputs';
import { ledgerInputOfMessage } from '../../apps/ledger/src/messaging/ledger-input.mapper';
import { ledgerMigrations } from '../../apps/ledger/src/persistence/migrations';
import { BookedTradeRepository } from '../../apps/ledger/src/persistence/booked-trade.repository';
import { JournalRepository } from '../../apps/ledger/src/persistence/journal.repository';
import { BalanceRepository } from '../../apps/ledger/src/persistence/balance.repository';
import { LedgerExceptionRepository } from '../../apps/ledger/src/persistence/ledger-exception.repository';
import { PenaltyRepository } from '../../apps/ledger/src/persistence/penalty.repository';
import { startLocalPostgres } from '@postrade/local-runtime';

/** The ledger's migrations in a schema of their own, so the bench never touches the service's books. */
const benchDatabase: ServiceDatabase = {
  service: 'ledger-bench',
  schema: 'ledger_bench',
  role: 'ledger_bench_svc',
  entities: [],
  migrations: ledgerMigrations,
};

interface Scenario {
  name: string;
  books: number;
  isins: number;
  counterparties: number;
}

const ISINS = ['US0378331005', 'US5949181045', 'US88160R1014', 'DE0007164600', 'GB0002634946', 'FR0000120271', 'CH0012032048', 'JP3633400001'];

function isinOf(i: number): string {
  return i < ISINS.length ? ISINS[i] : `XS${String(i).padStart(9, '0')}0`;
}

function leiOf(i: number): string {
  return `BENCH${String(i).padStart(13, '0')}00`;
}

function eventsFor(scenario: Scenario, trades: number): { captures: LedgerInput[]; settlements: LedgerInput[] } {
  const captures: LedgerInput[] = [];
  const settlements: LedgerInput[] = [];
  for (let i = 0; i < trades; i++) {
    const tradeId = randomUUID();
    const isin = isinOf(i % scenario.isins);
    const quantity = new Decimal(100 + (i % 900));
    const netAmount = quantity.times('189.25').plus('11.20');
    captures.push({
      kind: 'trade',
      eventId: randomUUID(),
      eventType: 'postrade.trade.captured.v1',
      action: 'CAPTURED',
      updatedAt: '2026-11-20T15:00:00.000Z',
      terms: {
        tradeId,
        version: 1,
        side: i % 2 === 0 ? 'BUY' : 'SELL',
        book: `BOOK-${i % scenario.books}`,
        isin,
        currency: 'USD',
        counterpartyLei: leiOf(i % scenario.counterparties),
        quantity,
        netAmount,
        freeOfPayment: false,
        tradeDate: '2026-11-20',
      },
    });
    settlements.push({
      kind: 'settlement',
      eventId: randomUUID(),
      eventType: 'postrade.settlement.settled.v1',
      instructionId: `INS-${tradeId}`,
      tradeIds: [tradeId],
      isin,
      currency: 'USD',
      freeOfPayment: false,
      final: true,
      settledQuantity: quantity,
      settledAmount: netAmount,
      effectiveDate: '2026-11-23',
    });
  }
  return { captures, settlements };
}

/**
 * CPU seconds used so far by each of the bench's Postgres backends (Linux /proc, clock ticks of
 * 1/100 s), so that the figures can also be read per CPU-second: on a machine shared with other
 * work, wall-clock rates say more about the neighbours than about the ledger.
 */
async function backendCpuSeconds(admin: Client): Promise<Map<number, number> | null> {
  const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [benchDatabase.service]);
  const cpu = new Map<number, number>();
  try {
    for (const { pid } of rows) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    return null; // Postgres on another host, or /proc unreadable: wall-clock figures only
  }
  return cpu;
}

function cpuUsedSince(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let seconds = 0;
  for (const [pid, used] of after) seconds += used - (before.get(pid) ?? 0);
  return seconds;
}

export async function benchLedger(): Promise<Record<string, string>> {
  const trades = Number(process.env.BENCH_LEDGER_TRADES ?? 20_000);
  const batchSize = Number(process.env.BENCH_LEDGER_BATCH ?? 500);
  const workers = Number(process.env.BENCH_LEDGER_WORKERS ?? 2);
  const postgres = await startLocalPostgres();
  const env = { ...process.env, DATABASE_URL: postgres.adminUrl };
  await bootstrapServiceDatabase(postgres.adminUrl, benchDatabase, env);
  const dataSource = createServiceDataSource(benchDatabase, { url: serviceDatabaseUrl(benchDatabase, env), poolSize: workers + 1 });
  await dataSource.initialize();
  const admin = new Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  const transactions = new TransactionRunner(dataSource);
  const journal = new JournalRepository();
  const booking = new BookLedgerEventsHandler(
    journal,
    new BookedTradeRepository(),
    new ParkingLot({ consumer: 'ledger-bench', dlqTopic: 'ledger-bench.dlq.v1', outbox: new Outbox('ledger-bench', benchDatabase.schema) }),
    new JournalPoster(journal, new Outbox('ledger-bench', benchDatabase.schema)),
    { parkedExpiryMs: 72 * 3_600_000, inputOf: ledgerInputOfMessage },
    new LedgerExceptionRepository(),
    new PenaltyRepository(),
  );
  // Each worker stands for a consumer of its own partition, and appends to that partition's chain.
  const messageOf = (partition: number) => ({ topic: 'bench', partition, offset: '0', key: null, headers: {}, value: '' });

  async function run(inputs: LedgerInput[]): Promise<void> {
    const batches: LedgerInput[][] = [];
    for (let i = 0; i < inputs.length; i += batchSize) batches.push(inputs.slice(i, i + batchSize));
    let next = 0;
    await Promise.all(
      Array.from({ length: workers }, async (_, partition) => {
        while (next < batches.length) {
          const batch: ReceivedLedgerEvent[] = batches[next++].map((input) => ({ input, message: messageOf(partition) }));
          await transactions.run((em) => booking.execute(batch, em, partitionName(messageOf(partition))));
        }
      }),
    );
  }

  const results: Record<string, string> = {};
  const measure = async (scenario: Scenario): Promise<number> => {
    await admin.query(`truncate ${benchDatabase.schema}.postings, ${benchDatabase.schema}.journal_entries, ${benchDatabase.schema}.daily_balances, ${benchDatabase.schema}.booked_trades, ${benchDatabase.schema}.outbox`);
    await admin.query(`truncate ${benchDatabase.schema}.journal_chains`);
    const { captures, settlements } = eventsFor(scenario, trades);
    const backendsBefore = await backendCpuSeconds(admin);
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    await run(captures);
    await run(settlements);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const nodeCpu = process.cpuUsage(cpuBefore);
    const databaseCpu = cpuUsedSince(backendsBefore, await backendCpuSeconds(admin));
    const [{ postings }] = (await admin.query(`select count(*)::int as postings from ${benchDatabase.schema}.postings`)).rows;
    const { rows: off } = await admin.query(
      `select asset from (select account, asset, sum(movement) as b from ${benchDatabase.schema}.daily_balances group by 1, 2) x group by asset having sum(b) <> 0`,
    );
    if (off.length > 0) throw new Error(`trial balance off in ${off.map((r) => r.asset).join(', ')}`);
    // Batches in flight at once must still have appended unbroken chains, one per partition.
    const chain = await new VerifyJournalHandler(dataSource, journal, new BalanceRepository()).execute();
    if (!chain.ok) throw new Error(`journal chain broken at entry ${chain.firstBadEntryId} after ${chain.entriesChecked} entries`);
    const rate = postings / seconds;
    results[`ledger ${scenario.name} (postings/s)`] = `${Math.round(rate).toLocaleString('en-US')}/s (${postings.toLocaleString('en-US')} postings in ${seconds.toFixed(1)} s)`;
    if (databaseCpu !== null) {
      const cpuSeconds = (nodeCpu.user + nodeCpu.system) / 1e6 + databaseCpu;
      results[`ledger ${scenario.name} (postings per CPU-second)`] =
        `${Math.round(postings / cpuSeconds).toLocaleString('en-US')} (bench process ${((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(1)} s + Postgres backends ${databaseCpu.toFixed(1)} s of CPU)`;
    }
    return rate;
  };

  try {
    const spread = await measure({ name: 'spread over 200 books, 8 ISINs, 50 counterparties', books: 200, isins: 8, counterparties: 50 });
    const hot = await measure({ name: 'hot account (one book, ISIN, counterparty)', books: 1, isins: 1, counterparties: 1 });
    results['ledger hot / spread'] = (hot / spread).toFixed(2);
    results['ledger setup'] = `${trades.toLocaleString('en-US')} trades captured then settled, batches of ${batchSize} events, ${workers} batches in flight, trial balance checked at zero and the hash chain verified`;
    return results;
  } finally {
    await admin.end();
    await dataSource.destroy();
    await postgres.stop();
  }
}
