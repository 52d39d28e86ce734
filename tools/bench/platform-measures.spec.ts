import {
  clearlyBehind,
  cpuMsOf,
  halfRate,
  judgeStep,
  leastSquaresSlope,
  listeningInodes,
  nextRate,
  parseMachineCpu,
  parseProcStat,
  parseRates,
  benchTradeDate,
  tradeDateOn,
  type ProgressSample,
} from './platform-measures';

describe('/proc parsing', () => {
  it('reads state, parent and CPU ticks from a stat line', () => {
    const line = '29831 (cat) R 29829 29829 27180 0 -1 4194304 101 0 0 0 7 3 11 13 20 0 1 0 519132 3133440 411 18446744073709551615';
    expect(parseProcStat(line)).toEqual({ pid: 29831, comm: 'cat', state: 'R', ppid: 29829, utime: 7, stime: 3, cutime: 11, cstime: 13 });
  });

  it('counts fields from the last parenthesis: a command name may hold spaces and parentheses', () => {
    const stat = parseProcStat('4242 (postgres: ledger_svc (idle) x) S 100 4242 4242 0 -1 4194560 5 0 0 0 250 50 0 0 20 0 1 0 1 1 1 1');
    expect(stat).toMatchObject({ pid: 4242, comm: 'postgres: ledger_svc (idle) x', state: 'S', ppid: 100, utime: 250, stime: 50 });
    // 100 ticks a second: 300 ticks are 3 s.
    expect(cpuMsOf(stat)).toBe(3000);
  });

  it('adds the reaped children only when asked (a postmaster and its exited backends)', () => {
    const stat = parseProcStat('1 (postgres) S 0 1 1 0 -1 0 0 0 0 0 10 10 100 50 20 0 1 0 1 1 1 1');
    expect(cpuMsOf(stat)).toBe(200);
    expect(cpuMsOf(stat, true)).toBe(1700);
  });

  it('refuses what is not a stat line', () => {
    expect(() => parseProcStat('no parenthesis here')).toThrow(/not a \/proc/);
    expect(() => parseProcStat('1 (short) S 0')).toThrow(/fields/);
  });

  it('finds the inodes listening on a port in tcp and tcp6 tables, not the connected ones', () => {
    const tcp6 = [
      '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0000000000000000FFFF00000100007F:2385 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 184356 1 0 100 0 0 10 0',
      '   1: 0000000000000000FFFF00000100007F:2384 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 184107 1 0 100 0 0 10 0',
      '   2: 0000000000000000FFFF00000100007F:2384 0000000000000000FFFF00000100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 190000 1 0 100 0 0 10 0',
    ].join('\n');
    expect(listeningInodes(tcp6, 9092)).toEqual(['184107']);
    const tcp = ['  sl  local_address rem_address   st', '   0: 0100007F:D5E1 00000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 6687 1 0 100 0 0 10 0'].join('\n');
    expect(listeningInodes(tcp, 54753)).toEqual(['6687']);
    expect(listeningInodes(tcp, 5432)).toEqual([]);
  });

  it('reads busy and total machine time from /proc/stat', () => {
    expect(parseMachineCpu('cpu  100 5 50 800 20 3 2 0 0 0\ncpu0 1 2 3')).toEqual({ busy: 1600, total: 9800 });
  });
});

