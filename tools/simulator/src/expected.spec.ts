import { Decimal } from '@postrade/kernel';
import { tradeAmounts } from './amounts';
import { compareReconciliationAnswers, diffStates, type ObservedInstruction, type ObservedState } from './diff';
import { computeExpectedState, FOP_TRADE_DATE_CASH, type ExpectedState, type ExpectedTrade } from './expected';
import { DEFAULT_OPTIONS, generateScenario } from './scenario';
import { aTrade, smallScenario, withTrades } from './test-factories';

describe('expected state', () => {
  it('conserves quantity: per ISIN, the books and the counterparties sum to zero', () => {
    const scenario = generateScenario({ ...DEFAULT_OPTIONS, trades: 1500, days: 2, seed: 'conserve' }, 'CONSRV', '2026-12-07');
    const expected = computeExpectedState(scenario);
    const totals = new Map<string, Decimal>();
    const add = (asset: string, amount: string) => totals.set(asset, (totals.get(asset) ?? new Decimal(0)).plus(amount));
    for (const book of Object.values(expected.positions.TRADE_DATE)) for (const [isin, q] of Object.entries(book)) add(isin, q);
    for (const book of Object.values(expected.cash.TRADE_DATE)) for (const [currency, a] of Object.entries(book)) add(currency, a);
    for (const cp of Object.values(expected.counterparties)) for (const [asset, a] of Object.entries(cp)) add(asset, a);
    expect(totals.size).toBeGreaterThan(10);
    for (const [asset, total] of totals) expect([asset, total.toFixed()]).toEqual([asset, '0']);
  });

  it('keeps the settled part of a trade cancelled after a partial settlement, on both bases', () => {
    const base = smallScenario();
    const trade = aTrade(base, {
      id: 'T-PARTIAL',
      terms: { side: 'SELL', quantity: '1000' },
      custodian: { outcome: 'PARTIAL_CANCEL', partialQuantity: '400', partialAmount: '20095.40' },
      cancel: { version: 2, when: 'AFTER_PARTIAL', slot: -1, reason: 'withdrawn' },
    });
    const expected = computeExpectedState(withTrades(base, [trade]));
    const isin = trade.versions[0].terms.isin;
    expect(expected.positions.TRADE_DATE['BOOK-A']).toEqual({ [isin]: '-400' });
    expect(expected.positions.SETTLEMENT_DATE['BOOK-A']).toEqual({ [isin]: '-400' });
    expect(expected.cash.TRADE_DATE['BOOK-A']).toEqual({ EUR: '20095.40' });
    expect(expected.cash.SETTLEMENT_DATE['BOOK-A']).toEqual({ EUR: '20095.40' });
    const [t] = expected.trades;
    expect(t.capture).toMatchObject({ status: 'CANCELLED', version: 2 });
    expect(t.matching.status).toBe('CANCELLED');
    expect(t.settlement).toMatchObject({ processingStatus: 'INSTRUCTED', settlementStatus: 'FAILING', settledQuantity: '400', settledAmount: '20095.40' });
  });

  it('settles no cash for a free-of-payment trade: its securities settle, its cash stays on the trade-date basis only', () => {
    const base = smallScenario();
    const fop = aTrade(base, { id: 'T-FOP', terms: { settlementType: 'FOP', book: 'BOOK-F' } });
    const dvp = aTrade(base, { id: 'T-DVP', terms: { book: 'BOOK-D', quantity: '2000' } });
    const expected = computeExpectedState(withTrades(base, [fop, dvp]));
    const isin = fop.versions[0].terms.isin;
    expect(expected.positions.TRADE_DATE['BOOK-F']).toEqual({ [isin]: '1000' });
    expect(expected.positions.SETTLEMENT_DATE['BOOK-F']).toEqual({ [isin]: '1000' });
    expect(expected.cash.SETTLEMENT_DATE['BOOK-F']).toBeUndefined();
    expect(expected.cash.TRADE_DATE['BOOK-F']).toEqual(FOP_TRADE_DATE_CASH ? { EUR: `-${expected.trades[0].capture.netAmount}` } : undefined);
    expect(expected.trades[0].settlement).toMatchObject({ settlementStatus: 'SETTLED', settledQuantity: '1000', settledAmount: null });
    expect(expected.cash.SETTLEMENT_DATE['BOOK-D']).toEqual({ EUR: `-${expected.trades[1].capture.netAmount}` });
  });

  it('charges a CSDR penalty for a matched EU fail with a known failing party, none for the UK and none while unmatched at the depository', () => {
    const base = smallScenario();
    const eu = aTrade(base, { id: 'T-EU', custodian: { outcome: 'FAIL_SETTLE', failingParty: 'US', reasonCode: 'LACK' } });
    const ukInstrument = base.instruments.find((i) => i.settlementMarket === 'UK' && i.desk === 'EQ')!;
    const uk = aTrade(base, { id: 'T-UK', terms: { isin: ukInstrument.isin, currency: 'GBP' }, custodian: { outcome: 'FAIL_OPEN', failingParty: 'COUNTERPARTY', reasonCode: 'CLAC' } });
    const unmatched = aTrade(base, { id: 'T-EU-UNMATCHED', terms: { quantity: '3000' }, custodian: { outcome: 'FAIL_UNMATCHED', failingParty: 'US', reasonCode: 'LACK' } });
    const expected = computeExpectedState(withTrades(base, [eu, uk, unmatched]));
    expect(expected.penalties.map((p) => p.sourceTradeId)).toEqual(['T-EU']);
    expect(expected.trades[2].settlement).toMatchObject({ matchingStatus: 'UNMATCHED', settlementStatus: 'FAILING' });
    const [penalty] = expected.penalties;
    // 1000 × reference price × 1 bp (LIQUID_SHARE), half-up to the cent, paid by us.
    const reference = base.referencePrices.find((p) => p.isin === eu.versions[0].terms.isin && p.date === penalty.date)!;
    expect(penalty.amount).toBe(new Decimal(1000).times(reference.price).times('0.0001').toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2));
    expect(penalty).toMatchObject({ direction: 'PAY', date: eu.custodian!.isd, rateBps: '1' });
  });

  it('expects a trade whose confirmation breaks and is not force-matched to stay MISMATCHED and uninstructed', () => {
    const base = smallScenario();
    const trade = aTrade(base, { id: 'T-BREAK' });
    trade.confirmation = { ...trade.confirmation, kind: 'PRICE', body: { ...trade.confirmation.body!, price: '50.26' } };
    const [t] = computeExpectedState(withTrades(base, [trade])).trades;
    expect(t.matching).toEqual({ status: 'MISMATCHED', breakCodes: [7] });
    expect(t.settlement).toBeNull();
    trade.ops.forceMatch = true;
    const [forced] = computeExpectedState(withTrades(base, [trade])).trades;
    expect(forced.matching).toEqual({ status: 'AFFIRMED', breakCodes: [7] });
    expect(forced.settlement?.settlementStatus).toBe('SETTLED');
  });

  it('computes a bond net amount with its accrued interest', () => {
    const base = smallScenario();
    const bund = base.instruments.find((i) => i.assetClass === 'GOVT_BOND' && i.settlementMarket === 'EU')!;
    const amounts = tradeAmounts(bund, { ...aTrade(base, { id: 'x' }).versions[0].terms, isin: bund.isin, quantity: '1000000', price: '99.50', commission: '0', fees: '0' });
    expect(new Decimal(amounts.accruedInterest).greaterThan(0)).toBe(true);
    expect(amounts.netAmount).toBe(new Decimal('995000.00').plus(amounts.accruedInterest).toFixed(2));
  });
});

