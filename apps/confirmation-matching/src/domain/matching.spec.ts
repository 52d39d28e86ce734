import fc from 'fast-check';
import { defaultProfile, type MatchingProfile } from './matching-profile';
import {
  matchPairingGroup,
  pairingKeyOf,
  type ConfirmationForMatching,
  type GroupMatches,
  type OperatorDecision,
  type OperatorPin,
  type TradeForMatching,
} from './matching';
import { confirmation, trade } from './test-factories';

const match = (
  trades: TradeForMatching[],
  confirmations: ConfirmationForMatching[],
  more: { pins?: OperatorPin[]; exclusions?: OperatorDecision[]; affirmed?: OperatorDecision[]; profile?: MatchingProfile } = {},
): GroupMatches =>
  matchPairingGroup({ trades, confirmations, profile: more.profile ?? defaultProfile(), pins: more.pins ?? [], exclusions: more.exclusions ?? [], affirmed: more.affirmed ?? [] });

describe('level-1 pairing', () => {
  it('gives a trade without a confirmation UNMATCHED and a confirmation without a trade ALLEGED', () => {
    expect(match([trade()], []).trades).toEqual([{ tradeId: 't-1', status: 'UNMATCHED', confirmationId: null, breaks: [], pin: null }]);
    expect(match([], [confirmation()]).confirmations).toEqual([{ confirmationId: 'CP-1', status: 'ALLEGED', tradeId: null }]);
  });

  it('pairs only opposite sides', () => {
    expect(match([trade({ side: 'SELL' })], [confirmation({ side: 'SELL' })]).trades[0].status).toBe('UNMATCHED');
  });

  it('keys quantities by value, so "1000" and "1000.00" pair', () => {
    expect(pairingKeyOf(trade({ quantity: '1000' }))).toBe(pairingKeyOf(confirmation({ quantity: '1000.00' })));
    expect(pairingKeyOf(trade({ quantity: '1000' }))).not.toBe(pairingKeyOf(confirmation({ quantity: '1000.01' })));
    // Spellings of one value in and outside the shortest form all key alike.
    for (const [a, b] of [['0.5', '.50'], ['12.5', '012.500'], ['100', '1e2'], ['0', '0.000']]) {
      expect(pairingKeyOf(trade({ quantity: a }))).toBe(pairingKeyOf(confirmation({ quantity: b })));
    }
  });

  it("prefers the trade whose source trade id is the confirmation's our reference", () => {
    const result = match([trade({ tradeId: 't-a', sourceTradeId: 'A' }), trade({ tradeId: 't-b', sourceTradeId: 'B', price: '189.30' })], [confirmation({ ourReference: 'B' })]);
    expect(result.confirmations[0]).toEqual({ confirmationId: 'CP-1', status: 'MISMATCHED', tradeId: 't-b' });
  });

  it('then prefers the closest price', () => {
    const result = match([trade({ tradeId: 't-a', price: '189.40' }), trade({ tradeId: 't-b', price: '189.20' })], [confirmation({ price: '189.25' })]);
    expect(result.confirmations[0].tradeId).toBe('t-b');
  });

  it('pairs a live trade, never a cancelled one: a confirmation with only a cancelled trade is ALLEGED', () => {
    const cancelled = trade({ tradeId: 't-a', cancelled: true });
    expect(match([cancelled, trade({ tradeId: 't-b' })], [confirmation()]).confirmations[0].tradeId).toBe('t-b');
    expect(match([cancelled], [confirmation()]).confirmations[0]).toEqual({ confirmationId: 'CP-1', status: 'ALLEGED', tradeId: null });
  });
});

