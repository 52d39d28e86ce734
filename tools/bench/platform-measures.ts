/**
 * What the whole-platform benchmark measures with, apart from the platform: CPU time of processes
 * from Linux /proc, the pids behind a listening port and a Postgres server, and the decision whether
 * an offered rate was sustained. The parsing and the decisions are pure (platform-measures.spec.ts);
 * the readers return undefined where /proc is not there.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** USER_HZ: /proc reports CPU time in ticks of 1/100 s on Linux. */
export const CLOCK_TICKS_PER_SECOND = 100;
const MS_PER_TICK = 1000 / CLOCK_TICKS_PER_SECOND;

/** The fields of /proc/<pid>/stat the benchmark uses; times in clock ticks. */
export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  utime: number;
  stime: number;
  /** CPU of children this process has waited for (exited backends, for a postmaster). */
  cutime: number;
  cstime: number;
}

/**
 * Parses one /proc/<pid>/stat line. The command name is in parentheses and may itself hold spaces
 * and parentheses, so the fields are counted from the last `)`.
 */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  const fields = text.slice(close + 1).trim().split(/\s+/);
  // fields[0] is field 3 (state) of proc(5); utime is field 14, so fields[11].
  if (fields.length < 15) throw new Error(`a /proc/<pid>/stat line with ${fields.length + 2} fields: ${text.slice(0, 80)}`);
  const tick = (i: number) => {
    const n = Number(fields[i]);
    if (!Number.isFinite(n)) throw new Error(`field ${i + 3} of /proc/<pid>/stat is not a number: ${fields[i]}`);
    return n;
  };
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: fields[0],
    ppid: tick(1),
    utime: tick(11),
    stime: tick(12),
    cutime: tick(13),
    cstime: tick(14),
  };
}

/** CPU milliseconds of a process, with those of its reaped children when asked. */
export function cpuMsOf(stat: ProcStat, withReapedChildren = false): number {
  const ticks = stat.utime + stat.stime + (withReapedChildren ? stat.cutime + stat.cstime : 0);
  return ticks * MS_PER_TICK;
}

/**
 * The socket inodes listening on `port` in a /proc/net/tcp or /proc/net/tcp6 table (state 0A),
 * whatever the address (127.0.0.1, ::ffff:127.0.0.1, 0.0.0.0).
 */
export function listeningInodes(table: string, port: number): string[] {
  const inodes: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    const columns = line.trim().split(/\s+/);
    if (columns.length < 10) continue;
    const [, local, , state] = columns;
    const hexPort = local.slice(local.lastIndexOf(':') + 1);
    if (state === '0A' && parseInt(hexPort, 16) === port) inodes.push(columns[9]);
  }
  return inodes;
}

export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

function numericEntries(dir: string): number[] {
  try {
    return readdirSync(dir).filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
}

/** The process holding a listening socket on `port` (the Kafka broker), by its socket inode. */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (existsSync(table)) for (const inode of listeningInodes(readFileSync(table, 'utf8'), port)) inodes.add(`socket:[${inode}]`);
  }
  if (inodes.size === 0) return undefined;
  for (const pid of numericEntries('/proc')) {
    for (const fd of numericEntries(`/proc/${pid}/fd`)) {
      try {
        if (inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return pid;
      } catch {
        // the descriptor closed meanwhile, or is not ours to read
      }
    }
  }
  return undefined;
}

/**
 * CPU of a Postgres server found from one of its backends: the postmaster (with every backend it
 * has reaped) and every process it has now, so that a backend that exits within a window is
 * counted before and after.
 */
export function postgresServerCpuMs(postmaster: number): number | undefined {
  const own = readProcStat(postmaster);
  if (!own) return undefined;
  let total = cpuMsOf(own, true);
  for (const pid of numericEntries('/proc')) {
    const stat = pid === postmaster ? undefined : readProcStat(pid);
    if (stat && stat.ppid === postmaster) total += cpuMsOf(stat);
  }
  return total;
}

