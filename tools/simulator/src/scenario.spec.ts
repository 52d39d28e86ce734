import { isSettlementBusinessDay, LocalDate, validateIsin, validateLei } from '@postrade/kernel';
import { simulationCalendar } from './days';
import { parseCommandLine } from './options';
import { DEFAULT_OPTIONS, generateScenario, runTagOf } from './scenario';
import { dayTimeline } from './timeline';

const options = { ...DEFAULT_OPTIONS, trades: 400, days: 2, seed: '42' };

describe('scenario generation', () => {
  it('gives the same scenario for the same seed, run tag and day', () => {
    const a = generateScenario(options, 'ABCDEF', '2026-12-07');
    const b = generateScenario(options, 'ABCDEF', '2026-12-07');
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('gives another scenario for another seed', () => {
    const a = generateScenario(options, 'ABCDEF', '2026-12-07');
    const b = generateScenario({ ...options, seed: '43' }, 'ABCDEF', '2026-12-07');
    expect(JSON.stringify(a.trades)).not.toBe(JSON.stringify(b.trades));
  });

  it('picks, with the seed, plainly settling trades the custodian first rejects for a bad SSI, each repaired with an SSI of its own, none sharing an SSI with a plain rejection', () => {
    const scenario = generateScenario({ ...options, trades: 2000, ssiRepairShare: 0.05 }, 'ABCDEF', '2026-12-07');
    const market = new Map(scenario.instruments.map((i) => [i.isin, i.settlementMarket]));
    const keyOf = (t: (typeof scenario.trades)[number]) => {
      const terms = t.versions[t.versions.length - 1].terms;
      return `${terms.counterpartyLei}|${market.get(terms.isin)}|${terms.currency}`;
    };
    const repaired = scenario.trades.filter((t) => t.custodian?.ssiRepair);
    expect(repaired.length).toBeGreaterThan(20);
    expect(repaired.every((t) => t.custodian!.outcome === 'SETTLE' && t.cancel === null && t.custodian!.ssiRepair!.reasonCode === 'SAFE')).toBe(true);
    expect(new Set(repaired.map((t) => t.custodian!.ssiRepair!.safekeepingAccount)).size).toBe(repaired.length);
    const plainlyRejected = new Set(scenario.trades.filter((t) => t.custodian?.outcome === 'REJECT').map(keyOf));
    expect(repaired.filter((t) => plainlyRejected.has(keyOf(t)))).toEqual([]);
    // The other draws stay as they were: the same trades without repairs.
    const without = generateScenario({ ...options, trades: 2000, ssiRepairShare: 0 }, 'ABCDEF', '2026-12-07');
    expect(without.trades.map((t) => t.custodian?.outcome)).toEqual(scenario.trades.map((t) => t.custodian?.outcome));
    expect(without.trades.some((t) => t.custodian?.ssiRepair)).toBe(false);
  });

  it('plans the hold answer only for trades of the sanctioned counterparty instructed before its list is loaded, refusing a seeded share', () => {
    const scenario = generateScenario({ ...options, trades: 3000, days: 1, holdRejectShare: 0.5 }, 'ABCDEF', '2026-12-07');
    const { sanctions } = scenario.compliance;
    const answered = scenario.trades.filter((t) => t.custodian?.holdAnswer);
    expect(answered.length).toBeGreaterThan(3);
    for (const t of answered) {
      expect(t.versions[t.versions.length - 1].terms.counterpartyLei).toBe(sanctions.counterpartyLei);
      expect(Math.max(t.confirmation.slot, ...t.versions.map((v) => v.slot))).toBeLessThan(sanctions.slot);
    }
    const refused = answered.filter((t) => t.custodian!.holdAnswer!.status === 'HOLD_REJECTED');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThan(answered.length);
  });

  it('derives a six-letter run tag from the seed and the time, different for another time', () => {
    expect(runTagOf('42', 1)).toMatch(/^[A-Z]{6}$/);
    expect(runTagOf('42', 1)).toBe(runTagOf('42', 1));
    expect(runTagOf('42', 1)).not.toBe(runTagOf('42', 2));
  });

  it('makes LEIs and ISINs with valid check digits, all carrying the run tag', () => {
    const scenario = generateScenario(options, 'ABCDEF', '2026-12-07');
    for (const lei of [...scenario.counterparties, ...scenario.legalEntities].map((p) => p.lei)) {
      expect(validateLei(lei)).toBeNull();
      expect(lei).toContain('ABCDEF');
    }
    for (const { isin } of scenario.instruments) {
      expect(validateIsin(isin)).toBeNull();
      expect(isin).toContain('ABCDEF');
    }
  });

  it('skews trades to a few counterparties (Zipf-like): the top five take a large share', () => {
    const scenario = generateScenario({ ...options, trades: 2000, days: 1 }, 'ABCDEF', '2026-12-07');
    const counts = new Map<string, number>();
    for (const t of scenario.trades) counts.set(t.versions[0].terms.counterpartyLei, (counts.get(t.versions[0].terms.counterpartyLei) ?? 0) + 1);
    const top5 = [...counts.values()].sort((a, b) => b - a).slice(0, 5).reduce((a, b) => a + b, 0);
    expect(top5 / 2000).toBeGreaterThan(0.3);
  });

  it('gives every trade of a counterparty, ISIN and day its own quantity, so that pairing is never ambiguous', () => {
    const scenario = generateScenario({ ...options, trades: 3000, days: 1 }, 'ABCDEF', '2026-12-07');
    const keys = scenario.trades.map((t) => {
      const f = t.versions[t.versions.length - 1].terms;
      return `${f.counterpartyLei}|${f.isin}|${f.tradeDate}|${f.quantity}`;
    });
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('trades on recent past days open in every market, and settles no later than today', () => {
    for (const today of ['2026-12-07', '2026-12-28', '2027-01-04', '2026-04-06']) {
      const calendar = simulationCalendar(3, today);
      expect(calendar.tradeDays).toHaveLength(3);
      for (const day of calendar.tradeDays) {
        expect(LocalDate.isBefore(day, today)).toBe(true);
        for (const market of ['US', 'EU', 'UK', 'JP'] as const) expect(isSettlementBusinessDay(market, day)).toBe(true);
      }
      expect(LocalDate.isAfter(calendar.lastDay, today)).toBe(false);
      expect(calendar.processingDays[0]).toBe(calendar.tradeDays[0]);
    }
  });

  it('sends an AMEND that comes before its NEW ahead of the NEW, and a stale amendment after the final version', () => {
    const scenario = generateScenario({ ...options, trades: 3000, days: 1 }, 'ABCDEF', '2026-12-07');
    const timeline = dayTimeline(scenario, scenario.calendar.tradeDays[0]);
    const early = scenario.trades.find((t) => t.versions.some((v) => v.beforeNew))!;
    const position = (kind: string, id: string, version?: number) =>
      timeline.findIndex((a) => a.kind === kind && 'trade' in a && a.trade.sourceTradeId === id && (version === undefined || ('version' in a && a.version.version === version)));
    expect(position('AMEND', early.sourceTradeId, early.versions[1].version)).toBeLessThan(position('NEW', early.sourceTradeId));
    const stale = scenario.trades.find((t) => t.stale)!;
    const final = stale.versions[stale.versions.length - 1].version;
    expect(position('STALE', stale.sourceTradeId)).toBeGreaterThan(position('AMEND', stale.sourceTradeId, final));
    expect(stale.stale!.version).toBeLessThan(final);
  });

  it('reads the command line, refusing what it does not know', () => {
    const command = parseCommandLine(['--trades', '300', '--days=2', '--seed', 'abc', '--rate', '12.5', '--break-share', '0.2', '--fail-share', '0.3']);
    expect(command.options).toMatchObject({ trades: 300, days: 2, seed: 'abc', rate: 12.5, breakShare: 0.2, failShare: 0.3 });
    expect(parseCommandLine(['--verify']).verifyOnly).toBe(true);
    expect(() => parseCommandLine(['--trades', 'many'])).toThrow(/--trades/);
    expect(() => parseCommandLine(['--frobnicate'])).toThrow(/unknown option/);
  });
});