describe('level-2 matching and the status decided', () => {
  it('affirms a pair without breaks when the profile auto-affirms, else leaves it MATCHED', () => {
    expect(match([trade()], [confirmation()]).trades[0]).toMatchObject({ status: 'AFFIRMED', confirmationId: 'CP-1', breaks: [] });
    expect(match([trade()], [confirmation()], { profile: { ...defaultProfile(), autoAffirm: false } }).trades[0].status).toBe('MATCHED');
  });

  it('marks a pair with a price outside tolerance MISMATCHED with a price break', () => {
    expect(match([trade()], [confirmation({ price: '189.26' })]).trades[0]).toMatchObject({
      status: 'MISMATCHED',
      breaks: [{ field: 'price', ours: '189.25', theirs: '189.26', rule: 'PERCENT', tolerance: '0%', reasonCode: 7 }],
    });
  });

  it('compares the accrued interest only when the confirmation gives it', () => {
    const bond = trade({ accruedInterest: '1234.56', netAmount: '1001234.56' });
    expect(match([bond], [confirmation({ netAmount: '1001234.56' })]).trades[0].breaks).toEqual([]);
    expect(match([bond], [confirmation({ netAmount: '1001234.56', accruedInterest: '1200.00' })]).trades[0].breaks).toEqual([
      { field: 'accruedInterest', ours: '1234.56', theirs: '1200.00', rule: 'ABSOLUTE', tolerance: '25', reasonCode: 99 },
    ]);
  });

  it('breaks a confirmation addressed to another legal entity than the trade\'s, whatever the profile, with FIX 774 code 14 (party)', () => {
    const ignoreAll = { ...defaultProfile(), rules: [] };
    expect(match([trade()], [confirmation({ receiverLei: '7LTWFZYICNSX8D621K86' })], { profile: ignoreAll }).trades[0]).toMatchObject({
      status: 'MISMATCHED',
      breaks: [{ field: 'receiverLei', ours: '529900T8BM49AURSDO55', theirs: '7LTWFZYICNSX8D621K86', rule: 'EXACT', tolerance: null, reasonCode: 14 }],
    });
    expect(match([trade({ legalEntityLei: null })], [confirmation({ receiverLei: '7LTWFZYICNSX8D621K86' })]).trades[0].status).toBe('AFFIRMED');
  });

  it('compares commission and fees when the profile names them, and only when the confirmation gives them', () => {
    const profile = { ...defaultProfile(), rules: [...defaultProfile().rules, { field: 'commission' as const, rule: 'ABSOLUTE' as const, tolerance: '0.50' }, { field: 'fees' as const, rule: 'EXACT' as const }] };
    const ours = trade({ commission: '10.00', fees: '1.20' });
    expect(match([ours], [confirmation({ commission: '10.40', fees: '1.20' })], { profile }).trades[0]).toMatchObject({ status: 'AFFIRMED', breaks: [] });
    expect(match([ours], [confirmation({ commission: '11.00', fees: '1.25' })], { profile }).trades[0]).toMatchObject({
      status: 'MISMATCHED',
      breaks: [
        { field: 'commission', ours: '10.00', theirs: '11.00', rule: 'ABSOLUTE', tolerance: '0.50', reasonCode: 8 },
        { field: 'fees', ours: '1.20', theirs: '1.25', rule: 'EXACT', tolerance: null, reasonCode: 12 },
      ],
    });
    expect(match([ours], [confirmation()], { profile }).trades[0].breaks).toEqual([]);
    // The default profile ignores them.
    expect(match([ours], [confirmation({ commission: '99', fees: '99' })]).trades[0].status).toBe('AFFIRMED');
  });

  it('gives a confirmation its sender cancelled CANCELLED, paired with nothing, even from an affirmed pair', () => {
    const affirmed = [{ tradeId: 't-1', confirmationId: 'CP-1', tradeVersion: 1, confirmationVersion: 1 }];
    const result = match([trade()], [confirmation({ cancelled: true })], { affirmed });
    expect(result.trades[0]).toMatchObject({ status: 'UNMATCHED', confirmationId: null });
    expect(result.confirmations[0]).toEqual({ confirmationId: 'CP-1', status: 'CANCELLED', tradeId: null });
  });

  it('gives a cancelled trade CANCELLED without a confirmation, and its confirmation ALLEGED, even when it was affirmed', () => {
    const affirmed = [{ tradeId: 't-1', confirmationId: 'CP-1', tradeVersion: 2, confirmationVersion: 1 }];
    const result = match([trade({ cancelled: true, version: 2 })], [confirmation()], { affirmed });
    expect(result.trades[0]).toMatchObject({ status: 'CANCELLED', confirmationId: null });
    expect(result.confirmations[0]).toEqual({ confirmationId: 'CP-1', status: 'ALLEGED', tradeId: null });
  });
});

