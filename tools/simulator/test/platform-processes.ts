import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES } from '../../runtime/services';
import { tsEntryProcess } from '@postrade/local-runtime';
import { pollUntil, type ServiceName, type ServiceUrls } from '../src/http';

export const repoRoot = join(__dirname, '..', '..', '..');

interface Running {
  child: ChildProcess;
  output: () => string;
}

/**
 * The five services as real processes from their main.ts, as `npm start` and libs/testing's spawnTs
 * run them (tools may not import libs/testing: the lint boundaries keep tools on kernel, contracts,
 * libs and apps), each on a port of its own, with development keys: started, waited for until
 * ready, killed and started again with the same port and environment.
 */
export class PlatformProcesses {
  readonly urls: ServiceUrls;
  private readonly running = new Map<ServiceName, Running>();

  /**
   * `env` is laid over the test's own environment (e.g. a dedicated DATABASE_URL and KAFKA_BROKERS);
   * with `logDir`, each service's whole output is also appended to `<logDir>/<service>.log`.
   */
  constructor(
    private readonly ports: Record<ServiceName, number>,
    private readonly env: NodeJS.ProcessEnv = {},
    private readonly logDir?: string,
  ) {
    this.urls = Object.fromEntries(SERVICES.map((s) => [s.name, `http://127.0.0.1:${ports[s.name as ServiceName]}`])) as ServiceUrls;
  }

  get names(): ServiceName[] {
    return SERVICES.map((s) => s.name as ServiceName);
  }

  /** Spawns the service (not waiting for it). */
  spawn(name: ServiceName): void {
    const service = SERVICES.find((s) => s.name === name)!;
    const ts = tsEntryProcess(service.main);
    const child = spawn(ts.command, ts.args, {
      cwd: repoRoot,
      env: { ...process.env, ...ts.env, PORT: String(this.ports[name]), POSTRADE_DEV_KEYS: '1', LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const file = this.logDir ? join(this.logDir, `${name}.log`) : undefined;
    if (file) appendFileSync(file, `--- ${new Date().toISOString()} ${name} started, pid ${child.pid}\n`);
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (file) appendFileSync(file, chunk);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.running.set(name, { child, output: () => output });
  }

  /** The last output of a service, for a failure message. */
  output(name: ServiceName): string {
    return this.running.get(name)?.output() ?? '';
  }

  pid(name: ServiceName): number | undefined {
    return this.running.get(name)?.child.pid;
  }

  /** Resolves once the service answers 200 on /health/ready; fails at once if its process exits. */
  async ready(name: ServiceName, timeoutMs = 150_000): Promise<void> {
    const service = this.running.get(name);
    if (!service) throw new Error(`${name} was never started`);
    const url = this.urls[name];
    const up = await pollUntil(async () => {
      if (service.child.exitCode !== null || service.child.signalCode !== null) {
        throw new Error(`${name} (${url}) exited (${service.child.exitCode ?? service.child.signalCode}):\n${service.output()}`);
      }
      try {
        return (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5_000) })).status === 200;
      } catch {
        return false;
      }
    }, timeoutMs, 200);
    if (!up) throw new Error(`${name} (${url}) not ready within ${timeoutMs / 1000} s:\n${service.output()}`);
  }

  /** Starts every service and waits until all are ready. */
  async startAll(timeoutMs = 150_000): Promise<void> {
    for (const name of this.names) this.spawn(name);
    await Promise.all(this.names.map((name) => this.ready(name, timeoutMs)));
  }

  /** Sends the signal and resolves once the process has exited. */
  async kill(name: ServiceName, signal: NodeJS.Signals): Promise<void> {
    const service = this.running.get(name);
    if (!service) return;
    const { child } = service;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  /** SIGKILL, then the same service again on the same port with the same environment; resolves once it is ready. */
  async crashAndRestart(name: ServiceName, timeoutMs = 150_000): Promise<void> {
    await this.kill(name, 'SIGKILL');
    this.spawn(name);
    await this.ready(name, timeoutMs);
  }

  /** SIGTERM to every service still running; resolves once all have exited. */
  async stopAll(): Promise<void> {
    await Promise.all(this.names.map((name) => this.kill(name, 'SIGTERM')));
  }
}

/** A free port whose successor is free too (a local broker's controller listens on port + 1). */
export async function freePortPair(): Promise<number> {
  const listen = (port: number) =>
    new Promise<Server | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  for (;;) {
    const first = (await listen(0))!;
    const port = (first.address() as AddressInfo).port;
    const second = await listen(port + 1);
    await new Promise((r) => first.close(r));
    if (second) {
      await new Promise((r) => second.close(r));
      return port;
    }
  }
}
