import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { kafkaConnectionFromEnv } from '@postrade/messaging';
import { bootstrapPlatform } from '../../runtime/platform-runtime';
import { SERVICES } from '../../runtime/services';
import { tsEntryProcess } from '../../runtime/ts-entry';
import { pollUntil, type ServiceUrls } from '../src/http';
import { runSimulation, type RunOutcome } from '../src/run';
import { DEFAULT_OPTIONS } from '../src/scenario';

const repoRoot = join(__dirname, '..', '..', '..');
// Ports of their own, beside the boot tests' 1300x and the crash tests' ones.
const PORTS: Record<string, number> = { 'trade-capture': 13101, 'confirmation-matching': 13102, settlement: 13103, ledger: 13104, compliance: 13105 };
const SEED = process.env.POSTRADE_SIM_SEED ?? String(Date.now() % 100_000);

/**
 * A service process from its main.ts, as `npm start` and libs/testing's spawnTs run it (tools may
 * not import libs/testing: the lint boundaries keep tools on kernel, contracts, libs and apps).
 */
function startService(main: string, port: number): { child: ChildProcess; output: () => string } {
  const ts = tsEntryProcess(main);
  const child = spawn(ts.command, ts.args, {
    cwd: repoRoot,
    env: { ...process.env, ...ts.env, PORT: String(port), POSTRADE_DEV_KEYS: '1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  return { child, output: () => output };
}

async function ready(url: string, service: { child: ChildProcess; output: () => string }): Promise<void> {
  const up = await pollUntil(async () => {
    if (service.child.exitCode !== null) throw new Error(`${url} exited (${service.child.exitCode}):\n${service.output()}`);
    try {
      return (await fetch(`${url}/health/ready`)).status === 200;
    } catch {
      return false;
    }
  }, 150_000, 300);
  if (!up) throw new Error(`${url} not ready within 150 s:\n${service.output()}`);
}

/**
 * A seeded trading period of about 300 trades over two trade days driven through the five real
 * service processes (each started from its main.ts against the test runtime's Kafka and Postgres),
 * by the simulator's own actors, then verified: every service holds what the scenario says it must.
 */
describe('a simulated trading period through the whole platform', () => {
  const services: { child: ChildProcess; output: () => string }[] = [];
  let outcome: RunOutcome;

  beforeAll(async () => {
    process.stderr.write(`trading-day simulation seed ${SEED} (set POSTRADE_SIM_SEED to replay it)\n`);
    const kafka = kafkaConnectionFromEnv('simulator-test');
    // The global setup has provisioned and migrated every schema; doing it again is safe and
    // keeps this suite right when run alone against a runtime someone else started.
    await bootstrapPlatform(kafka, process.env.DATABASE_URL!);
    for (const service of SERVICES) services.push(startService(service.main, PORTS[service.name]));
    const urls = Object.fromEntries(SERVICES.map((s) => [s.name, `http://127.0.0.1:${PORTS[s.name]}`])) as ServiceUrls;
    await Promise.all(SERVICES.map((s, i) => ready(urls[s.name as keyof ServiceUrls], services[i])));
    outcome = await runSimulation(
      { ...DEFAULT_OPTIONS, trades: 300, days: 2, seed: SEED, rate: 40, counterparties: 120 },
      { urls, kafka, repoRoot },
      { outDir: mkdtempSync(join(tmpdir(), 'postrade-simulation-')), verifyTimeoutMs: 60_000 },
    );
    process.stderr.write(`simulation ${outcome.scenario.runTag}: report in ${outcome.outDir}\n`);
  }, 280_000);

  afterAll(async () => {
    await Promise.all(
      services.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  });

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

  it('leaves every service outbox drained', async () => {
    const db = new Client({ connectionString: process.env.DATABASE_URL });
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