/** CPU time of the whole machine so far (/proc/stat), busy and all, in ms; undefined elsewhere. */
export function machineCpuMs(): { busy: number; total: number } | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  return parseMachineCpu(readFileSync('/proc/stat', 'utf8'));
}

/** The first line of /proc/stat: busy (user, nice, system, irq, softirq, steal) and total, in ms. */
export function parseMachineCpu(procStat: string): { busy: number; total: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = procStat.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const busy = (user + nice + system + irq + softirq + (steal || 0)) * MS_PER_TICK;
  return { busy, total: busy + (idle + iowait) * MS_PER_TICK };
}

/** One progress reading: trades offered and trades completed (settlement entry in the ledger) so far. */
export interface ProgressSample {
  /** ms, any monotonic origin. */
  at: number;
  offered: number;
  completed: number;
}

export interface StepVerdict {
  offeredPerSecond: number;
  completedPerSecond: number;
  /** Offered and not yet completed at the last sample. */
  backlog: number;
  /** Least-squares slope of the backlog over the samples, trades per second. */
  backlogGrowthPerSecond: number;
  sustained: boolean;
  reason: string;
}

export interface SustainRule {
  /** Completions must keep up: at least this share of what was offered in the window. */
  completedShare: number;
  /** The backlog may grow by at most this share of the offered rate, per second, or `backlogGrowthFloor`, whichever is more. */
  backlogGrowthShare: number;
  /** Trades a second of backlog growth that is noise at any rate (completions come in batches). */
  backlogGrowthFloor: number;
  /** The generator must have offered at least this share of the target (else the bench is the limit). */
  offeredShare: number;
}

export const DEFAULT_SUSTAIN_RULE: SustainRule = { completedShare: 0.9, backlogGrowthShare: 0.05, backlogGrowthFloor: 1, offeredShare: 0.95 };

