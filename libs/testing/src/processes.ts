import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot, tsEntryProcess } from '@postrade/local-runtime';

export interface TsProcess {
  child: ChildProcess;
  /** Resolves with the first stdout line matching `pattern`; rejects if the process exits first. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  output(): string;
}

/** Runs a TypeScript entry point of this repository as its own process (for crash and boot tests). */
export function spawnTs(entry: string, env: NodeJS.ProcessEnv = {}): TsProcess {
  const ts = tsEntryProcess(entry);
  const child = spawn(ts.command, ts.args, {
    cwd: repoRoot,
    env: { ...process.env, ...ts.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exited: number | null = null;
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    listeners.forEach((l) => l());
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? (signal ? 128 : -1);
      listeners.forEach((l) => l());
      resolve();
    }),
  );
  return {
    child,
    output: () => out,
    waitForLine(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = out.split('\n').find((l) => pattern.test(l));
          if (line !== undefined) {
            cleanup();
            resolve(line);
          } else if (exited !== null) {
            cleanup();
            reject(new Error(`${entry} exited (${exited}) before printing ${pattern}:\n${out}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${entry} did not print ${pattern} within ${timeoutMs} ms:\n${out}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async kill(signal = 'SIGTERM') {
      if (exited !== null) return;
      child.kill(signal);
      await exitPromise;
    },
  };
}
