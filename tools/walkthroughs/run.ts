/**
 * Runs the walkthrough of a docs page against a running platform, as the walkthroughs test does:
 *   npx ts-node --transpile-only -r tsconfig-paths/register tools/walkthroughs/run.ts docs/services/ledger.md
 * (with `npm start` running, or `<SERVICE>_URL` and `KAFKA_BROKERS` pointing elsewhere).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { walkthroughScript } from './extract';

export const repoRoot = join(__dirname, '..', '..');

export interface WalkthroughRun {
  page: string;
  exitCode: number | null;
  output: string;
  ms: number;
}

/**
 * Runs a page's walkthrough blocks as one `bash -euo pipefail` script from the repository root, with
 * `env` over the current environment; stdout and stderr are kept together, in order (and echoed
 * to `echo` as they come, when given). Ends the script (SIGTERM to its process group) after `timeoutMs`.
 */
export async function runWalkthrough(
  pagePath: string,
  env: Record<string, string> = {},
  options: { timeoutMs?: number; echo?: NodeJS.WritableStream } = {},
): Promise<WalkthroughRun> {
  const page = relative(repoRoot, join(repoRoot, pagePath));
  const script = walkthroughScript(readFileSync(join(repoRoot, page), 'utf8'), page);
  if (script.trim() === '') throw new Error(`${page} has no walkthrough block (\`\`\`sh walkthrough)`);
  const dir = mkdtempSync(join(tmpdir(), 'postrade-walkthrough-'));
  const file = join(dir, 'walkthrough.sh');
  writeFileSync(file, script);
  const started = Date.now();
  try {
    return await new Promise<WalkthroughRun>((resolve, reject) => {
      const child = spawn('bash', ['-euo', 'pipefail', file], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let output = '';
      const keep = (chunk: Buffer) => {
        output += chunk.toString();
        options.echo?.write(chunk);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      const timer = setTimeout(() => {
        output += `\n[walkthrough ${page} stopped after ${options.timeoutMs} ms]\n`;
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // already gone
        }
      }, options.timeoutMs ?? 120_000);
      child.once('error', reject);
      child.once('close', (exitCode) => {
        clearTimeout(timer);
        resolve({ page, exitCode, output, ms: Date.now() - started });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const pages = process.argv.slice(2);
  if (pages.length === 0) throw new Error('usage: run.ts <docs page>...');
  for (const page of pages) {
    const run = await runWalkthrough(page, {}, { echo: process.stdout });
    process.stderr.write(`${page}: exit ${run.exitCode} in ${(run.ms / 1000).toFixed(1)} s\n`);
    if (run.exitCode !== 0) process.exit(1);
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