describe('diff', () => {
  /** The trade's instructions as the platform lists them when it did what the scenario says, the custodian's answers included. */
  const instructionsOf = (t: ExpectedTrade): ObservedInstruction[] => {
    const cycle = t.custodianCycle;
    const answered = (extra: Partial<ObservedInstruction>): Pick<ObservedInstruction, 'custodian' | 'exceptions' | 'reported'> => ({
      custodian: { hold: null, cancellation: null, statusReason: null },
      exceptions: cycle?.hold === 'HOLD_REJECTED' ? ['HOLD_REJECTED'] : [],
      reported: cycle?.hold ? [cycle.hold] : [],
      ...extra,
    });
    const out: ObservedInstruction[] = [];
    if (t.settlement?.rejectedFirst) {
      out.push({ instructionId: 'r', holds: [], ...t.settlement, processingStatus: 'REJECTED', matchingStatus: 'UNMATCHED', settlementStatus: 'PENDING', settledQuantity: '0', settledAmount: '0', custodian: { hold: null, cancellation: null, statusReason: t.settlement.rejectedFirst }, exceptions: [], reported: ['REJECTED'] });
    }
    if (t.settlement) out.push({ instructionId: 'i', holds: [], ...t.settlement, settledAmount: t.settlement.settledAmount ?? '0', ...answered({}) });
    else if (cycle?.cancelledAtCustodian) {
      out.push({
        instructionId: 'c', holds: [], processingStatus: 'CANCELLED', matchingStatus: 'UNMATCHED', settlementStatus: 'PENDING', settledQuantity: '0', settledAmount: '0', quantity: t.capture.quantity,
        settlementAmount: t.capture.netAmount, intendedSettlementDate: t.capture.settlementDate, ...answered({ custodian: { hold: 'CONFIRMED', cancellation: 'CONFIRMED', statusReason: null } }),
      });
    }
    return out;
  };

  const observedOf = (expected: ExpectedState): ObservedState => ({
    trades: Object.fromEntries(expected.trades.map((t) => [t.sourceTradeId, { tradeId: `id-${t.sourceTradeId}`, status: t.capture.status, version: t.capture.version, quantity: t.capture.quantity, price: t.capture.price, netAmount: t.capture.netAmount, settlementDate: t.capture.settlementDate }])),
    matches: Object.fromEntries(expected.trades.map((t) => [t.sourceTradeId, { status: t.matching.status, breakCodes: t.matching.breakCodes }])),
    decisions: Object.fromEntries(expected.trades.map((t) => [t.sourceTradeId, { outcome: t.compliance.outcome, tradeVersion: t.compliance.tradeVersion }])),
    instructions: Object.fromEntries(expected.trades.map((t) => [t.sourceTradeId, instructionsOf(t)])),
    positions: JSON.parse(JSON.stringify(expected.positions)),
    cash: JSON.parse(JSON.stringify(expected.cash)),
    penaltiesByCounterparty: JSON.parse(JSON.stringify(expected.penaltiesByCounterparty)),
    penalties: expected.penalties.map((p) => ({ sourceTradeId: p.sourceTradeId, instructionId: 'i', counterpartyLei: p.counterpartyLei, date: p.date, amount: p.amount, currency: p.currency, direction: p.direction })),
    trialBalance: [{ asset: 'EUR', difference: '0' }],
    deadLetters: expected.deadLetters.map((d, i) => ({ service: d.service, id: String(i), topic: 'trades.inbound.v1', error: 'stale', sourceTradeId: d.sourceTradeId, version: d.version })),
    reconciliation: {
      breaks: expected.reconciliation!.breaks.map((b, i) => ({ breakId: String(i), type: b.type, account: b.account, key: b.key, reason: b.reason, asOf: b.asOf, firstSeen: b.asOf, difference: null, fields: [] })),
      runs: [
        ...expected.reconciliation!.statements.map((s) => ({ type: s.breakType, account: s.account, asOf: s.asOf, statementId: s.statementId, linesCompared: s.lines, matched: s.lines, openBreaks: 0 })),
        ...expected.reconciliation!.blotters.map((b) => ({ type: 'TRADE', account: expected.reconciliation!.sourceSystem, asOf: b.tradeDate, statementId: 'blotter', linesCompared: b.trades, matched: b.trades, openBreaks: 0 })),
      ],
    },
  });

  it('finds nothing when the platform holds what is expected, in any spelling of the same values', () => {
    const expected = computeExpectedState(generateScenario({ ...DEFAULT_OPTIONS, trades: 300, seed: 'diff' }, 'DIFFER', '2026-12-07'));
    const observed = observedOf(expected);
    const [book] = Object.keys(observed.cash.TRADE_DATE);
    const [currency] = Object.keys(observed.cash.TRADE_DATE[book]);
    observed.cash = { ...observed.cash, TRADE_DATE: { ...observed.cash.TRADE_DATE, [book]: { ...observed.cash.TRADE_DATE[book], [currency]: `${observed.cash.TRADE_DATE[book][currency]}000` } } };
    expect(diffStates(expected, observed)).toEqual([]);
  });

  it('names each difference: a status, a balance, a penalty, an unbalanced asset, a dead letter of the run', () => {
    const expected = computeExpectedState(generateScenario({ ...DEFAULT_OPTIONS, trades: 300, seed: 'diff' }, 'DIFFER', '2026-12-07'));
    const observed = observedOf(expected);
    const first = expected.trades[0].sourceTradeId;
    observed.matches[first] = { status: expected.trades[0].matching.status === 'UNMATCHED' ? 'MATCHED' : 'UNMATCHED', breakCodes: [] };
    const [book] = Object.keys(observed.positions.SETTLEMENT_DATE);
    observed.positions.SETTLEMENT_DATE = { ...observed.positions.SETTLEMENT_DATE, [book]: {} };
    observed.trialBalance = [{ asset: 'EUR', difference: '0.01' }];
    observed.deadLetters = [...observed.deadLetters, { service: 'ledger', id: 'x', topic: 'settlement.events.v1', error: 'boom', sourceTradeId: null, version: null }];
    observed.penaltiesByCounterparty = { ...observed.penaltiesByCounterparty, 'LEI EUR': { count: 1, pay: '1.00', receive: '0' } };
    const areas = new Set(diffStates(expected, observed).map((d) => d.area));
    expect([...areas].sort()).toEqual(['dead-letters', 'matching', 'penalties', 'positions', 'trial-balance']);
  });

  it('names the custodian cycle gone otherwise: a repaired trade never re-sent, a hold confirmed that was to be refused, a cancellation left unanswered, a hold left at the depository', () => {
    const scenario = generateScenario({ ...DEFAULT_OPTIONS, trades: 1500, seed: 'cycle', ssiRepairShare: 0.05, holdRejectShare: 0.5 }, 'CYCLEE', '2026-12-07');
    const expected = computeExpectedState(scenario);
    const observed = observedOf(expected);
    const repaired = expected.trades.find((t) => t.settlement?.rejectedFirst)!;
    const refused = expected.trades.find((t) => t.custodianCycle?.hold === 'HOLD_REJECTED' && t.settlement !== null)!;
    const other = expected.trades.find((t) => t.settlement && !t.settlement.rejectedFirst && !t.custodianCycle?.hold)!;
    const held = expected.trades.filter((t) => t.settlement && !t.settlement.rejectedFirst && !t.custodianCycle?.hold)[1];
    // Rejected, and nothing re-sent: the REJECTED one is all there is.
    observed.instructions[repaired.sourceTradeId] = observed.instructions[repaired.sourceTradeId].filter((i) => i.processingStatus === 'REJECTED');
    // The custodian confirmed the hold it was to refuse.
    observed.instructions[refused.sourceTradeId] = observed.instructions[refused.sourceTradeId].map((i) => ({ ...i, exceptions: [], reported: ['HOLD_CONFIRMED'] }));
    // An old instruction whose cancellation the custodian never answered, beside the live one.
    observed.instructions[other.sourceTradeId] = [...observed.instructions[other.sourceTradeId], { ...observed.instructions[other.sourceTradeId][0], instructionId: 'old', processingStatus: 'CANCELLED', custodian: { hold: null, cancellation: 'REQUESTED', statusReason: null } }];
    observed.instructions[held.sourceTradeId] = observed.instructions[held.sourceTradeId].map((i) => ({ ...i, custodian: { hold: 'RELEASE_REJECTED', cancellation: null, statusReason: 'NRGM' }, exceptions: ['RELEASE_REJECTED'] }));
    const fields = diffStates(expected, observed).map((d) => [d.key, d.field]);
    expect(fields).toEqual(
      expect.arrayContaining([
        [repaired.sourceTradeId, 'instruction'],
        [refused.sourceTradeId, 'hold at the custodian'],
        [other.sourceTradeId, 'old cancellation at the custodian'],
        [held.sourceTradeId, 'i hold at the custodian'],
        [held.sourceTradeId, 'i exceptions'],
      ]),
    );
    expect(fields).toHaveLength(5);
  });

  it('names what reconciliation holds otherwise: a statement not applied, an expected break not open, a break nobody injected', () => {
    const expected = computeExpectedState(generateScenario({ ...DEFAULT_OPTIONS, trades: 300, seed: 'diff', statementBreakShare: 0.1 }, 'DIFFER', '2026-12-07'));
    const observed = observedOf(expected);
    const recon = observed.reconciliation!;
    expect(expected.reconciliation!.breaks.length).toBeGreaterThan(1);
    const [missing] = recon.breaks.splice(0, 1);
    recon.breaks.push({ breakId: 'x', type: 'POSITION', account: missing.account, key: 'isin:XX0000000000', reason: 'DIFFERENT', asOf: '2026-12-03', firstSeen: '2026-12-03', difference: '-5', fields: ['quantity'] });
    recon.runs[0] = { ...recon.runs[0], linesCompared: recon.runs[0].linesCompared + 1 };
    recon.runs.splice(1, 1);
    const differences = diffStates(expected, observed);
    expect(differences.every((d) => d.area === 'reconciliation')).toBe(true);
    const [first, second] = expected.reconciliation!.statements;
    expect(differences.map((d) => [d.key, d.field, d.actual])).toEqual(
      expect.arrayContaining([
        [first.account, expect.stringContaining(`${first.type} statement of ${first.asOf}`), `${first.statementId}, ${first.lines + 1} lines compared`],
        [second.account, expect.stringContaining(`${second.type} statement of ${second.asOf}`), 'not applied'],
        [missing.account, `${missing.type} break ${missing.key}`, 'none open'],
        [missing.account, 'POSITION break isin:XX0000000000', 'DIFFERENT since 2026-12-03, quantity differ by -5'],
      ]),
    );
    expect(differences).toHaveLength(4);
  });

  it("names a statement or blotter whose REST answer opened other breaks than its injected differences", () => {
    const expected = computeExpectedState(generateScenario({ ...DEFAULT_OPTIONS, trades: 300, seed: 'diff', statementBreakShare: 0 }, 'DIFFER', '2026-12-07'));
    const plan = expected.reconciliation!;
    const [statement] = plan.statements;
    const [blotter] = plan.blotters;
    const answer = (breaksOpened: number) => ({ lines: 1, matched: 1, breaksOpened, breaksClosed: 0 });
    const differences = compareReconciliationAnswers(plan, [
      { id: statement.statementId, type: statement.type, form: statement.form, account: statement.account, asOf: statement.asOf, lines: statement.lines, result: answer(0), error: null },
      { id: plan.statements[1].statementId, type: plan.statements[1].type, form: 'KAFKA', account: plan.statements[1].account, asOf: plan.statements[1].asOf, lines: 0, result: null, error: null },
      { id: 'blotter', type: 'BLOTTER', form: blotter.form, account: plan.sourceSystem, asOf: blotter.tradeDate, lines: blotter.trades, result: answer(3), error: null },
    ]);
    expect(differences).toEqual([{ area: 'reconciliation', key: plan.sourceSystem, field: `blotter of ${blotter.tradeDate} (${blotter.form}): breaks opened`, expected: 0, actual: 3 }]);
  });
});
