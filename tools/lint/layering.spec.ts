import { execSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

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

  describe('the library layers: kernel ← contracts ← persistence, platform ← messaging ← apps', () => {
    const importing = (module: string, name: string) => `import { ${name} } from '${module}';\nexport const x = ${name};\n`;

    it('refuses the kernel importing contracts', async () => {
      expect(await rulesBroken('libs/kernel/src/probe.ts', importing('@postrade/contracts', 'Topics'))).toContain('@nx/enforce-module-boundaries');
    });

    it.each(['@postrade/persistence', '@postrade/platform', '@postrade/messaging'])('refuses contracts importing %s', async (module) => {
      expect(await rulesBroken('libs/contracts/src/probe.ts', importing(module, 'Thing'))).toContain('@nx/enforce-module-boundaries');
    });

    it.each(['libs/platform/src/probe.ts', 'libs/persistence/src/probe.ts', 'libs/platform/src/auth/probe.spec.ts'])(
      'refuses %s importing messaging',
      async (file) => {
        expect(await rulesBroken(file, importing('@postrade/messaging', 'Outbox'))).toContain('no-restricted-imports');
      },
    );

    it('refuses platform reaching into messaging by a relative path', async () => {
      expect(await rulesBroken('libs/platform/src/probe.ts', importing('../../messaging/src/outbox/outbox', 'Outbox'))).toContain(
        '@nx/enforce-module-boundaries',
      );
    });

    it('refuses a library importing an app', async () => {
      expect(
        await rulesBroken('libs/messaging/src/probe.ts', importing('../../../apps/ledger/src/persistence/ledger.database', 'ledgerDatabase')),
      ).toContain('@nx/enforce-module-boundaries');
    });

    it('accepts messaging built on persistence, platform and contracts', async () => {
      const code = [
        "import { TransactionRunner } from '@postrade/persistence';",
        "import { createLogger } from '@postrade/platform';",
        "import { Topics } from '@postrade/contracts';",
        'export const x = [TransactionRunner, createLogger, Topics];',
        '',
      ].join('\n');
      expect(await rulesBroken('libs/messaging/src/probe.ts', code)).toEqual([]);
    });
  });

  describe('apps reach Kafka and Postgres only through messaging and persistence', () => {
    it.each([
      ['kafkajs', "import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n"],
      ['pg', "import { Client } from 'pg';\nexport const x = Client;\n"],
      ['a pg submodule', "import { Client } from 'pg/lib/client';\nexport const x = Client;\n"],
      ['a type from pg', "import type { PoolConfig } from 'pg';\nexport type X = PoolConfig;\n"],
    ])('refuses an app importing %s', async (_, code) => {
      expect(await rulesBroken('apps/ledger/src/persistence/probe.ts', code)).toContain('no-restricted-imports');
      expect(await rulesBroken('apps/ledger/src/messaging/probe.spec.ts', code)).toContain('no-restricted-imports');
    });

    it('still refuses any framework import in a domain folder, where the stricter rule applies', async () => {
      expect(await rulesBroken('apps/ledger/src/domain/probe.ts', "import { Pool } from 'pg';\nexport const x = Pool;\n")).toEqual(['no-restricted-imports']);
    });

    it('accepts an app using messaging, persistence and TypeORM', async () => {
      const code = [
        "import { Outbox } from '@postrade/messaging';",
        "import { TransactionRunner } from '@postrade/persistence';",
        "import type { EntityManager } from 'typeorm';",
        'export const x = [Outbox, TransactionRunner];',
        'export type Em = EntityManager;',
        '',
      ].join('\n');
      expect(await rulesBroken('apps/ledger/src/persistence/probe.ts', code)).toEqual([]);
    });
  });

  describe('the local runtime sits below libs/testing and tools/, which both use it', () => {
    const importing = (module: string, name: string) => `import { ${name} } from '${module}';\nexport const x = ${name};\n`;

    it.each(['libs/testing/src/probe.ts', 'tools/runtime/probe.ts', 'tools/jest/probe.ts'])('accepts %s starting the local runtime', async (file) => {
      expect(await rulesBroken(file, importing('@postrade/local-runtime', 'startPlatformRuntime'))).toEqual([]);
    });

    it('refuses libs/testing reaching into tools/', async () => {
      expect(await rulesBroken('libs/testing/src/probe.ts', importing('../../../tools/runtime/services', 'SERVICES'))).toContain('@nx/enforce-module-boundaries');
    });

    it('refuses the local runtime importing an app, libs/testing or tools/', async () => {
      expect(await rulesBroken('libs/local-runtime/src/probe.ts', importing('../../../apps/ledger/src/persistence/ledger.database', 'ledgerDatabase'))).toContain('@nx/enforce-module-boundaries');
      expect(await rulesBroken('libs/local-runtime/src/probe.ts', importing('@postrade/testing', 'eventually'))).toContain('@nx/enforce-module-boundaries');
      expect(await rulesBroken('libs/local-runtime/src/probe.ts', importing('../../../tools/runtime/services', 'SERVICES'))).toContain('@nx/enforce-module-boundaries');
    });

    it('refuses a service importing the local runtime', async () => {
      expect(await rulesBroken('apps/ledger/src/probe.ts', importing('@postrade/local-runtime', 'startPlatformRuntime'))).toContain('@nx/enforce-module-boundaries');
    });

    it('leaves no library importing tools/ or an app: every import of libs/ resolves inside libs/', () => {
      const offending: string[] = [];
      const visit = (dir: string): void => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) {
            if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) visit(path);
          } else if (/\.(ts|js)$/.test(entry.name)) {
            for (const [, spec] of readFileSync(path, 'utf8').matchAll(/(?:from|import|require)\s*\(?\s*['"]([^'"]+)['"]/g)) {
              const intoTools = spec.startsWith('@postrade/tools') || (spec.startsWith('.') && /^(tools|apps)\//.test(relative(root, resolve(dirname(path), spec))));
              if (intoTools) offending.push(`${relative(root, path)}: ${spec}`);
            }
          }
        }
      };
      visit(join(root, 'libs'));
      expect(offending).toEqual([]);
    });
  });

  it('accepts a domain file that uses only the kernel and contracts', async () => {
    expect(await rulesBroken('apps/settlement/src/domain/probe.ts', "import { Decimal } from '@postrade/kernel';\nexport const one = new Decimal('1');\n")).toEqual([]);
  });
});
