import { DomainError } from '@postrade/kernel';
import { Bookkeeper, type BookedTrade } from './bookkeeper';
import { imbalances } from './legs';
import { described, penalty, settlement, terms, tradeEvent } from './ledger-fixtures';

const CP = '5493001KJTIIGC8Y1R12';
const ISIN = 'US0378331005';

function bookkeeper(trades = new Map<string, BookedTrade>(), booked: string[] = []): Bookkeeper {
  return new Bookkeeper(trades, (id) => booked.includes(id));
}

describe('posting rules', () => {
  it('books a buy on trade date: position +quantity and cash −net against the counterparty pending settlement', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms({ side: 'BUY', quantity: '1000', netAmount: '189261.20' })));
    expect(books.entries).toHaveLength(1);
    expect(books.entries[0]).toMatchObject({ effectiveDate: '2026-11-23', tradeId: 'T-1' });
    expect(described(books.entries[0].legs)).toEqual([
      `book:EQ1:securities-pending ${ISIN} +1000`,
      `counterparty:${CP}:pending-settlement ${ISIN} -1000`,
      `counterparty:${CP}:pending-settlement USD +189261.2`,
      'book:EQ1:cash-pending USD -189261.2',
    ]);
  });

  it('books a sell on trade date: position −quantity and cash +net', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms({ side: 'SELL', quantity: '500', netAmount: '94613.80' })));
    expect(described(books.entries[0].legs)).toEqual([
      `book:EQ1:securities-pending ${ISIN} -500`,
      `counterparty:${CP}:pending-settlement ${ISIN} +500`,
      `counterparty:${CP}:pending-settlement USD -94613.8`,
      'book:EQ1:cash-pending USD +94613.8',
    ]);
  });

  it('books only the difference when an amendment raises the quantity', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms({ quantity: '1000', netAmount: '100000.00' })));
    books.apply(tradeEvent('AMENDED', terms({ version: 2, quantity: '1200', netAmount: '120000.00' }), '2026-11-24T09:00:00Z'));
    expect(books.entries[1].effectiveDate).toBe('2026-11-24');
    expect(described(books.entries[1].legs)).toEqual([
      `book:EQ1:securities-pending ${ISIN} +200`,
      `counterparty:${CP}:pending-settlement ${ISIN} -200`,
      `counterparty:${CP}:pending-settlement USD +20000`,
      'book:EQ1:cash-pending USD -20000',
    ]);
  });

  it('books only the difference when an amendment lowers the quantity', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms({ quantity: '1000', netAmount: '100000.00' })));
    books.apply(tradeEvent('AMENDED', terms({ version: 3, quantity: '700', netAmount: '70000.00' })));
    expect(described(books.entries[1].legs)).toEqual([
      `book:EQ1:securities-pending ${ISIN} -300`,
      `counterparty:${CP}:pending-settlement ${ISIN} +300`,
      `counterparty:${CP}:pending-settlement USD -30000`,
      'book:EQ1:cash-pending USD +30000',
    ]);
  });

  it('moves a trade to another book by reversing the old book and booking the new one', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms({ book: 'EQ1' })));
    books.apply(tradeEvent('AMENDED', terms({ version: 2, book: 'EQ2' })));
    expect(described(books.entries[1].legs)).toEqual([`book:EQ2:securities-pending ${ISIN} +1000`, 'book:EQ2:cash-pending USD -189261.2', `book:EQ1:securities-pending ${ISIN} -1000`, 'book:EQ1:cash-pending USD +189261.2']);
  });

  it('books nothing for an amendment that changes no amount, nor for an enriched trade', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms()));
    expect(books.apply(tradeEvent('AMENDED', terms({ version: 2 })))).toMatchObject({ kind: 'nothing-to-book' });
    expect(books.apply(tradeEvent('ENRICHED', terms({ version: 2 })))).toMatchObject({ kind: 'nothing-to-book' });
    expect(books.entries).toHaveLength(1);
  });

  it('moves a partial settlement from pending into settled securities and cash', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms({ quantity: '1000', netAmount: '100000.00' })));
    books.apply(settlement(['T-1'], { quantity: '400', amount: '40000.00', date: '2026-11-25' }));
    expect(books.entries[1]).toMatchObject({ effectiveDate: '2026-11-25', instructionId: 'I-T-1' });
    expect(described(books.entries[1].legs)).toEqual([
      `book:EQ1:securities-settled ${ISIN} +400`,
      `book:EQ1:securities-pending ${ISIN} -400`,
      `counterparty:${CP}:pending-settlement ${ISIN} +400`,
      `counterparty:${CP}:settled ${ISIN} -400`,
      'book:EQ1:cash-pending USD +40000',
      'book:EQ1:cash-settled USD -40000',
      `counterparty:${CP}:settled USD +40000`,
      `counterparty:${CP}:pending-settlement USD -40000`,
    ]);
  });

  it('settles the remainder of a trade when a SETTLED update names no quantity', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms({ quantity: '1000', netAmount: '100000.00' })));
    books.apply(settlement(['T-1'], { quantity: '400', amount: '40000.00' }));
    books.apply(settlement(['T-1'], { final: true }));
    expect(books.trade('T-1')!.settledQuantity.toFixed()).toBe('1000');
    expect(books.trade('T-1')!.settledAmount.toFixed()).toBe('100000');
  });

  it('reverses only the unsettled remainder when a trade is cancelled after a partial settlement: what settled stays settled', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms({ quantity: '1000', netAmount: '100000.00' })));
    books.apply(settlement(['T-1'], { quantity: '400', amount: '40000.00' }));
    books.apply(tradeEvent('CANCELLED', terms({ version: 2 }), '2026-11-26T10:00:00Z'));
    const cancellation = books.entries[2];
    expect(cancellation.effectiveDate).toBe('2026-11-26');
    expect(described(cancellation.legs)).toEqual([
      `book:EQ1:securities-pending ${ISIN} -600`,
      `counterparty:${CP}:pending-settlement ${ISIN} +600`,
      `counterparty:${CP}:pending-settlement USD -60000`,
      'book:EQ1:cash-pending USD +60000',
    ]);
    // Pending accounts are back to zero; the settled 400 shares and 40,000 USD stay where the depository put them.
    const net = new Map<string, string>();
    for (const entry of books.entries) for (const l of entry.legs) net.set(`${l.account.code} ${l.asset}`, l.amount.plus(net.get(`${l.account.code} ${l.asset}`) ?? 0).toFixed());
    expect(Object.fromEntries([...net].filter(([, v]) => v !== '0'))).toEqual({
      [`book:EQ1:securities-settled ${ISIN}`]: '400',
      [`counterparty:${CP}:settled ${ISIN}`]: '-400',
      'book:EQ1:cash-settled USD': '-40000',
      [`counterparty:${CP}:settled USD`]: '40000',
    });
  });

  it('moves securities only when a free-of-payment instruction settles, whatever amount the update names', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms({ quantity: '1000', netAmount: '100000.00' })));
    books.apply(settlement(['T-1'], { quantity: '400', amount: '40000.00', freeOfPayment: true }));
    books.apply(settlement(['T-1'], { final: true, freeOfPayment: true }));
    const settled = books.entries.slice(1).flatMap((e) => described(e.legs));
    expect(settled).toEqual([
      `book:EQ1:securities-settled ${ISIN} +400`,
      `book:EQ1:securities-pending ${ISIN} -400`,
      `counterparty:${CP}:pending-settlement ${ISIN} +400`,
      `counterparty:${CP}:settled ${ISIN} -400`,
      `book:EQ1:securities-settled ${ISIN} +600`,
      `book:EQ1:securities-pending ${ISIN} -600`,
      `counterparty:${CP}:pending-settlement ${ISIN} +600`,
      `counterparty:${CP}:settled ${ISIN} -600`,
    ]);
    expect(books.trade('T-1')!.settledQuantity.toFixed()).toBe('1000');
    expect(books.trade('T-1')!.settledAmount.toFixed()).toBe('0');
  });

  it('books an assessed penalty we pay to the house penalty account, owed to the counterparty', () => {
    const books = bookkeeper();
    books.apply(penalty('PAY', '12.34'));
    expect(books.entries[0]).toMatchObject({ effectiveDate: '2026-11-25', tradeId: 'T-1' });
    expect(described(books.entries[0].legs)).toEqual(['house:penalties EUR +12.34', `counterparty:${CP}:penalties EUR -12.34`]);
  });

  it('books a penalty we receive the other way round, with no trade when the instruction nets several', () => {
    const books = bookkeeper();
    books.apply(penalty('RECEIVE', '5.00', ['T-1', 'T-2']));
    expect(books.entries[0].tradeId).toBeNull();
    expect(described(books.entries[0].legs)).toEqual(['house:penalties EUR -5', `counterparty:${CP}:penalties EUR +5`]);
  });

  it('balances every entry per asset', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms()));
    books.apply(settlement(['T-1'], { final: true }));
    books.apply(penalty('PAY', '1.00'));
    for (const entry of books.entries) expect(imbalances(entry.legs).size).toBe(0);
  });
});

