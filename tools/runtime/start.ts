/**
 * `npm start`: the whole platform on one machine without Docker. `npm run build` has compiled what
 * changed (package.json runs it first); this starts (or reuses) Kafka and Postgres, creates the
 * topics, provisions and migrates every service schema, starts the six compiled services
 * (`node dist/apps/<name>/src/main.js`) with the development API keys on, prints their URLs, and
 * stops everything on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAYS, GATEWAY_NAMES } from '@postrade/contracts';
import { kafkaPasswordOf } from '@postrade/messaging';
import { serviceEnvPrefix } from '@postrade/persistence';
import { createLogger } from '@postrade/platform';
import { repoRoot, startPlatformRuntime } from '@postrade/local-runtime';
import { SERVICES } from './services';

const log = createLogger('postrade');

async function waitReady(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(`${url}/health/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}

/**
 * The gateways' Kafka principals, for scripts that play the OMS, a counterparty or the custodian
 * (docs/security.md). Printed only while the development keys are on: their passwords are public.
 */
function gatewayPrincipalLines(brokers: string): string[] {
  if ((process.env.POSTRADE_DEV_KEYS ?? '1') !== '1') return [];
  return [
    '  Kafka gateway principals (SASL SCRAM-SHA-256, development passwords):',
    ...GATEWAY_NAMES.map((g) => `    ${g.padEnd(21)} password ${kafkaPasswordOf(g, process.env).padEnd(26)} writes ${GATEWAYS[g].writes.join(', ')}`),
    `    kafkajs: new Kafka({ brokers: ['${brokers}'], sasl: { mechanism: 'scram-sha-256', username: 'oms-gateway', password: '${kafkaPasswordOf('oms-gateway', process.env)}' } })`,
    "    and set ce_source to the gateway's name (or '<gateway>/<system>').",
  ];
}

async function main(): Promise<void> {
  const missing = SERVICES.filter((service) => !existsSync(join(repoRoot, service.compiledMain))).map((service) => service.compiledMain);
  if (missing.length > 0) throw new Error(`not compiled: ${missing.join(', ')}; run \`npm run build\` (npm start runs it first)`);
  const runtime = await startPlatformRuntime(SERVICES);
  const children: { name: string; port: number; child: ChildProcess }[] = [];
  let stopping = false;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping the services, then Kafka and Postgres');
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await runtime.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  for (const service of SERVICES) {
    const port = Number(process.env[`${serviceEnvPrefix(service.name)}_PORT`] ?? service.port);
    const child = spawn(process.execPath, [join(repoRoot, service.compiledMain)], {
      cwd: repoRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: runtime.databaseUrl,
        KAFKA_BROKERS: runtime.kafkaBrokers,
        // Each service logs in to Kafka as its own principal (<SERVICE>_KAFKA_PASSWORD, or its development
        // password with POSTRADE_DEV_KEYS=1), never as the runtime's administrator.
        KAFKA_SECURITY_PROTOCOL: runtime.kafkaClientEnv.KAFKA_SECURITY_PROTOCOL,
        KAFKA_SASL_MECHANISM: runtime.kafkaClientEnv.KAFKA_SASL_MECHANISM ?? '',
        KAFKA_USERNAME: '',
        KAFKA_PASSWORD: '',
        POSTRADE_DEV_KEYS: process.env.POSTRADE_DEV_KEYS ?? '1',
      },
    });
    child.once('exit', (code, signal) => {
      if (!stopping) {
        log.error({ service: service.name, code, signal }, 'a service stopped unexpectedly; stopping the platform');
        void stop(1);
      }
    });
    children.push({ name: service.name, port, child });
  }
  try {
    await Promise.all(
      children.map(({ name, port, child }) =>
        waitReady(`http://127.0.0.1:${port}`, child).catch((err) => {
          throw new Error(`${name}: ${err.message}`);
        }),
      ),
    );
  } catch (err) {
    // Not ready: stop the services already spawned (and the runtime if started here) instead of
    // leaving them running on the ports, where the next `npm start` would find them.
    log.fatal({ err: err instanceof Error ? err.message : String(err) }, 'Postrade could not start');
    await stop(1);
    return;
  }
  const lines = children.map((s) => `  ${s.name.padEnd(22)} http://127.0.0.1:${s.port}   docs: http://127.0.0.1:${s.port}/docs`);
  process.stdout.write(
    [
      '',
      'Postrade is running.',
      ...lines,
      `  Kafka                  ${runtime.kafkaBrokers}`,
      '  Development API keys:  dev-upstream, dev-ops, dev-ops-2, dev-supervisor, dev-custodian, dev-auditor, dev-cp-<LEI>',
      ...gatewayPrincipalLines(runtime.kafkaBrokers),
      'Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  log.fatal({ err: err instanceof Error ? err.message : String(err) }, 'Postrade could not start');
  process.exit(1);
});
