/**
 * Reconciliation throughput against the real database, through the service's own use case (no
 * HTTP, no Kafka): a statement is parsed from its CSV form, our books as of its date are read
 * from the projections, the engine compares, and the run, its matches, any breaks, their outbox
 * events and audit records are written in one transaction, exactly as `POST /statements` does.
 *
 *   BENCH_RECON_HOLDINGS       lines of the holdings statement (default 100,000)
 *   BENCH_RECON_TRANSACTIONS   lines of the largest transactions statement (default 1,000,000);
 *                              also run at a tenth and at 30 % of it, to show the cost is linear
 *
 * Each statement agrees with our books except for a handful of injected differences, which must
 * come out as exactly that many breaks. Figures only; nothing asserts a timing.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Decimal, isinWithCheckDigit } from '@postrade/kernel';
import { Outbox } from '@postrade/messaging';
import { AuditTrail, AuditTrailRepository, bootstrapServiceDatabase, createServiceDataSource, serviceDatabaseUrl, TransactionRunner, type ServiceDatabase } from '@postrade/persistence';
import { noChanges, type OurBooksChanges } from '../../apps/reconciliation/src/application/our-books';
import { BreakEvents } from '../../apps/reconciliation/src/application/reconcile/break-events';
import { ReconcileStatement } from '../../apps/reconciliation/src/application/reconcile/reconcile-statement';
import { benchReconciliationEngine } from '../../apps/reconciliation/src/domain/matching/engine.bench';
import { DEFAULT_RECONCILIATION_CONFIG } from '../../apps/reconciliation/src/domain/matching';
import { parseStatementCsv } from '../../apps/reconciliation/src/domain/statements';
import { BreaksRepository } from '../../apps/reconciliation/src/persistence/breaks.repository';
import { reconciliationMigrations } from '../../apps/reconciliation/src/persistence/migrations';
import { OurBooksRepository } from '../../apps/reconciliation/src/persistence/our-books.repository';
import { StatementsRepository } from '../../apps/reconciliation/src/persistence/statements.repository';
import { startLocalPostgres } from '@postrade/local-runtime';

const benchDatabase: ServiceDatabase = { service: 'reconciliation-bench', schema: 'reconciliation_bench', role: 'reconciliation_bench_svc', entities: [], migrations: reconciliationMigrations };

const AS_OF = '2026-11-24';
const INJECTED = 5;

const isinOf = (k: number): string => isinWithCheckDigit(`XS${String(k).padStart(9, '0')}`);
/** A few hot ISINs carry most of the flow, as on a real book. */
const hotIsin = (k: number): string => isinOf(k % 7 === 0 ? k % 5000 : k % 20);

/** Lines without an instruction id get a quantity of their own, so that attributes pair them unambiguously. */
const quantityOf = (k: number): number => (k % 10 === 9 ? 1000 + k : (k % 997) + 1);

const perSecond = (lines: number, ms: number) => `${Math.round((lines * 1000) / ms).toLocaleString('en-US')} lines/s`;

