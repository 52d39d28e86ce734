import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICES } from '../services';

/**
 * What `npm start` and the service images run: a service compiled by tools/build/compile.mjs,
 * started with plain node (no ts-node, no tsconfig-paths), becomes ready against the real Kafka and
 * Postgres — decorators, path aliases, JSON imports and the TypeORM migrations included.
 */
const repoRoot = join(__dirname, '..', '..', '..');
const out = mkdtempSync(join(tmpdir(), 'postrade-compiled-'));
const ledger = SERVICES.find((s) => s.name === 'ledger')!;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(out, { recursive: true, force: true });
});

describe('a compiled service', () => {
  it('starts with plain node from the compiled output and answers /health/ready with 200', async () => {
    const build = spawnSync(
      process.execPath,
      [join(repoRoot, 'tools/build/compile.mjs'), '--out', out, 'libs/kernel', 'libs/contracts', 'libs/persistence', 'libs/platform', 'libs/messaging', 'apps/ledger'],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect({ status: build.status, stderr: build.stderr }).toEqual({ status: 0, stderr: '' });

    const port = await freePort();
    let output = '';
    // No -r: plain node. NODE_PATH stands in for the image's /app/node_modules (the output is outside the repository).
    child = spawn(process.execPath, [join(out, ledger.compiledMain.replace(/^dist\//, ''))], {
      cwd: out,
      env: { ...process.env, NODE_PATH: join(repoRoot, 'node_modules'), NODE_OPTIONS: '', PORT: String(port), POSTRADE_DEV_KEYS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const deadline = Date.now() + 100_000;
    let status = 0;
    while (Date.now() < deadline && child.exitCode === null) {
      status = await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.status, () => 0);
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect({ status, exitCode: child.exitCode, output: status === 200 ? '' : output }).toEqual({ status: 200, exitCode: null, output: '' });
  }, 120_000);
});