/** Slope of y over x by least squares (0 for fewer than two distinct x). */
export function leastSquaresSlope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((s, p) => s + p.x, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - meanX) * (p.y - meanY);
    den += (p.x - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Whether the platform sustained the offered rate over a window of progress samples (the step's
 * steady part, without its first seconds): completions kept up with what was offered, and the
 * backlog (offered − completed) did not grow.
 */
export function judgeStep(samples: readonly ProgressSample[], targetPerSecond: number, rule: SustainRule = DEFAULT_SUSTAIN_RULE): StepVerdict {
  if (samples.length < 3) throw new Error(`judging a step needs at least 3 samples, got ${samples.length}`);
  const first = samples[0];
  const last = samples[samples.length - 1];
  const seconds = (last.at - first.at) / 1000;
  if (seconds <= 0) throw new Error('the samples of a step must span some time');
  const offeredPerSecond = (last.offered - first.offered) / seconds;
  const completedPerSecond = (last.completed - first.completed) / seconds;
  const backlogGrowthPerSecond = leastSquaresSlope(samples.map((s) => ({ x: (s.at - first.at) / 1000, y: s.offered - s.completed })));
  const backlog = last.offered - last.completed;
  const verdict = { offeredPerSecond, completedPerSecond, backlog, backlogGrowthPerSecond };
  if (offeredPerSecond < rule.offeredShare * targetPerSecond) {
    return { ...verdict, sustained: false, reason: `the generator offered ${offeredPerSecond.toFixed(1)}/s of ${targetPerSecond}/s: the bench process is the limit` };
  }
  if (completedPerSecond < rule.completedShare * offeredPerSecond) {
    return { ...verdict, sustained: false, reason: `completed ${completedPerSecond.toFixed(1)}/s of ${offeredPerSecond.toFixed(1)}/s offered` };
  }
  if (backlogGrowthPerSecond > Math.max(rule.backlogGrowthShare * offeredPerSecond, rule.backlogGrowthFloor)) {
    return { ...verdict, sustained: false, reason: `backlog growing by ${backlogGrowthPerSecond.toFixed(1)} trades/s` };
  }
  return { ...verdict, sustained: true, reason: 'kept up' };
}

/**
 * The next offered rate to try, or undefined to stop: up the list while every step was sustained;
 * when the first step already fell behind, half of it (down to `minRate`); once a sustained rate
 * and a higher one that fell behind bracket the limit, their midpoint while they are more than
 * `bracket` apart. Never a rate already tried, and only when a whole step still fits in `msLeft`.
 */
export function nextRate(
  rates: readonly number[],
  results: readonly { rate: number; sustained: boolean }[],
  msLeft: number,
  stepMs: number,
  options: { minRate?: number; bracket?: number } = {},
): number | undefined {
  const { minRate = 2, bracket = 1.3 } = options;
  if (msLeft < stepMs) return undefined;
  const sustained = results.filter((r) => r.sustained).map((r) => r.rate);
  const behind = results.filter((r) => !r.sustained).map((r) => r.rate);
  const best = sustained.length > 0 ? Math.max(...sustained) : undefined;
  const lowestBehind = behind.length > 0 ? Math.min(...behind) : undefined;
  const untried = (rate: number | undefined) => (rate !== undefined && !results.some((r) => r.rate === rate) ? rate : undefined);
  if (lowestBehind === undefined) return untried(best === undefined ? rates[0] : rates.find((r) => r > best));
  if (best === undefined) {
    const lower = Math.floor(lowestBehind / 2);
    return lower >= minRate ? untried(lower) : undefined;
  }
  if (lowestBehind / best <= bracket) return undefined;
  return untried(Math.round((best + lowestBehind) / 2));
}

/**
 * Whether an unfinished step can be cut short: once the backlog has grown, since the step's judged
 * part began (`backlogAtStart`: what earlier steps left), by more than `seconds` of the offered rate,
 * the platform has fallen behind beyond doubt and every further second only lengthens the drain.
 */
export function clearlyBehind(sample: ProgressSample, ratePerSecond: number, backlogAtStart: number, seconds = 10): boolean {
  return sample.offered - sample.completed - backlogAtStart > Math.max(200, ratePerSecond * seconds);
}

/** The rate for the latency run: half the highest sustained, or half what completed when none was. */
export function halfRate(highestSustained: number | undefined, completedAtSaturation: number): number {
  const base = highestSustained ?? completedAtSaturation;
  return Math.max(1, Math.round(base / 2));
}

/** The offered rates from a comma-separated list (BENCH_PLATFORM_RATES), ascending, each positive. */
export function parseRates(text: string): number[] {
  const rates = text.split(',').map((s) => Number(s.trim()));
  if (rates.length === 0 || rates.some((r) => !Number.isFinite(r) || r <= 0)) throw new Error(`rates must be positive numbers, comma-separated: "${text}"`);
  for (let i = 1; i < rates.length; i++) if (rates[i] <= rates[i - 1]) throw new Error(`rates must ascend: "${text}"`);
  return rates;
}

/** The trade date the generator uses: today if it is a business day of the market, else the one before. */
/**
 * The trade date of a T+1 bench: the business day before the latest business day on or before
 * `today`, so that the intended settlement date is today at the latest and the custodian may
 * report it settled (settlement refuses an effective date after the market's business today).
 */
export function benchTradeDate(today: string, isBusinessDay: (date: string) => boolean): string {
  const d = new Date(`${tradeDateOn(today, isBusinessDay)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return tradeDateOn(d.toISOString().slice(0, 10), isBusinessDay);
}

export function tradeDateOn(today: string, isBusinessDay: (date: string) => boolean): string {
  let date = today;
  for (let guard = 0; !isBusinessDay(date); guard++) {
    if (guard > 30) throw new Error(`no business day in the 30 days before ${today}`);
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - 1);
    date = d.toISOString().slice(0, 10);
  }
  return date;
}