describe('operator decisions', () => {
  const versions = { tradeVersion: 1, confirmationVersion: 1 };

  it('force-matches a mismatched pair, keeping its breaks on record', () => {
    const result = match([trade()], [confirmation({ price: '190' })], {
      pins: [{ tradeId: 't-1', confirmationId: 'CP-1', kind: 'FORCED', ...versions }],
      profile: { ...defaultProfile(), autoAffirm: false },
    });
    expect(result.trades[0]).toMatchObject({ status: 'MATCHED', pin: 'FORCED', breaks: [expect.objectContaining({ field: 'price' })] });
  });

  it('keeps a pair left AFFIRMED (by the profile) against a later trade the confirmation prefers, until a side changes or it is unmatched', () => {
    const later = trade({ tradeId: 't-2', sourceTradeId: 'T-2' });
    const affirmed = [{ tradeId: 't-1', confirmationId: 'CP-1', ...versions }];
    const preferred = confirmation({ ourReference: 'T-2' });
    expect(match([trade(), later], [preferred]).confirmations[0].tradeId).toBe('t-2');
    const kept = match([trade(), later], [preferred], { affirmed });
    expect(kept.trades).toEqual([
      expect.objectContaining({ tradeId: 't-1', status: 'AFFIRMED', confirmationId: 'CP-1' }),
      expect.objectContaining({ tradeId: 't-2', status: 'UNMATCHED', confirmationId: null }),
    ]);
    expect(match([trade(), later], [preferred], { affirmed, exclusions: affirmed }).confirmations[0].tradeId).toBe('t-2');
    expect(match([trade({ version: 2 }), later], [preferred], { affirmed }).confirmations[0].tradeId).toBe('t-2');
  });

  it('lets a pin lapse when either side changes version', () => {
    const result = match([trade({ version: 2 })], [confirmation({ price: '190' })], { pins: [{ tradeId: 't-1', confirmationId: 'CP-1', kind: 'FORCED', ...versions }] });
    expect(result.trades[0].status).toBe('MISMATCHED');
  });

  it('does not pair an unmatched pair again until either side changes', () => {
    const exclusions = [{ tradeId: 't-1', confirmationId: 'CP-1', ...versions }];
    expect(match([trade()], [confirmation()], { exclusions }).trades[0].status).toBe('UNMATCHED');
    expect(match([trade()], [confirmation({ version: 2 })], { exclusions }).trades[0].status).toBe('AFFIRMED');
  });
});

/**
 * The arrival-order property. A tiny matching book applies arrivals one at a time as the service
 * does (a trade version only if newer than the one held, a confirmation resend as the next
 * version unless its terms are unchanged) and re-matches every pairing key an arrival touches.
 */
type Arrival = { kind: 'trade'; trade: TradeForMatching } | { kind: 'confirmation'; confirmation: Omit<ConfirmationForMatching, 'version'> };

class MatchingBook {
  private readonly trades = new Map<string, TradeForMatching>();
  private readonly confirmations = new Map<string, ConfirmationForMatching>();
  private readonly tradeResults = new Map<string, unknown>();
  private readonly confirmationResults = new Map<string, unknown>();

  arrive(arrival: Arrival): void {
    const keys = new Set<string>();
    if (arrival.kind === 'trade') {
      const held = this.trades.get(arrival.trade.tradeId);
      if (held && held.version >= arrival.trade.version) return;
      if (held) keys.add(pairingKeyOf(held));
      this.trades.set(arrival.trade.tradeId, arrival.trade);
      keys.add(pairingKeyOf(arrival.trade));
    } else {
      const held = this.confirmations.get(arrival.confirmation.confirmationId);
      if (held && JSON.stringify({ ...held, version: 0 }) === JSON.stringify({ ...arrival.confirmation, version: 0 })) return;
      if (held) keys.add(pairingKeyOf(held));
      const next = { ...arrival.confirmation, version: (held?.version ?? 0) + 1 };
      this.confirmations.set(next.confirmationId, next);
      keys.add(pairingKeyOf(next));
    }
    for (const key of keys) this.rematch(key);
  }

  private rematch(key: string): void {
    const result = match(
      [...this.trades.values()].filter((t) => pairingKeyOf(t) === key),
      [...this.confirmations.values()].filter((c) => pairingKeyOf(c) === key),
    );
    for (const t of result.trades) this.tradeResults.set(t.tradeId, t);
    for (const c of result.confirmations) this.confirmationResults.set(c.confirmationId, c);
  }

