import fc from 'fast-check';
import { Decimal } from '@postrade/kernel';
import { Bookkeeper, type BookedTrade, type JournalEntryDraft } from './bookkeeper';
import { imbalances } from './legs';
import type { LedgerInput } from './ledger-inputs';
import { settlement, terms, tradeEvent } from './ledger-fixtures';

const BOOKS = ['B1', 'B2'];
const ISINS = ['US0378331005', 'DE0007164600'];
const COUNTERPARTIES = ['5493001KJTIIGC8Y1R12', '529900T8BM49AURSDO55'];

type Command =
  | { op: 'capture'; slot: number; side: 'BUY' | 'SELL'; quantity: number; cents: number; book: number; isin: number; counterparty: number }
  | { op: 'amend'; slot: number; quantity: number; cents: number; book: number }
  | { op: 'cancel'; slot: number }
  | { op: 'settle'; slot: number; percent: number }
  | { op: 'redeliver'; index: number };

const slot = fc.integer({ min: 0, max: 3 });
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    op: fc.constant('capture' as const),
    slot,
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    quantity: fc.integer({ min: 1, max: 5000 }),
    cents: fc.integer({ min: 1, max: 50_000 }),
    book: fc.nat(1),
    isin: fc.nat(1),
    counterparty: fc.nat(1),
  }),
  fc.record({ op: fc.constant('amend' as const), slot, quantity: fc.integer({ min: 1, max: 5000 }), cents: fc.integer({ min: 1, max: 50_000 }), book: fc.nat(1) }),
  fc.record({ op: fc.constant('cancel' as const), slot }),
  fc.record({ op: fc.constant('settle' as const), slot, percent: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ op: fc.constant('redeliver' as const), index: fc.nat() }),
);

/** What the trades are, independently of the ledger: the expectation the books must agree with. */
interface ModelTrade {
  live: boolean;
  version: number;
  side: 'BUY' | 'SELL';
  book: string;
  isin: string;
  counterpartyLei: string;
  quantity: Decimal;
  netAmount: Decimal;
  settledQuantity: Decimal;
  settledAmount: Decimal;
}

/** Turns commands into the events upstream services would send, skipping commands that make no sense at that point. */
function eventsFor(commands: Command[]): { events: LedgerInput[]; model: Map<string, ModelTrade> } {
  const model = new Map<string, ModelTrade>();
  const events: LedgerInput[] = [];
  const zero = new Decimal(0);
  for (const c of commands) {
    if (c.op === 'redeliver') {
      if (events.length > 0) events.push(events[c.index % events.length]);
      continue;
    }
    const tradeId = `T-${c.slot}`;
    const trade = model.get(tradeId);
    const termsOf = (t: ModelTrade) =>
      terms({ tradeId, version: t.version, side: t.side, book: t.book, isin: t.isin, counterpartyLei: t.counterpartyLei, quantity: t.quantity.toFixed(), netAmount: t.netAmount.toFixed() });
    if (c.op === 'capture' && !trade) {
      const quantity = new Decimal(c.quantity);
      const captured: ModelTrade = {
        live: true,
        version: 1,
        side: c.side,
        book: BOOKS[c.book],
        isin: ISINS[c.isin],
        counterpartyLei: COUNTERPARTIES[c.counterparty],
        quantity,
        netAmount: quantity.times(c.cents).div(100),
        settledQuantity: zero,
        settledAmount: zero,
      };
      model.set(tradeId, captured);
      events.push(tradeEvent('CAPTURED', termsOf(captured)));
    } else if (c.op === 'amend' && trade?.live) {
      const settling = trade.settledQuantity.gt(0) || trade.settledAmount.gt(0);
      // Once settlement began, only the amounts may change, and never below what settled.
      const quantity = settling ? trade.settledQuantity.plus(c.quantity) : new Decimal(c.quantity);
      const netAmount = settling ? trade.settledAmount.plus(new Decimal(c.quantity).times(c.cents).div(100)) : quantity.times(c.cents).div(100);
      Object.assign(trade, { version: trade.version + 1, quantity, netAmount, book: settling ? trade.book : BOOKS[c.book] });
      events.push(tradeEvent('AMENDED', termsOf(trade), '2026-11-24T10:00:00Z'));
    } else if (c.op === 'cancel' && trade?.live) {
      Object.assign(trade, { version: trade.version + 1, live: false });
      events.push(tradeEvent('CANCELLED', termsOf(trade), '2026-11-25T10:00:00Z'));
    } else if (c.op === 'settle' && trade?.live && trade.quantity.gt(trade.settledQuantity)) {
      const remainingQuantity = trade.quantity.minus(trade.settledQuantity);
      const remainingAmount = trade.netAmount.minus(trade.settledAmount);
      if (c.percent === 100) {
        events.push(settlement([tradeId], { final: true, isin: trade.isin }));
        Object.assign(trade, { settledQuantity: trade.quantity, settledAmount: trade.netAmount });
      } else {
        const quantity = Decimal.max(1, remainingQuantity.times(c.percent).div(100).floor());
        const amount = remainingAmount.times(quantity).div(remainingQuantity).toDecimalPlaces(2, Decimal.ROUND_DOWN);
        events.push(settlement([tradeId], { quantity: quantity.toFixed(), amount: amount.toFixed(), isin: trade.isin }));
        Object.assign(trade, { settledQuantity: trade.settledQuantity.plus(quantity), settledAmount: trade.settledAmount.plus(amount) });
      }
    }
  }
  return { events, model };
}

