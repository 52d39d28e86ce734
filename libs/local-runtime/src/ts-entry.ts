import { join } from 'node:path';

/** The repository's root folder (this file is libs/local-runtime/src/ts-entry.ts). */
export const repoRoot = join(__dirname, '..', '..', '..');

/**
 * How this repository runs a TypeScript entry point as its own process (services under
 * `npm start`, crash and boot tests): node with ts-node (transpile only) and the path aliases.
 */
export function tsEntryProcess(entry: string): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  return {
    command: process.execPath,
    args: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(repoRoot, entry)],
    env: { TS_NODE_PROJECT: join(repoRoot, 'tsconfig.json') },
  };
}