describe('what the ledger refuses, parks or skips', () => {
  it('books an event it has already booked only once', () => {
    const event = tradeEvent('CAPTURED', terms());
    const books = bookkeeper(new Map(), [event.eventId]);
    expect(books.apply(event)).toEqual({ kind: 'already-booked' });
    const again = bookkeeper();
    again.apply(event);
    expect(again.apply(event)).toEqual({ kind: 'already-booked' });
    expect(again.entries).toHaveLength(1);
  });

  it('parks a settlement whose trade it has not seen yet', () => {
    expect(bookkeeper().apply(settlement(['T-9'], { quantity: '1', amount: '1' }))).toEqual({ kind: 'waiting', forTradeIds: ['T-9'] });
  });

  it('refuses to settle more than remains of the trade', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms({ quantity: '100', netAmount: '1000' })));
    expect(() => books.apply(settlement(['T-1'], { quantity: '101', amount: '1000' }))).toThrow(/more than|left/);
  });

  it('refuses a partial settlement of a net instruction, which cannot be allocated to its trades', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms({ tradeId: 'T-1' })));
    books.apply(tradeEvent('CAPTURED', terms({ tradeId: 'T-2', side: 'SELL' })));
    expect(() => books.apply(settlement(['T-1', 'T-2'], { quantity: '1', amount: '1' }))).toThrow(DomainError);
    expect(books.apply(settlement(['T-1', 'T-2'], { final: true }))).toEqual({ kind: 'booked', entries: 2 });
  });

  it('refuses to book a new version against a cancelled trade', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms()));
    books.apply(tradeEvent('CANCELLED', terms({ version: 2 })));
    expect(() => books.apply(tradeEvent('AMENDED', terms({ version: 3 })))).toThrow(/cancelled/);
  });

  it('books a settlement the depository reports after the cancellation reached the ledger: the same books as had it arrived first', () => {
    const balances = (books: Bookkeeper, asOf: string) => {
      const net = new Map<string, string>();
      for (const entry of books.entries.filter((e) => e.effectiveDate <= asOf)) {
        for (const l of entry.legs) net.set(`${l.account.code} ${l.asset}`, l.amount.plus(net.get(`${l.account.code} ${l.asset}`) ?? 0).toFixed());
      }
      return Object.fromEntries([...net].filter(([, v]) => v !== '0'));
    };
    const partial = settlement(['T-1'], { quantity: '400', amount: '40000.00' });
    const cancel = tradeEvent('CANCELLED', terms({ version: 2 }), '2026-11-26T10:00:00Z');

    const settledFirst = bookkeeper();
    settledFirst.apply(tradeEvent('CAPTURED', terms({ quantity: '1000', netAmount: '100000.00' })));
    settledFirst.apply(partial);
    settledFirst.apply(cancel);

    const cancelledFirst = bookkeeper();
    cancelledFirst.apply(tradeEvent('CAPTURED', terms({ quantity: '1000', netAmount: '100000.00' })));
    cancelledFirst.apply(cancel);
    expect(cancelledFirst.apply(partial)).toEqual({ kind: 'booked', entries: 2 });
    // The re-instatement on the trade-date view is dated the cancellation's day, the settlement its own.
    expect(cancelledFirst.entries.slice(2).map((e) => e.effectiveDate).sort()).toEqual(['2026-11-24', '2026-11-26']);

    for (const asOf of ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-30']) {
      expect(balances(cancelledFirst, asOf)).toEqual(balances(settledFirst, asOf));
    }
    expect(balances(cancelledFirst, '2026-11-30')).toEqual({
      [`book:EQ1:securities-settled ${ISIN}`]: '400',
      [`counterparty:${CP}:settled ${ISIN}`]: '-400',
      'book:EQ1:cash-settled USD': '-40000',
      [`counterparty:${CP}:settled USD`]: '40000',
    });
  });

  it('books nothing for a version at or below the one booked', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms()));
    books.apply(tradeEvent('AMENDED', terms({ version: 3, quantity: '5' })));
    expect(books.apply(tradeEvent('AMENDED', terms({ version: 2, quantity: '7' })))).toMatchObject({ kind: 'nothing-to-book' });
  });

  it('refuses to move a partly settled trade to another book', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms()));
    books.apply(settlement(['T-1'], { quantity: '1', amount: '1' }));
    expect(() => books.apply(tradeEvent('AMENDED', terms({ version: 2, book: 'EQ2' })))).toThrow(/settled/);
  });
});

