import { Decimal } from '@postrade/kernel';
import { computeExpectedState } from './expected';
import { parseBlotterCsv, parseBlotterJson, parseStatementCsv, parseStatementJson, parseStatementXml, renderBlotterCsv, renderBlotterJson, renderStatementCsv, renderStatementJson, renderStatementXml, type Statement } from './reconciliation-formats';
import {
  blotterLines,
  cancelledBy,
  cashOf,
  expectedCustodianMovements,
  holdingsOf,
  injectBlotter,
  injectStatement,
  ourAccounts,
  postingsOf,
  statementContent,
  toBlotter,
  toStatement,
  type CustodianMovement,
} from './statements';
import { aTrade, smallScenario, withTrades } from './test-factories';

const plain = (statement: Statement) => JSON.parse(JSON.stringify(renderStatementJson(statement)));

describe("the custodian's books and statements", () => {
  const base = smallScenario();
  const isd = (trade: ReturnType<typeof aTrade>) => trade.custodian!.isd;

  it('books what each plan settles, on the day it settles: all, a part then the rest, all after a fail, a part before a cancel; nothing for an open fail or a rejection', () => {
    const settle = aTrade(base, { id: 'T-SETTLE', terms: { quantity: '1000' } });
    const partial = aTrade(base, { id: 'T-PARTIAL', terms: { quantity: '2000', side: 'SELL' }, custodian: { outcome: 'PARTIAL_SETTLE', partialQuantity: '600', partialAmount: '15075.00' } });
    const failThenSettle = aTrade(base, { id: 'T-FAIL', terms: { quantity: '3000' }, custodian: { outcome: 'FAIL_SETTLE', failingParty: 'US', reasonCode: 'LACK' } });
    const failOpen = aTrade(base, { id: 'T-OPEN', terms: { quantity: '4000' }, custodian: { outcome: 'FAIL_OPEN', failingParty: 'US', reasonCode: 'LACK' } });
    const rejected = aTrade(base, { id: 'T-REJECT', terms: { quantity: '5000' }, custodian: { outcome: 'REJECT' } });
    const partialCancel = aTrade(base, {
      id: 'T-PCANCEL',
      terms: { quantity: '6000' },
      custodian: { outcome: 'PARTIAL_CANCEL', partialQuantity: '1000', partialAmount: '50250.00' },
      cancel: { version: 2, when: 'AFTER_PARTIAL', slot: -1, reason: 'withdrawn' },
    });
    const scenario = withTrades(base, [settle, partial, failThenSettle, failOpen, rejected, partialCancel]);
    const expected = computeExpectedState(scenario);
    const movements = expectedCustodianMovements(scenario, expected.trades);
    const net = (id: string) => expected.trades.find((t) => t.sourceTradeId === id)!.capture.netAmount;
    const later = scenario.calendar.lastDay;
    const rest = new Decimal(net('T-PARTIAL')).minus('15075.00').toFixed(2);
    expect(movements.map((m) => [m.sourceTradeId, m.direction, m.quantity, m.amount, m.settlementDate])).toEqual([
      ['T-SETTLE', 'RECEIVE', '1000', net('T-SETTLE'), isd(settle)],
      ['T-PARTIAL', 'DELIVER', '600', '15075.00', isd(partial)],
      ['T-PARTIAL', 'DELIVER', '1400', rest, later],
      ['T-FAIL', 'RECEIVE', '3000', net('T-FAIL'), later],
      ['T-PCANCEL', 'RECEIVE', '1000', '50250.00', isd(partialCancel)],
    ]);
    const account = ourAccounts(scenario)[0];
    expect(movements.every((m) => m.safekeepingAccount === account.safekeepingAccount && m.cashAccount === account.cashAccount)).toBe(true);
  });

  it('books nothing for a trade that is never instructed (cancelled during the day), and no cash for free of payment', () => {
    const cancelled = aTrade(base, { id: 'T-CXL', cancel: { version: 2, when: 'INTRADAY', slot: 3, reason: 'booked in error' } });
    const fop = aTrade(base, { id: 'T-FOP', terms: { settlementType: 'FOP', quantity: '700' } });
    const scenario = withTrades(base, [cancelled, fop]);
    const movements = expectedCustodianMovements(scenario, computeExpectedState(scenario).trades);
    expect(movements).toHaveLength(1);
    expect(movements[0]).toMatchObject({ sourceTradeId: 'T-FOP', quantity: '700', amount: null });
    const account = ourAccounts(scenario)[0];
    expect(cashOf(movements, account.cashAccount, account.currency, scenario.calendar.lastDay)).toEqual({ [account.currency]: '0.00' });
    expect(holdingsOf(movements, account.safekeepingAccount, scenario.calendar.lastDay)).toEqual({ [movements[0].isin]: '700' });
    // On the statement a free-of-payment posting has no cash: currency XXX, amount 0.
    const transactions = statementContent('TRANSACTIONS', movements, account, isd(fop));
    expect(transactions.lines[0].values).toMatchObject({ amount: '0', currency: 'XXX', quantity: '700', direction: 'RECEIVE' });
  });

  const account = { legalEntityLei: 'LE', market: 'EU', currency: 'EUR', safekeepingAccount: 'SK-1-EU', cashAccount: 'CA-1-EUR' };
  const movement = (over: Partial<CustodianMovement>): CustodianMovement => ({
    reference: 'R-1',
    sourceTradeId: 'T-1',
    instructionId: 'I-1',
    safekeepingAccount: 'SK-1-EU',
    cashAccount: 'CA-1-EUR',
    isin: 'DE000A1EWWW0',
    direction: 'RECEIVE',
    quantity: '100',
    amount: '1000.00',
    currency: 'EUR',
    settlementDate: '2026-12-02',
    ...over,
  });
  const books = [
    movement({}),
    movement({ reference: 'R-2', sourceTradeId: 'T-2', instructionId: 'I-2', direction: 'DELIVER', quantity: '300', amount: '3100.50', settlementDate: '2026-12-03' }),
    movement({ reference: 'R-3', sourceTradeId: 'T-3', instructionId: 'I-3', isin: 'FR0000120271', quantity: '50', amount: '250.25', settlementDate: '2026-12-03' }),
    movement({ reference: 'R-4', sourceTradeId: 'T-4', instructionId: 'I-4', isin: 'FR0000120271', quantity: '50', amount: null, settlementDate: '2026-12-03' }),
    movement({ reference: 'R-5', safekeepingAccount: 'SK-OTHER', cashAccount: 'CA-OTHER', sourceTradeId: 'T-5', quantity: '999' }),
  ];

  it('adds up holdings and cash as of a date, per account: receipts long and paid for, deliveries short and paid to us', () => {
    expect(holdingsOf(books, 'SK-1-EU', '2026-12-02')).toEqual({ DE000A1EWWW0: '100' });
    expect(holdingsOf(books, 'SK-1-EU', '2026-12-03')).toEqual({ DE000A1EWWW0: '-200', FR0000120271: '100' });
    expect(cashOf(books, 'CA-1-EUR', 'EUR', '2026-12-01')).toEqual({ EUR: '0.00' });
    expect(cashOf(books, 'CA-1-EUR', 'EUR', '2026-12-03')).toEqual({ EUR: '1850.25' });
    expect(postingsOf(books, 'SK-1-EU', '2026-12-03').map((m) => m.reference)).toEqual(['R-2', 'R-3', 'R-4']);
  });

  it('injects the planned differences: a quantity or amount changed, a line dropped, a line added; one naming a missing line is reported', () => {
    const holdings = statementContent('HOLDINGS', books, account, '2026-12-03');
    const injected = injectStatement(holdings, [
      { kind: 'QUANTITY', target: 'DE000A1EWWW0', delta: '-3' },
      { kind: 'DROP', target: 'FR0000120271' },
      { kind: 'EXTRA', line: { isin: 'NL0010273215', quantity: '400' } },
      { kind: 'DROP', target: 'US0378331005' },
    ]);
    expect(injected.lines).toEqual([{ isin: 'DE000A1EWWW0', quantity: '-203' }, { isin: 'NL0010273215', quantity: '400' }]);
    expect(injected.notApplied).toEqual([{ kind: 'DROP', target: 'US0378331005' }]);
    const cash = injectStatement(statementContent('CASH', books, account, '2026-12-03'), [{ kind: 'AMOUNT', target: 'EUR', delta: '2000.00' }]);
    expect(cash.lines).toEqual([{ currency: 'EUR', amount: '3850.25' }]);
    const transactions = injectStatement(statementContent('TRANSACTIONS', books, account, '2026-12-03'), [{ kind: 'QUANTITY', target: 'T-3', delta: '2' }]);
    expect(transactions.lines.map((l) => [l.reference, l.instructionId, l.quantity])).toEqual([['R-2', 'I-2', '300'], ['R-3', 'I-3', '52'], ['R-4', 'I-4', '50']]);
  });

  it.each(['XML', 'CSV', 'JSON'] as const)('writes statements that reconciliation reads back line for line (%s)', (form) => {
    const day = '2026-12-03';
    for (const type of ['HOLDINGS', 'TRANSACTIONS', 'CASH'] as const) {
      const lines = injectStatement(statementContent(type, books, account, day), []).lines;
      const statement = toStatement({ statementId: `S-${type}`, type, account: type === 'CASH' ? account.cashAccount : account.safekeepingAccount, asOf: day }, lines);
      const read =
        form === 'XML'
          ? parseStatementXml(renderStatementXml(statement))
          : form === 'CSV'
            ? parseStatementCsv(renderStatementCsv(statement), { type, account: statement.account, asOf: day, statementId: statement.statementId })
            : parseStatementJson(plain(statement));
      expect(plain(read)).toEqual(plain(statement));
    }
  });

  it("writes the OMS blotter: the day's trades in their last version, not those cancelled by then, as JSON or CSV", () => {
    const amended = aTrade(base, { id: 'T-A' });
    amended.versions.push({ version: 2, terms: { ...amended.versions[0].terms, price: '51.00' }, slot: 4 });
    const intraday = aTrade(base, { id: 'T-I', cancel: { version: 2, when: 'INTRADAY', slot: 3, reason: 'booked in error' } });
    const afterPartial = aTrade(base, {
      id: 'T-P',
      terms: { quantity: '2000' },
      custodian: { outcome: 'PARTIAL_CANCEL', partialQuantity: '1000', partialAmount: '50250.00' },
      cancel: { version: 2, when: 'AFTER_PARTIAL', slot: -1, reason: 'withdrawn' },
    });
    const tradeDate = base.calendar.tradeDays[0];
    const lines = blotterLines([amended, intraday, afterPartial], tradeDate, (t) => cancelledBy(t, true, tradeDate));
    expect(lines.map((l) => [l.sourceTradeId, l.price])).toEqual([['T-A', '51.00'], ['T-P', '50.25']]);
    // Cancelled after its partial settlement on its intended date: off the blotters from then on.
    expect(cancelledBy(afterPartial, true, afterPartial.custodian!.isd)).toBe(true);
    expect(cancelledBy(afterPartial, false, afterPartial.custodian!.isd)).toBe(false);

    const injected = injectBlotter(lines, [{ kind: 'PRICE', sourceTradeId: 'T-A', delta: '0.03' }, { kind: 'MISSING', sourceTradeId: 'T-P' }, { kind: 'MISSING', sourceTradeId: 'T-NONE' }]);
    expect(injected.lines.map((l) => [l.sourceTradeId, l.price])).toEqual([['T-A', '51.03']]);
    expect(injected.notApplied).toHaveLength(1);
    const blotter = toBlotter('SIMSYS', tradeDate, injected.lines);
    const json = JSON.parse(JSON.stringify(renderBlotterJson(blotter)));
    expect(renderBlotterJson(parseBlotterJson(json))).toEqual(json);
    expect(renderBlotterJson(parseBlotterCsv(renderBlotterCsv(blotter), { sourceSystem: 'SIMSYS', tradeDate }))).toEqual(json);
  });
});