describe('rate stepping', () => {
  /** Samples every second: `offered` and `completed` trades a second, from a backlog of `backlog`. */
  const samples = (seconds: number, offered: number, completed: number, backlog = 0): ProgressSample[] =>
    Array.from({ length: seconds + 1 }, (_, i) => ({ at: 1_000 * i, offered: 10_000 + offered * i, completed: 10_000 - backlog + completed * i }));

  it('sustains a rate when completions keep up and the backlog stays put', () => {
    const verdict = judgeStep(samples(12, 100, 100, 150), 100);
    expect(verdict).toMatchObject({ sustained: true, offeredPerSecond: 100, completedPerSecond: 100, backlog: 150 });
    expect(verdict.backlogGrowthPerSecond).toBeCloseTo(0);
  });

  it('tolerates a little noise', () => {
    const noisy = samples(12, 100, 100, 100).map((s, i) => ({ ...s, completed: s.completed + (i % 2 === 0 ? 20 : -20) }));
    expect(judgeStep(noisy, 100).sustained).toBe(true);
  });

  it('falls behind when completions do not keep up', () => {
    const verdict = judgeStep(samples(12, 200, 150), 200);
    expect(verdict.sustained).toBe(false);
    expect(verdict.completedPerSecond).toBe(150);
    expect(verdict.backlogGrowthPerSecond).toBeCloseTo(50);
    expect(verdict.reason).toMatch(/completed 150.0\/s of 200.0\/s/);
  });

  it('falls behind when the backlog grows although most complete', () => {
    // 92 % complete (above the 90 % share) but the backlog grows by 16 a second, more than 5 % of 200.
    const verdict = judgeStep(samples(12, 200, 184), 200);
    expect(verdict.sustained).toBe(false);
    expect(verdict.reason).toMatch(/backlog growing/);
  });

  it('takes a backlog growing by less than a trade a second for noise, at a low rate', () => {
    // 0.5 a second is more than 5 % of 9, but a trade every two seconds is what batching looks like.
    const slow = samples(12, 9, 9).map((s, i) => ({ ...s, completed: s.completed - Math.floor(i / 2) }));
    expect(judgeStep(slow, 9)).toMatchObject({ sustained: true });
  });

  it('counts a draining backlog from the step before as keeping up', () => {
    expect(judgeStep(samples(12, 100, 130, 500), 100).sustained).toBe(true);
  });

  it('blames the bench when the generator could not offer the rate', () => {
    const verdict = judgeStep(samples(12, 300, 300), 400);
    expect(verdict.sustained).toBe(false);
    expect(verdict.reason).toMatch(/bench process is the limit/);
  });

  it('needs a few samples spanning some time', () => {
    expect(() => judgeStep(samples(1, 100, 100), 100)).toThrow(/at least 3/);
    expect(() => judgeStep([{ at: 0, offered: 0, completed: 0 }, { at: 0, offered: 0, completed: 0 }, { at: 0, offered: 0, completed: 0 }], 100)).toThrow(/span/);
  });

  describe('the next rate', () => {
    const rates = [25, 50, 100, 200, 400];
    const step = 20_000;
    const ok = (rate: number) => ({ rate, sustained: true });
    const behind = (rate: number) => ({ rate, sustained: false });

    it('starts at the first rate and steps up the list while each is sustained', () => {
      expect(nextRate(rates, [], 60_000, step)).toBe(25);
      expect(nextRate(rates, [ok(25)], 60_000, step)).toBe(50);
      expect(nextRate(rates, [ok(25), ok(50), ok(100), ok(200), ok(400)], 60_000, step)).toBeUndefined();
    });

    it('stops when a whole step no longer fits in the time left', () => {
      expect(nextRate(rates, [ok(25)], 19_999, step)).toBeUndefined();
    });

    it('halves below a first step that fell behind, down to the lowest rate', () => {
      expect(nextRate(rates, [behind(25)], 60_000, step)).toBe(12);
      expect(nextRate(rates, [behind(25), behind(12)], 60_000, step)).toBe(6);
      expect(nextRate(rates, [behind(25), behind(12), behind(6), behind(3)], 60_000, step)).toBeUndefined();
    });

    it('narrows the bracket between the highest sustained and the lowest behind, then stops', () => {
      expect(nextRate(rates, [ok(25), ok(50), behind(100)], 60_000, step)).toBe(75);
      expect(nextRate(rates, [ok(25), ok(50), behind(100), ok(75)], 60_000, step)).toBe(88);
      expect(nextRate(rates, [ok(25), ok(50), behind(100), ok(75), behind(88)], 60_000, step)).toBeUndefined();
      // A lower step sustained after a first one fell behind: the bracket is 12–25.
      expect(nextRate(rates, [behind(25), ok(12)], 60_000, step)).toBe(19);
    });
  });

  it('cuts a step short once the backlog has grown by ten seconds of the offered rate', () => {
    expect(clearlyBehind({ at: 0, offered: 5_000, completed: 3_999 }, 100, 0)).toBe(true);
    expect(clearlyBehind({ at: 0, offered: 5_000, completed: 4_100 }, 100, 0)).toBe(false);
    // What earlier steps left is not this step's growth.
    expect(clearlyBehind({ at: 0, offered: 5_000, completed: 3_500 }, 100, 600)).toBe(false);
    // Never for a couple of hundred trades, whatever the rate.
    expect(clearlyBehind({ at: 0, offered: 150, completed: 0 }, 5, 0)).toBe(false);
  });

  it('runs the latency measurement at half the highest sustained rate, or half the saturated throughput', () => {
    expect(halfRate(200, 260)).toBe(100);
    expect(halfRate(25, 30)).toBe(13);
    expect(halfRate(undefined, 17.4)).toBe(9);
    expect(halfRate(undefined, 0.5)).toBe(1);
  });

  it('reads ascending positive rates', () => {
    expect(parseRates('25, 50,100')).toEqual([25, 50, 100]);
    expect(() => parseRates('50,25')).toThrow(/ascend/);
    expect(() => parseRates('25,x')).toThrow(/positive/);
    expect(() => parseRates('0,5')).toThrow(/positive/);
  });

  it('fits a least-squares slope', () => {
    expect(leastSquaresSlope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toBeCloseTo(2);
    expect(leastSquaresSlope([{ x: 1, y: 1 }])).toBe(0);
  });
});

describe('trade date', () => {
  const weekday = (d: string) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());

  it('is today on a business day, else the business day before', () => {
    expect(tradeDateOn('2026-12-07', weekday)).toBe('2026-12-07'); // a Monday
    expect(tradeDateOn('2026-12-06', weekday)).toBe('2026-12-04'); // Sunday → Friday
    expect(tradeDateOn('2026-03-01', weekday)).toBe('2026-02-27'); // across a month end
    expect(tradeDateOn('2026-12-28', (d) => weekday(d) && d !== '2026-12-25' && d !== '2026-12-28')).toBe('2026-12-24');
    // T+1 settling today at the latest: the business day before the latest business day.
    expect(benchTradeDate('2026-12-08', weekday)).toBe('2026-12-07');
    expect(benchTradeDate('2026-12-07', weekday)).toBe('2026-12-04'); // Monday → Friday
    expect(benchTradeDate('2026-12-06', weekday)).toBe('2026-12-03'); // Sunday → Friday is the ISD → Thursday
  });
});