export async function benchReconciliation(): Promise<Record<string, string>> {
  const holdingsLines = Number(process.env.BENCH_RECON_HOLDINGS ?? 100_000);
  const transactionLines = Number(process.env.BENCH_RECON_TRANSACTIONS ?? 1_000_000);
  const postgres = await startLocalPostgres();
  const env = { ...process.env, DATABASE_URL: postgres.adminUrl };
  await bootstrapServiceDatabase(postgres.adminUrl, benchDatabase, env);
  const dataSource = createServiceDataSource(benchDatabase, { url: serviceDatabaseUrl(benchDatabase, env), poolSize: 2 });
  await dataSource.initialize();
  const admin = new Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  const results: Record<string, string> = {};
  try {
    const tables = ['trades', 'ledger_movements', 'settled_movements', 'statements', 'reconciliation_runs', 'matches', 'breaks', 'outbox', 'audit_records', 'audit_chains'];
    await admin.query(`truncate ${tables.map((t) => `${benchDatabase.schema}.${t}`).join(', ')}`);
    const transactions = new TransactionRunner(dataSource);
    const books = new OurBooksRepository();
    const reconcile = new ReconcileStatement(
      books,
      new BreaksRepository(),
      new StatementsRepository(),
      new BreakEvents(new Outbox('reconciliation-bench', benchDatabase.schema), new AuditTrail(new AuditTrailRepository())),
      () => DEFAULT_RECONCILIATION_CONFIG,
    );
    const load = async (changes: (from: number, to: number) => OurBooksChanges, count: number) => {
      for (let from = 0; from < count; from += 20_000) await transactions.run((em) => books.apply(em, changes(from, Math.min(count, from + 20_000))));
    };
    const apply = async (label: string, csv: string, header: { type: 'HOLDINGS' | 'TRANSACTIONS'; account: string }, lines: number) => {
      const started = performance.now();
      const statement = parseStatementCsv(csv, { ...header, asOf: AS_OF, statementId: `${label}-${randomUUID()}` });
      const parsed = performance.now();
      const applied = await transactions.run((em) => reconcile.applyStatement(em, statement, { format: 'csv', content: csv, receivedBy: 'bench' }));
      const done = performance.now();
      if (applied.result.breaksOpened !== INJECTED) throw new Error(`${label}: expected ${INJECTED} breaks, got ${applied.result.breaksOpened}`);
      results[`${label}: ${lines.toLocaleString('en-US')} lines, parse + reconcile + store`] =
        `${perSecond(lines, done - started)} (${Math.round(done - started).toLocaleString('en-US')} ms: parse ${Math.round(parsed - started)} ms, apply ${Math.round(done - parsed)} ms; ${((done - started) / (lines / 100_000)).toFixed(0)} ms per 100k lines)`;
    };

    // Holdings: one trade per ISIN settled into the account.
    const holdingsAccount = 'BENCH-SAFE-H';
    process.stderr.write(`  loading our books: ${holdingsLines.toLocaleString('en-US')} positions…\n`);
    await load((from, to) => {
      const changes = noChanges();
      for (let k = from; k < to; k++) {
        const tradeId = randomUUID();
        changes.trades.push({
          tradeId, version: 1, status: 'CAPTURED', sourceSystem: 'BENCH', sourceTradeId: `H-${k}`, tradeDate: '2026-11-20', isin: isinOf(k), side: 'BUY',
          quantity: String(k + 1), price: '1', currency: 'EUR', counterpartyLei: 'BENCH00000000000000', settlementMarket: 'EU',
          safekeepingAccount: holdingsAccount, cashAccount: 'BENCH-CASH-H', eventId: randomUUID(), updatedAt: '2026-11-20T12:00:00Z',
        });
        changes.ledgerMovements.push({ entryId: randomUUID(), postingNo: 0, tradeId, kind: 'SECURITIES', asset: isinOf(k), amount: String(k + 1), effectiveDate: '2026-11-23' });
      }
      return changes;
    }, holdingsLines);
    const holdingsCsv = ['isin,quantity', ...Array.from({ length: holdingsLines }, (_, k) => `${isinOf(k)},${k < INJECTED ? k + 2 : k + 1}`)].join('\n');
    await apply('holdings (semt.002 as CSV)', holdingsCsv, { type: 'HOLDINGS', account: holdingsAccount }, holdingsLines);

    // Transactions: one settled movement per line, most echoed by instruction id, a tenth paired by attributes.
    for (const size of [Math.round(transactionLines / 10), Math.round(transactionLines * 0.3), transactionLines]) {
      const account = `BENCH-SAFE-T${size}`;
      process.stderr.write(`  loading our books: ${size.toLocaleString('en-US')} settled movements…\n`);
      await load((from, to) => {
        const changes = noChanges();
        for (let k = from; k < to; k++) {
          changes.settledMovements.push({
            movementId: randomUUID(), instructionId: `I-${size}-${k}`, account, cashAccount: 'BENCH-CASH-T', settlementMarket: 'EU', isin: hotIsin(k),
            direction: k % 2 === 0 ? 'RECEIVE' : 'DELIVER', quantity: String(quantityOf(k)), amount: new Decimal(quantityOf(k)).times('101.25').toFixed(2), currency: 'EUR', settlementDate: AS_OF,
          });
        }
        return changes;
      }, size);
      const lines = ['reference,instructionId,isin,quantity,amount,currency,direction,settlementDate'];
      for (let k = 0; k < size; k++) {
        const quantity = k < INJECTED ? quantityOf(k) + 1 : quantityOf(k);
        const amount = new Decimal(quantityOf(k)).times('101.25').toFixed(2);
        lines.push(`C-${k},${k % 10 === 9 ? '' : `I-${size}-${k}`},${hotIsin(k)},${quantity},${amount},EUR,${k % 2 === 0 ? 'RECEIVE' : 'DELIVER'},${AS_OF}`);
      }
      await apply(`transactions (semt.017 as CSV)`, lines.join('\n'), { type: 'TRANSACTIONS', account }, size);
    }
    for (const [measure, figure] of Object.entries(await benchReconciliationEngine())) results[`engine only: ${measure}`] = figure;
  } finally {
    await admin.end();
    await dataSource.destroy();
  }
  return results;
}
