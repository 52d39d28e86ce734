import { execSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** The layering rules of STYLE.md are lint errors, not conventions: these probes must be refused. */
describe('layering enforced by lint', () => {
  beforeAll(() => {
    // The Nx boundary rule reads the project graph; build it as `npm run lint` does.
    execSync('npx nx show projects', { cwd: root, stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false' } });
  }, 120_000);

  // The real ESLint CLI with the repository's config, on code given as if it were at `filePath`
  // (its flat config is ESM, which Jest's module sandbox cannot load in-process).
  async function rulesBroken(filePath: string, code: string): Promise<string[]> {
    const run = spawnSync(join(root, 'node_modules', '.bin', 'eslint'), ['--stdin', '--stdin-filename', join(root, filePath), '--format', 'json'], {
      cwd: root,
      input: code,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
    return result.messages.map((m) => m.ruleId ?? m.message);
  }

  jest.setTimeout(60_000);

  it('refuses a framework import in libs/kernel', async () => {
    expect(await rulesBroken('libs/kernel/src/probe.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n")).toContain(
      'no-restricted-imports',
    );
  });

  it('refuses an ORM or Kafka client import in a service domain folder', async () => {
    const broken = await rulesBroken('apps/settlement/src/domain/probe.ts', "import { DataSource } from 'typeorm';\nimport { Kafka } from 'kafkajs';\nexport const x = [DataSource, Kafka];\n");
    expect(broken.filter((r) => r === 'no-restricted-imports')).toHaveLength(2);
  });

  it('refuses a shared library importing the messaging library into the kernel', async () => {
    expect(await rulesBroken('libs/kernel/src/probe.ts', "import { Outbox } from '@postrade/messaging';\nexport const x = Outbox;\n")).toContain(
      '@nx/enforce-module-boundaries',
    );
  });

  it("refuses a service importing another service's code", async () => {
    expect(
      await rulesBroken('apps/ledger/src/probe.ts', "import { tradeCaptureDatabase } from '../../trade-capture/src/persistence/trade-capture.database';\nexport const x = tradeCaptureDatabase;\n"),
    ).toContain('@nx/enforce-module-boundaries');
  });

  it('accepts a domain file that uses only the kernel and contracts', async () => {
    expect(await rulesBroken('apps/settlement/src/domain/probe.ts', "import { Decimal } from '@postrade/kernel';\nexport const one = new Decimal('1');\n")).toEqual([]);
  });
});
