import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * tools/build/compile.mjs, the `build` target of every service and library: what it emits must run
 * with plain node — no ts-node, no tsconfig-paths — with Nest's decorator metadata and the JSON the
 * sources import.
 */
const repoRoot = join(__dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'postrade-build-'));

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? jsFiles(path) : path.endsWith('.js') ? [path] : [];
  });
}

/** Plain node in `out`, the repository's node_modules for the npm packages (as /app/node_modules in an image). */
function runNode(script: string) {
  return spawnSync(process.execPath, ['-e', script], {
    cwd: out,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NODE_PATH: join(repoRoot, 'node_modules') },
  });
}

beforeAll(() => {
  const build = spawnSync(process.execPath, [join(repoRoot, 'tools/build/compile.mjs'), '--out', out, 'libs/kernel', 'libs/contracts', 'libs/platform', 'apps/ledger'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  expect({ status: build.status, stderr: build.stderr }).toEqual({ status: 0, stderr: '' });
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the compiled build', () => {
  it('leaves no @postrade/* alias in a require: each is a relative path into the output', () => {
    const files = jsFiles(out);
    expect(files.length).toBeGreaterThan(50);
    const aliased = files.filter((file) => /require\(["']@postrade\//.test(readFileSync(file, 'utf8')));
    expect(aliased).toEqual([]);
    expect(readFileSync(join(out, 'apps/ledger/src/main.js'), 'utf8')).toContain('require("../../../libs/platform/src/index.js")');
  });

  it('runs with plain node: a library that imports another by its alias loads, JSON imports included', () => {
    const result = runNode(
      `const contracts = require('./libs/contracts/src/index.js');
       const kernel = require('./libs/kernel/src/index.js');
       process.stdout.write(JSON.stringify({ ledger: contracts.SERVICE_PORTS.ledger, decimal: kernel.Decimal !== undefined }));`,
    );
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({ ledger: 3004, decimal: true });
    expect(JSON.parse(readFileSync(join(out, 'libs/kernel/src/calendars/data/eu.json'), 'utf8'))).toEqual(
      JSON.parse(readFileSync(join(repoRoot, 'libs/kernel/src/calendars/data/eu.json'), 'utf8')),
    );
  });

  it('keeps the decorator metadata Nest injects by (emitDecoratorMetadata)', () => {
    const module = readFileSync(join(out, 'apps/ledger/src/ledger.module.js'), 'utf8');
    expect(module).toContain('__decorate(');
    const controllers = jsFiles(join(out, 'apps/ledger/src/api')).map((file) => readFileSync(file, 'utf8'));
    expect(controllers.some((js) => js.includes('__metadata("design:paramtypes"'))).toBe(true);
  });

  it('ships no specs and no test fixtures', () => {
    const files = jsFiles(out).map((file) => file.slice(out.length));
    expect(files.filter((file) => /\.spec\.js$|\.int-spec\.js$|__fixtures__|test-support/.test(file))).toEqual([]);
  });

  it('fails, naming the usage, without a project to compile', () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'tools/build/compile.mjs')], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: node tools/build/compile.mjs');
  });
});