/** Net balance per `account asset` over the entries effective on or before `asOf` (all when absent), zeros left out. */
function balancesOf(books: Bookkeeper, asOf = '9999-12-31'): Record<string, string> {
  const net = new Map<string, string>();
  for (const entry of books.entries.filter((e) => e.effectiveDate <= asOf)) {
    for (const l of entry.legs) net.set(`${l.account.code} ${l.asset}`, l.amount.plus(net.get(`${l.account.code} ${l.asset}`) ?? 0).toFixed());
  }
  return Object.fromEntries([...net].filter(([, v]) => v !== '0'));
}

describe('free of payment: securities only, on every path', () => {
  const fop = (overrides: Parameters<typeof terms>[0] = {}) => terms({ quantity: '1000', netAmount: '100000.00', freeOfPayment: true, ...overrides });
  const cashLegs = (books: Bookkeeper) => books.entries.flatMap((e) => e.legs.filter((l) => l.asset === 'USD'));

  it('books no cash on the trade date for a FOP trade: the position changes against the counterparty, nothing more', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', fop()));
    expect(described(books.entries[0].legs)).toEqual([`book:EQ1:securities-pending ${ISIN} +1000`, `counterparty:${CP}:pending-settlement ${ISIN} -1000`]);
  });

  it('moves securities only through a partial and a final FOP settlement, and leaves no cash on any account', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', fop()));
    books.apply(settlement(['T-1'], { quantity: '400', amount: '40000.00', freeOfPayment: true }));
    books.apply(settlement(['T-1'], { final: true, freeOfPayment: true }));
    expect(cashLegs(books)).toEqual([]);
    expect(balancesOf(books)).toEqual({ [`book:EQ1:securities-settled ${ISIN}`]: '1000', [`counterparty:${CP}:settled ${ISIN}`]: '-1000' });
    expect(books.trade('T-1')!.settledAmount.toFixed()).toBe('0');
  });

  it('books a FOP settlement that names a quantity and no amount (a FOP update has none to name)', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', fop()));
    expect(books.apply(settlement(['T-1'], { quantity: '400', freeOfPayment: true }))).toEqual({ kind: 'booked', entries: 1 });
    expect(books.apply(settlement(['T-1'], { quantity: '600', final: true, freeOfPayment: true }))).toEqual({ kind: 'booked', entries: 1 });
    expect(cashLegs(books)).toEqual([]);
    expect(books.trade('T-1')!.settledQuantity.toFixed()).toBe('1000');
  });

  it('settles no cash for a FOP trade even when the settlement names an amount and a DVP type', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', fop()));
    books.apply(settlement(['T-1'], { quantity: '400', amount: '40000.00', freeOfPayment: false }));
    expect(cashLegs(books)).toEqual([]);
  });

  it('reverses only the unsettled securities when a FOP trade is cancelled after a partial settlement: no cash posting', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', fop()));
    books.apply(settlement(['T-1'], { quantity: '400', amount: '0', freeOfPayment: true }));
    books.apply(tradeEvent('CANCELLED', fop({ version: 2 }), '2026-11-26T10:00:00Z'));
    expect(described(books.entries[2].legs)).toEqual([`book:EQ1:securities-pending ${ISIN} -600`, `counterparty:${CP}:pending-settlement ${ISIN} +600`]);
    expect(cashLegs(books)).toEqual([]);
    expect(balancesOf(books)).toEqual({ [`book:EQ1:securities-settled ${ISIN}`]: '400', [`counterparty:${CP}:settled ${ISIN}`]: '-400' });
  });

  it('takes the pending cash off when an amendment turns a DVP trade into FOP before it settles', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms({ quantity: '1000', netAmount: '100000.00' })));
    books.apply(tradeEvent('AMENDED', fop({ version: 2 })));
    expect(balancesOf(books)).toEqual({ [`book:EQ1:securities-pending ${ISIN}`]: '1000', [`counterparty:${CP}:pending-settlement ${ISIN}`]: '-1000' });
  });

  it('refuses to change between DVP and FOP once settlement began', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms({ quantity: '1000', netAmount: '100000.00' })));
    books.apply(settlement(['T-1'], { quantity: '400', amount: '40000.00' }));
    expect(() => books.apply(tradeEvent('AMENDED', fop({ version: 2 })))).toThrow(/settlementType|settled/);
  });
});

