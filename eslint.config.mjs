// Layering is enforced here, not by convention (tools/lint/layering.spec.ts proves each rule):
//   kernel ← contracts ← persistence, platform ← messaging ← apps
// - @nx/enforce-module-boundaries: a service imports only its own code and shared libs; the
//   kernel imports no other project and contracts only the kernel; libs never import apps; and no
//   project reaches into another by a relative path, so the import rules below cannot be bypassed.
// - platform and persistence never import messaging, which is built on them.
// - libs/local-runtime (the local Kafka and Postgres) sits on the shared libs, below both
//   libs/testing and tools/, which use it; libs/testing never imports tools/ and no lib imports
//   an app (the services whose schemas the runtime provisions are handed to it by tools/).
// - apps' code reaches Kafka and Postgres only through messaging and persistence: no kafkajs, no pg.
// - domain/ folders and libs/kernel import no framework, ORM or Kafka client.
import { readdirSync } from 'node:fs';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Every service under apps/ is its own scope: adding a service adds its rule.
const services = readdirSync(new URL('./apps', import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

const drivers = ['kafkajs', 'kafkajs/*', 'pg', 'pg/*'];

const frameworkImports = {
  patterns: [
    { group: ['@nestjs/*', 'typeorm', 'typeorm/*', ...drivers, 'class-validator', 'class-transformer', 'express'],
      message: 'Domain code and libs/kernel import no framework, ORM or Kafka client.' },
    { group: ['@postrade/messaging', '@postrade/persistence', '@postrade/platform', '@postrade/testing', '@postrade/local-runtime'],
      message: 'Domain code depends only on @postrade/kernel and @postrade/contracts.' },
  ],
};

const belowMessaging = {
  patterns: [
    { group: ['@postrade/messaging', '@postrade/messaging/*'],
      message: 'platform and persistence sit below messaging (kernel ← contracts ← persistence, platform ← messaging ← apps): they never import it.' },
  ],
};

const appImports = {
  patterns: [
    { group: drivers,
      message: 'Apps reach Kafka through @postrade/messaging and Postgres through @postrade/persistence (the transaction\'s EntityManager), never kafkajs or pg directly.' },
  ],
};


// Production code keeps to its layer; tests of libs may also use the shared test runtime.
function boundaries(forTests) {
  const lib = ['type:kernel', 'type:contracts', 'type:lib', ...(forTests ? ['type:testing'] : [])];
  return {
    allow: [],
    enforceBuildableLibDependency: false,
    depConstraints: [
      { sourceTag: 'type:kernel', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:kernel'] },
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: lib },
      { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:kernel', 'type:contracts', 'type:lib'] },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:kernel', 'type:contracts', 'type:lib', 'type:runtime'] },
      { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:kernel', 'type:contracts', 'type:lib', 'type:runtime', 'type:tools', 'type:app'] },
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:kernel', 'type:contracts', 'type:lib', 'type:testing'] },
      ...services.map((name) => ({ sourceTag: `scope:${name}`, onlyDependOnLibsWithTags: ['scope:shared', `scope:${name}`] })),
    ],
  };
}

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.cache/**', '**/.postrade/**', 'jest.config.js'] },
  ...tseslint.configs.recommended,
  { plugins: { '@nx': nx } },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.name='parseFloat']", message: 'Money is never a float: use Decimal from @postrade/kernel.' },
        { selector: "CallExpression[callee.object.name=/^(it|describe|test)$/][callee.property.name='only']", message: 'No focused tests.' },
      ],
      '@nx/enforce-module-boundaries': ['error', boundaries(false)],
    },
  },
  { files: ['libs/platform/**/*.ts', 'libs/persistence/**/*.ts'], rules: { 'no-restricted-imports': ['error', belowMessaging] } },
  // Production code only for now: a test may still open a raw pg connection (e.g. as a service's
  // runtime role, to prove a grant is missing) until @postrade/testing offers one.
  { files: ['apps/*/src/**/*.ts'], rules: { 'no-restricted-imports': ['error', appImports] } },
  // After the apps' rule, which it replaces with a stricter list for domain folders.
  { files: ['libs/kernel/**/*.ts', 'apps/*/src/domain/**/*.ts'], rules: { 'no-restricted-imports': ['error', frameworkImports] } },
  { files: ['**/test/**/*.ts', '**/*.spec.ts', '**/*.int-spec.ts'], rules: { '@nx/enforce-module-boundaries': ['error', boundaries(true)] } },
  // Jest's global setup and reporter are plain CommonJS (they run before Jest's module mapping).
  { files: ['libs/testing/src/jest/*.js', 'tools/jest/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // The local runtime's service list is the one place outside an app that names the apps (their
  // schema descriptors, to provision and migrate them before they start).
  { files: ['tools/runtime/services.ts'], rules: { '@nx/enforce-module-boundaries': 'off' } },
  // A service's benchmark drives that service's application layer directly, in one process.
  { files: ['tools/bench/*.bench.ts'], rules: { '@nx/enforce-module-boundaries': 'off' } },
];