  /** Every item's status, pair and breaks; versions are left out, since they count arrivals. */
  outcome(): unknown {
    const sorted = (m: Map<string, unknown>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    return { trades: sorted(this.tradeResults), confirmations: sorted(this.confirmationResults) };
  }
}

const PRICES = ['100', '100.00', '100.50', '101'];
const terms = fc.record({
  isin: fc.constantFrom('US0378331005', 'US5949181045'),
  quantity: fc.constantFrom('100', '100.0', '200'),
  price: fc.constantFrom(...PRICES),
  settlementDate: fc.constantFrom('2026-11-24', '2026-11-25'),
});

const tradeHistory = (index: number) =>
  fc.tuple(fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'), fc.array(terms, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean()).map(([side, versions, cancelled, referenced]) => {
    const tradeId = `t-${index}`;
    const events: TradeForMatching[] = versions.map((v, i) =>
      trade({ tradeId, sourceTradeId: referenced ? `REF-${index}` : `S-${index}`, version: i + 1, side, ...v, netAmount: v.price, grossAmount: v.price }),
    );
    if (cancelled) events.push({ ...events[events.length - 1], version: events.length + 1, cancelled: true });
    return events.map((t): Arrival => ({ kind: 'trade', trade: t }));
  });

const confirmationHistory = (index: number) =>
  fc.tuple(fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'), fc.array(terms, { minLength: 1, maxLength: 3 }), fc.option(fc.nat(3), { nil: null })).map(([side, resends, reference]) =>
    resends.map((v): Arrival => {
      const { version: _version, ...c } = confirmation({ confirmationId: `CP-${index}`, side, ...v, netAmount: v.price, ourReference: reference === null ? null : `REF-${reference}` });
      return { kind: 'confirmation', confirmation: c };
    }),
  );

const histories = fc
  .tuple(fc.nat(4), fc.nat(4))
  .chain(([trades, confirmations]) =>
    fc.tuple(fc.tuple(...Array.from({ length: trades + 1 }, (_, i) => tradeHistory(i))), fc.tuple(...Array.from({ length: confirmations + 1 }, (_, i) => confirmationHistory(i)))),
  );

/** An arrival order: any interleaving; a confirmation's resends keep their order (one sender, one partition). */
function reorder(arrivals: Arrival[], sortKeys: number[]): Arrival[] {
  const shuffled = arrivals.map((a, i) => ({ a, k: sortKeys[i % sortKeys.length] + i / 1e6 })).sort((x, y) => x.k - y.k).map((x) => x.a);
  const resends = new Map<string, Arrival[]>();
  for (const a of arrivals) if (a.kind === 'confirmation') resends.set(a.confirmation.confirmationId, [...(resends.get(a.confirmation.confirmationId) ?? []), a]);
  return shuffled.map((a) => (a.kind === 'confirmation' ? resends.get(a.confirmation.confirmationId)!.shift()! : a));
}

describe('arrival order', () => {
  it('gives the same final statuses and breaks for every arrival order of trades, amendments, cancellations and confirmations', () => {
    fc.assert(
      fc.property(histories, fc.array(fc.nat(1000), { minLength: 1, maxLength: 40 }), ([trades, confirmations], sortKeys) => {
        const inOrder = [...trades.flat(), ...confirmations.flat()];
        const expected = new MatchingBook();
        inOrder.forEach((a) => expected.arrive(a));
        const reordered = new MatchingBook();
        reorder(inOrder, sortKeys).forEach((a) => reordered.arrive(a));
        expect(reordered.outcome()).toEqual(expected.outcome());
      }),
      { numRuns: 500 },
    );
  });

  it('gives a duplicate delivery no second effect', () => {
    fc.assert(
      fc.property(histories, fc.nat(), ([trades, confirmations], pick) => {
        const arrivals = [...trades.flat(), ...confirmations.flat()];
        const once = new MatchingBook();
        arrivals.forEach((a) => once.arrive(a));
        const twice = new MatchingBook();
        arrivals.forEach((a, i) => {
          twice.arrive(a);
          if (i === pick % arrivals.length) twice.arrive(a);
        });
        expect(twice.outcome()).toEqual(once.outcome());
      }),
    );
  });
});
