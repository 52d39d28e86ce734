/**
 * `npm run simulate`: drives a realistic trading day (or several) through the running platform
 * (`npm start`) and verifies every service's end state against what the scenario says it must be.
 * `--verify` only compares the platform with the last run's expected state. Exit code 1 on any
 * difference. See README.md, "Trading-day simulator".
 */
import { join, resolve } from 'node:path';
import { KAFKA_ADMIN_PRINCIPAL, kafkaConnectionFromEnv, kafkaPasswordOf } from '@postrade/messaging';
import { serviceUrlsFromEnv } from './src/http';
import { parseCommandLine } from './src/options';
import { renderReport } from './src/report';
import { latestRunDir, runSimulation, verifyRun } from './src/run';

const repoRoot = join(__dirname, '..', '..');

async function main(): Promise<number> {
  const command = parseCommandLine(process.argv.slice(2));
  process.env.LOG_LEVEL ??= 'warn';
  // The simulator publishes each inbound topic as the gateway that may write it (oms-gateway,
  // counterparty-gateway, custodian-gateway: src/bus.ts); it watches every topic of a development
  // platform (`npm start`) and reads consumer groups as the broker's development administrator,
  // unless KAFKA_USERNAME says otherwise (docs/security.md).
  const kafka = kafkaConnectionFromEnv('postrade-simulator', { KAFKA_USERNAME: KAFKA_ADMIN_PRINCIPAL, KAFKA_PASSWORD: kafkaPasswordOf(KAFKA_ADMIN_PRINCIPAL), ...process.env });
  const access = { urls: serviceUrlsFromEnv(), kafka, repoRoot };
  if (command.verifyOnly) {
    const dir = command.out ? resolve(command.out) : latestRunDir(repoRoot);
    if (!dir) throw new Error('no run to verify: run `npm run simulate` first, or name its folder with --out');
    const outcome = await verifyRun(dir, access);
    process.stdout.write(renderReport(outcome.report, 50));
    process.stdout.write(`\nverify.md and verify.json in ${dir}\n`);
    return outcome.differences.length === 0 ? 0 : 1;
  }
  const outcome = await runSimulation(command.options, access, { outDir: command.out ? resolve(command.out) : undefined });
  process.stdout.write(renderReport(outcome.report, 50));
  process.stdout.write(`\nreport.md, report.json, scenario.json and expected.json in ${outcome.outDir}\n`);
  return outcome.differences.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
