import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { servicePorts } from '@postrade/contracts';
import type { KafkaConnection } from '@postrade/messaging';
import { bootstrapPlatform, startLocalKafka, startLocalPostgres, type LocalKafka, type LocalKafkaOptions, type LocalPostgres, type LocalPostgresOptions } from '@postrade/local-runtime';
import { SERVICES } from '../../runtime/services';
import { pollUntil } from '../src/http';
import { runSimulation, type RunOutcome } from '../src/run';
import { DEFAULT_OPTIONS } from '../src/scenario';
import { freePortPair, PlatformProcesses, repoRoot } from './platform-processes';

// Ports of their own, beside the boot tests' 1300x, the crash tests' ones and the fault tests' 320x.
const PORTS = servicePorts(10_100);
const SEED = process.env.POSTRADE_SIM_SEED ?? String(Date.now() % 100_000);

/**
 * A seeded trading period of about 300 trades over two trade days driven through the six real
 * service processes (each started from its main.ts), by the simulator's own actors, then verified:
 * every service holds what the scenario says it must, and reconciliation finds the custodian's
 * statements and the OMS's blotters in agreement with the books. On a Kafka broker and a Postgres of its own:
 * the shared test runtime's topics carry what the other suites published (thousands of partial
 * trade payloads the services must dead-letter first), which is not a trading day.
 */
describe('a simulated trading period through the whole platform', () => {
  let outcome: RunOutcome;
  let platform: PlatformProcesses;
  let postgres: LocalPostgres;
  let broker: LocalKafka;
  const postgresOptions: LocalPostgresOptions = { embedded: true, dataDir: mkdtempSync(join(tmpdir(), 'postrade-trading-day-pg-')) };
  const kafkaOptions: LocalKafkaOptions = { dataDir: mkdtempSync(join(tmpdir(), 'postrade-trading-day-kafka-')) };

  beforeAll(async () => {
    process.stderr.write(`trading-day simulation seed ${SEED} (set POSTRADE_SIM_SEED to replay it)\n`);
    postgresOptions.port = await freePortPair();
    kafkaOptions.port = await freePortPair();
    [postgres, broker] = await Promise.all([startLocalPostgres(postgresOptions), startLocalKafka(kafkaOptions)]);
    const kafka: KafkaConnection = { ...broker.connection, clientId: 'postrade-simulator-test' };
    await bootstrapPlatform(kafka, postgres.adminUrl, SERVICES);
    platform = new PlatformProcesses(PORTS, { DATABASE_URL: postgres.adminUrl, KAFKA_BROKERS: kafka.brokers.join(',') });
    await platform.startAll();
    outcome = await runSimulation(
      // No difference injected into the statements and blotters: every break would be a real one.
      { ...DEFAULT_OPTIONS, trades: 300, days: 2, seed: SEED, rate: 40, counterparties: 120, statementBreakShare: 0, ssiRepairShare: 0.05, holdRejectShare: 0.5 },
      { urls: platform.urls, kafka, repoRoot },
      { outDir: mkdtempSync(join(tmpdir(), 'postrade-simulation-')), verifyTimeoutMs: 60_000 },
    );
    process.stderr.write(`simulation ${outcome.scenario.runTag}: report in ${outcome.outDir}\n`);
  }, 400_000);

  afterAll(async () => {
    await platform?.stopAll();
    await Promise.all([broker?.stop(), postgres?.stop()]);
    for (const dir of [postgresOptions.dataDir!, kafkaOptions.dataDir!]) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('finds every service holding exactly what the scenario says it must', () => {
    expect(outcome.differences).toEqual([]);
  });

  it('ends with a ledger trial balance of zero in every asset', () => {
    expect(outcome.report.ledger.trialBalanceAssets).toBeGreaterThan(0);
    expect(outcome.report.ledger.trialBalanceNonZero).toBe(0);
  });

  it('leaves no dead letter of the run but the stale amendments trade capture must reject', () => {
    expect(outcome.differences.filter((d) => d.area === 'dead-letters')).toEqual([]);
  });

  it('ran the cases it is about: breaks, holds, fails, partial settlements, amendments before their NEW', () => {
    const { scenario, expected } = outcome;
    expect(expected.trades.filter((t) => t.matching.breakCodes.length > 0).length).toBeGreaterThan(0);
    expect(expected.trades.filter((t) => t.complianceBeforeOps === 'HELD').length).toBeGreaterThan(0);
    expect(scenario.trades.filter((t) => t.custodian?.outcome.startsWith('FAIL')).length).toBeGreaterThan(0);
    expect(scenario.trades.filter((t) => t.custodian?.outcome === 'PARTIAL_SETTLE').length).toBeGreaterThan(0);
    expect(scenario.trades.filter((t) => t.versions.some((v) => v.beforeNew)).length).toBeGreaterThan(0);
  });

  it('ran the custodian cycle: instructions rejected for a bad SSI re-sent after the repair, and the planned hold answers given', () => {
    const { scenario } = outcome;
    const custodian = outcome.report.metrics!.custodian!;
    const repairs = scenario.trades.filter((t) => t.custodian?.ssiRepair && outcome.expected.trades.find((e) => e.sourceTradeId === t.sourceTradeId)!.settlement !== null);
    expect(repairs.length).toBeGreaterThan(0);
    expect(custodian).toMatchObject({ rejectedForSsi: repairs.length, ssisRepaired: repairs.length, resent: repairs.length });
    const planned = (status: string) => scenario.trades.filter((t) => t.custodian?.holdAnswer?.status === status).length;
    expect(custodian.answers['HOLD HOLD_REJECTED'] ?? 0).toBe(planned('HOLD_REJECTED'));
    expect(custodian.answers['HOLD HOLD_CONFIRMED'] ?? 0).toBeGreaterThanOrEqual(planned('HOLD_CONFIRMED'));
  });

  it("reconciles every statement and blotter sent with no break: the ledger and settlement agree with what the custodian did", () => {
    const r = outcome.report.reconciliation!;
    expect(outcome.differences.filter((d) => d.area === 'reconciliation')).toEqual([]);
    expect(r.statements).toBeGreaterThan(0);
    expect([r.statementsApplied, r.blottersApplied]).toEqual([r.statements, r.blotters]);
    expect(Object.keys(r.sent).sort()).toEqual(expect.arrayContaining(['BLOTTER CSV', 'BLOTTER JSON', 'CASH KAFKA', 'CASH XML', 'HOLDINGS CSV', 'TRANSACTIONS JSON']));
    expect(r.linesCompared).toBeGreaterThan(0);
    expect(r.openBreaks).toMatchObject({ expected: 0, found: 0 });
  });

  it('leaves every service outbox drained', async () => {
    const db = new Client({ connectionString: postgres.adminUrl });
    await db.connect();
    try {
      const unsent = () =>
        Promise.all(SERVICES.map(async (s) => Number((await db.query(`select count(*) as n from ${s.database.schema}.outbox where sent_at is null`)).rows[0].n)));
      let counts: number[] = [];
      await pollUntil(async () => (counts = await unsent()).every((n) => n === 0), 30_000, 500);
      expect(counts).toEqual(SERVICES.map(() => 0));
    } finally {
      await db.end();
    }
  });
});
