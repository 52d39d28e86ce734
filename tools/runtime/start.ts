/**
 * `npm start`: the whole platform on one machine without Docker. Starts (or reuses) Kafka and
 * Postgres, creates the topics, provisions and migrates every service schema, starts the five
 * services with the development API keys on, prints their URLs, and stops everything on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { serviceEnvPrefix } from '@postrade/persistence';
import { createLogger } from '@postrade/platform';
import { repoRoot, startPlatformRuntime, tsEntryProcess } from '@postrade/local-runtime';
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

async function main(): Promise<void> {
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
    const ts = tsEntryProcess(service.main);
    const child = spawn(ts.command, ts.args, {
      cwd: repoRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        ...ts.env,
        PORT: String(port),
        DATABASE_URL: runtime.databaseUrl,
        KAFKA_BROKERS: runtime.kafkaBrokers,
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
  await Promise.all(
    children.map(({ name, port, child }) =>
      waitReady(`http://127.0.0.1:${port}`, child).catch((err) => {
        throw new Error(`${name}: ${err.message}`);
      }),
    ),
  );
  const lines = children.map((s) => `  ${s.name.padEnd(22)} http://127.0.0.1:${s.port}   docs: http://127.0.0.1:${s.port}/docs`);
  process.stdout.write(
    [
      '',
      'Postrade is running.',
      ...lines,
      `  Kafka                  ${runtime.kafkaBrokers}`,
      '  Development API keys:  dev-upstream, dev-ops, dev-ops-2, dev-supervisor, dev-custodian, dev-auditor, dev-cp-<LEI>',
      'Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  log.fatal({ err: err instanceof Error ? err.message : String(err) }, 'Postrade could not start');
  process.exit(1);
});