/** The ledger as the service keeps it: booked trades and the journal, applied in batches. */
class Books {
  readonly trades = new Map<string, BookedTrade>();
  readonly journal: JournalEntryDraft[] = [];
  private readonly bookedEventIds = new Set<string>();

  applyBatch(inputs: LedgerInput[]): void {
    const bookkeeper = new Bookkeeper(this.trades, (id) => this.bookedEventIds.has(id));
    for (const input of inputs) bookkeeper.apply(input);
    for (const entry of bookkeeper.entries) {
      this.journal.push(entry);
      this.bookedEventIds.add(entry.eventId);
    }
  }

  apply(inputs: LedgerInput[], batchSize: number): void {
    for (let i = 0; i < inputs.length; i += batchSize) this.applyBatch(inputs.slice(i, i + batchSize));
  }

  /** Sum of legs per `account|asset` for the accounts a predicate selects. */
  balance(account: string, asset: string): Decimal {
    let sum = new Decimal(0);
    for (const entry of this.journal) for (const l of entry.legs) if (l.account.code === account && l.asset === asset) sum = sum.plus(l.amount);
    return sum;
  }

  snapshot(): string {
    const trades = [...this.trades].map(([id, t]) => [id, t.terms.version, t.cancelled, t.settledQuantity.toFixed(), t.settledAmount.toFixed()]);
    return JSON.stringify({ trades, entries: this.journal.length });
  }
}

function signed(side: 'BUY' | 'SELL', amount: Decimal): Decimal {
  return side === 'BUY' ? amount : amount.negated();
}

describe('the ledger under random sequences of captures, amendments, cancellations and (partial) settlements', () => {
  const scenario = fc.record({ commands: fc.array(command, { minLength: 1, maxLength: 40 }), batchSize: fc.integer({ min: 1, max: 8 }), replayUpTo: fc.nat() });

  it('balances every entry per asset', () => {
    fc.assert(
      fc.property(scenario, ({ commands, batchSize }) => {
        const books = new Books();
        books.apply(eventsFor(commands).events, batchSize);
        for (const entry of books.journal) expect([...imbalances(entry.legs)]).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the trade-date position and cash equal to the sum over live trades and the settled part of cancelled ones', () => {
    fc.assert(
      fc.property(scenario, ({ commands, batchSize }) => {
        const { events, model } = eventsFor(commands);
        const books = new Books();
        books.apply(events, batchSize);
        for (const book of BOOKS) {
          for (const isin of ISINS) {
            // A cancelled trade keeps what settled before the cancellation: the depository's fact.
            const expected = [...model.values()].filter((t) => t.book === book && t.isin === isin).reduce((sum, t) => sum.plus(signed(t.side, t.live ? t.quantity : t.settledQuantity)), new Decimal(0));
            const position = books.balance(`book:${book}:securities-pending`, isin).plus(books.balance(`book:${book}:securities-settled`, isin));
            expect(position.toFixed()).toBe(expected.toFixed());
          }
          const expectedCash = [...model.values()].filter((t) => t.book === book).reduce((sum, t) => sum.minus(signed(t.side, t.live ? t.netAmount : t.settledAmount)), new Decimal(0));
          const cash = books.balance(`book:${book}:cash-pending`, 'USD').plus(books.balance(`book:${book}:cash-settled`, 'USD'));
          expect(cash.toFixed()).toBe(expectedCash.toFixed());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the settlement-date position and cash equal to the sum of what settled, cancelled trades included', () => {
    fc.assert(
      fc.property(scenario, ({ commands, batchSize }) => {
        const { events, model } = eventsFor(commands);
        const books = new Books();
        books.apply(events, batchSize);
        for (const book of BOOKS) {
          for (const isin of ISINS) {
            const expected = [...model.values()].filter((t) => t.book === book && t.isin === isin).reduce((sum, t) => sum.plus(signed(t.side, t.settledQuantity)), new Decimal(0));
            expect(books.balance(`book:${book}:securities-settled`, isin).toFixed()).toBe(expected.toFixed());
          }
          const expectedCash = [...model.values()].filter((t) => t.book === book).reduce((sum, t) => sum.minus(signed(t.side, t.settledAmount)), new Decimal(0));
          expect(books.balance(`book:${book}:cash-settled`, 'USD').toFixed()).toBe(expectedCash.toFixed());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('changes nothing when any prefix of the events is delivered again', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 8 }), ({ commands, batchSize, replayUpTo }, replayBatchSize) => {
        const { events } = eventsFor(commands);
        const books = new Books();
        books.apply(events, batchSize);
        const before = books.snapshot();
        books.apply(events.slice(0, replayUpTo % (events.length + 1)), replayBatchSize);
        expect(books.snapshot()).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

});