describe('a cancellation after a partial settlement', () => {
  it('reverses the unsettled remainder only, raises the settled part for operations, and still books a later settlement of the instruction', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms({ quantity: '1000', netAmount: '100000.00' })));
    books.apply(settlement(['T-1'], { quantity: '400', amount: '40000.00', date: '2026-11-24' }));
    const cancel = tradeEvent('CANCELLED', terms({ version: 2 }), '2026-11-26T10:00:00Z');
    books.apply(cancel);
    expect(books.exceptions).toEqual([
      {
        eventId: cancel.eventId,
        kind: 'SETTLED_BEFORE_CANCELLATION',
        tradeId: 'T-1',
        instructionId: null,
        book: 'EQ1',
        isin: ISIN,
        currency: 'USD',
        quantity: expect.objectContaining({}),
        amount: expect.objectContaining({}),
        effectiveDate: '2026-11-26',
        detail: expect.stringMatching(/400 .*settled.*600 .*reversed/),
      },
    ]);
    expect([books.exceptions[0].quantity.toFixed(), books.exceptions[0].amount.toFixed()]).toEqual(['400', '40000']);

    const late = settlement(['T-1'], { quantity: '100', amount: '10000.00', date: '2026-11-27' });
    expect(books.apply(late)).toEqual({ kind: 'booked', entries: 2 });
    expect(books.exceptions[1]).toMatchObject({ eventId: late.eventId, kind: 'SETTLED_AFTER_CANCELLATION', tradeId: 'T-1', instructionId: late.instructionId, effectiveDate: '2026-11-27' });
    expect([books.exceptions[1].quantity.toFixed(), books.exceptions[1].amount.toFixed()]).toEqual(['100', '10000']);
    expect(balancesOf(books)).toEqual({
      [`book:EQ1:securities-settled ${ISIN}`]: '500',
      [`counterparty:${CP}:settled ${ISIN}`]: '-500',
      'book:EQ1:cash-settled USD': '-50000',
      [`counterparty:${CP}:settled USD`]: '50000',
    });
  });

  it('raises the settled part when a fully settled trade is cancelled, and books no reversal', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms({ quantity: '1000', netAmount: '100000.00' })));
    books.apply(settlement(['T-1'], { final: true }));
    expect(books.apply(tradeEvent('CANCELLED', terms({ version: 2 })))).toMatchObject({ kind: 'nothing-to-book' });
    expect(books.entries).toHaveLength(2);
    expect(books.exceptions).toEqual([expect.objectContaining({ kind: 'SETTLED_BEFORE_CANCELLATION', detail: expect.stringMatching(/1000 of 1000 settled.* 0 .*reversed/) })]);
    expect(books.trade('T-1')!.cancelled).toBe(true);
  });

  it('raises nothing when a trade is cancelled before anything settled', () => {
    const books = bookkeeper();
    books.apply(tradeEvent('CAPTURED', terms()));
    books.apply(tradeEvent('CANCELLED', terms({ version: 2 })));
    expect(books.exceptions).toEqual([]);
  });
});

describe('penalty accruals', () => {
  it('records each assessed penalty it books with its CSD and month, for the monthly collection', () => {
    const books = bookkeeper();
    const assessed = penalty('PAY', '12.34', ['T-1'], { penaltyId: 'P-7', date: '2026-11-25' });
    books.apply(assessed);
    books.apply(assessed);
    expect(books.penalties).toEqual([
      {
        penaltyId: 'P-7',
        eventId: assessed.eventId,
        instructionId: 'I-1',
        csd: 'DAKVDEFFXXX',
        month: '2026-11',
        counterpartyLei: CP,
        currency: 'EUR',
        direction: 'PAY',
        amount: assessed.amount,
        date: '2026-11-25',
      },
    ]);
  });
});
