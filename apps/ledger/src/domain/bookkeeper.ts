import { Decimal, DomainError, toDecimalString } from '@postrade/kernel';
import { differenceOf, negateLegs, netLegs, assertBalancedPerAsset, type Leg } from './legs';
import type { LedgerInput, PenaltyEvent, SettlementEvent, TradeEvent, TradeTerms } from './ledger-inputs';
import { penaltyLegs, settlementLegs, tradeDateLegs } from './posting-rules';

/** What the ledger has booked for one trade: the version its trade-date legs reflect, and what settled. */
export interface BookedTrade {
  terms: TradeTerms;
  cancelled: boolean;
  /** The day the cancellation took effect (its reversal's date); null while the trade is live. */
  cancelledOn: string | null;
  settledQuantity: Decimal;
  settledAmount: Decimal;
}

/** A journal entry before it is chained and stored. */
export interface JournalEntryDraft {
  /** The `ce_id` of the event that caused the entry. */
  eventId: string;
  /** 0, or the position of the trade within a net instruction's settlement (one entry per trade). */
  eventPart: number;
  eventType: string;
  tradeId: string | null;
  instructionId: string | null;
  effectiveDate: string;
  legs: Leg[];
}

/**
 * What the ledger raises for operations when its books and the trade disagree because the
 * depository's fact wins: a trade cancelled after part of it settled (the settled part stays), or
 * a settlement reported for a trade already cancelled (booked all the same).
 */
export type LedgerExceptionKind = 'SETTLED_BEFORE_CANCELLATION' | 'SETTLED_AFTER_CANCELLATION';

export interface LedgerExceptionDraft {
  /** The event that raised it (the cancellation, or the late settlement). */
  eventId: string;
  kind: LedgerExceptionKind;
  tradeId: string;
  instructionId: string | null;
  book: string;
  isin: string;
  currency: string;
  /** What stays settled: in total before the cancellation, or what the late settlement settled. */
  quantity: Decimal;
  amount: Decimal;
  effectiveDate: string;
  detail: string;
}

/** An assessed penalty as booked, kept until the CSD's monthly collection pays or receives it. */
export interface PenaltyAccrualDraft {
  penaltyId: string;
  eventId: string;
  instructionId: string;
  csd: string | null;
  /** YYYY-MM of the penalty's day: the CSD's monthly collection it belongs to. */
  month: string;
  counterpartyLei: string;
  currency: string;
  direction: 'PAY' | 'RECEIVE';
  amount: Decimal;
  date: string;
}

export type BookingOutcome =
  | { kind: 'booked'; entries: number }
  | { kind: 'nothing-to-book'; reason: string }
  | { kind: 'already-booked' }
  /** A settlement whose trades the ledger has not seen yet: park it until they arrive. */
  | { kind: 'waiting'; forTradeIds: string[] };

const ZERO = new Decimal(0);

/** The day a correction (amendment, cancellation) takes effect: when it was made, never before the trade date. */
function correctionDate(event: TradeEvent): string {
  const madeOn = new Date(event.updatedAt).toISOString().slice(0, 10);
  return madeOn > event.terms.tradeDate ? madeOn : event.terms.tradeDate;
}

/** The part of a trade that has not settled, as terms of its own (what a cancellation reverses). */
function unsettledPart(trade: BookedTrade): TradeTerms {
  return { ...trade.terms, quantity: trade.terms.quantity.minus(trade.settledQuantity), netAmount: trade.terms.netAmount.minus(trade.settledAmount) };
}

function sameEconomicParties(a: TradeTerms, b: TradeTerms): boolean {
  return a.book === b.book && a.isin === b.isin && a.currency === b.currency && a.counterpartyLei === b.counterpartyLei && a.side === b.side;
}

const settledSomething = (trade: BookedTrade): boolean => trade.settledQuantity.gt(0) || trade.settledAmount.gt(0);

/**
 * The posting rules applied to a run of ledger inputs, in order, against the trades the ledger has
 * booked. Pure: the caller loads the trades it names and whether an event was already booked,
 * applies the inputs, then stores `entries` and the trades in `changedTradeIds`.
 *
 * - capture: the trade-date legs of the trade;
 * - amendment: the difference between the new version's trade-date legs and the booked version's;
 * - cancellation: the reversal of what the trade booked and has not settled (the settled part stays);
 * - (partial) settlement: the settled quantity and amount move from pending to settled (FOP: the
 *   quantity only);
 * - penalty: to the house penalty account against the counterparty, and kept as an accrual
 *   (`penalties`) until the CSD's monthly collection moves it to cash;
 * - enriched, instructed, failed, settlement-cancelled: nothing.
 *
 * A FOP trade books no cash on any path (trade date, settlement, amendment, cancellation). What
 * settled before a cancellation, or is reported settled after it, stays booked and is raised for
 * operations (`exceptions`).
 */
export class Bookkeeper {
  readonly entries: JournalEntryDraft[] = [];
  readonly exceptions: LedgerExceptionDraft[] = [];
  readonly penalties: PenaltyAccrualDraft[] = [];
  readonly changedTradeIds = new Set<string>();
  private readonly bookedHere = new Set<string>();

  constructor(
    private readonly trades: Map<string, BookedTrade>,
    private readonly alreadyBooked: (eventId: string) => boolean,
  ) {}

  trade(tradeId: string): BookedTrade | undefined {
    return this.trades.get(tradeId);
  }

  apply(input: LedgerInput): BookingOutcome {
    if (this.alreadyBooked(input.eventId) || this.bookedHere.has(input.eventId)) return { kind: 'already-booked' };
    switch (input.kind) {
      case 'trade':
        return this.applyTradeEvent(input);
      case 'settlement':
        return this.applySettlement(input);
      case 'penalty':
        return this.applyPenalty(input);
      case 'no-booking':
        return { kind: 'nothing-to-book', reason: `${input.eventType} moves nothing in the books` };
    }
  }

  private applyTradeEvent(event: TradeEvent): BookingOutcome {
    const { terms } = event;
    if (event.action === 'ENRICHED') return { kind: 'nothing-to-book', reason: 'an enriched trade (SSIs filled in, same version) changes no amounts' };
    const current = this.trades.get(terms.tradeId);
    if (current && terms.version <= current.terms.version) {
      return { kind: 'nothing-to-book', reason: `version ${terms.version} is already reflected: the ledger has booked version ${current.terms.version}` };
    }
    if (current?.cancelled) {
      throw DomainError.unprocessable(`trade ${terms.tradeId} is cancelled; version ${terms.version} cannot be booked`, [
        { field: 'version', message: 'follows a cancellation' },
      ]);
    }

    if (event.action === 'CANCELLED') {
      // What settled at the depository stays settled (the ledger agrees with the depository; the
      // settled part is a break for operations): only the unsettled remainder is reversed.
      // Netted: a fully settled trade leaves nothing to reverse (no zero postings).
      const legs = current ? netLegs(negateLegs(tradeDateLegs(unsettledPart(current)))) : [];
      const cancelledOn = correctionDate(event);
      if (current && settledSomething(current)) this.raiseSettledBeforeCancellation(event, current, cancelledOn);
      this.setTrade({
        terms: { ...(current?.terms ?? terms), version: terms.version },
        cancelled: true,
        cancelledOn,
        settledQuantity: current?.settledQuantity ?? ZERO,
        settledAmount: current?.settledAmount ?? ZERO,
      });
      return this.book(event, terms.tradeId, null, cancelledOn, [{ part: 0, legs }]);
    }

    if (current && settledSomething(current)) this.assertAmendableAfterSettlement(current, terms);
    const legs = differenceOf(tradeDateLegs(terms), current ? tradeDateLegs(current.terms) : []);
    this.setTrade({ terms, cancelled: false, cancelledOn: null, settledQuantity: current?.settledQuantity ?? ZERO, settledAmount: current?.settledAmount ?? ZERO });
    return this.book(event, terms.tradeId, null, current ? correctionDate(event) : terms.tradeDate, [{ part: 0, legs }]);
  }

  /** Settled legs stay on the accounts they were booked to, so what settled can no longer move. */
  private assertAmendableAfterSettlement(current: BookedTrade, amended: TradeTerms): void {
    if (!sameEconomicParties(current.terms, amended)) {
      throw DomainError.unprocessable(`trade ${amended.tradeId} has partly settled; its book, ISIN, currency, counterparty and side can no longer change`, [
        { field: 'book', message: 'cannot change after settlement began' },
      ]);
    }
    if (current.terms.freeOfPayment !== amended.freeOfPayment) {
      throw DomainError.unprocessable(`trade ${amended.tradeId} has partly settled; its settlementType (DVP or FOP) can no longer change`, [
        { field: 'settlementType', message: 'cannot change after settlement began' },
      ]);
    }
    if (amended.quantity.lt(current.settledQuantity) || amended.netAmount.lt(current.settledAmount)) {
      throw DomainError.unprocessable(
        `trade ${amended.tradeId}: amended quantity ${toDecimalString(amended.quantity)} / net amount ${toDecimalString(amended.netAmount)} is below what already settled (${toDecimalString(current.settledQuantity)} / ${toDecimalString(current.settledAmount)})`,
        [{ field: 'quantity', message: 'below the settled quantity' }],
      );
    }
  }

  private applySettlement(event: SettlementEvent): BookingOutcome {
    if (event.tradeIds.length === 0) throw DomainError.invalid('tradeIds', 'a settlement must name the trades it settles');
    const missing = event.tradeIds.filter((id) => !this.trades.has(id));
    if (missing.length > 0) return { kind: 'waiting', forTradeIds: missing };
    const trades = event.tradeIds.map((id) => this.trades.get(id)!);
    for (const trade of trades) {
      if (trade.terms.isin !== event.isin || trade.terms.currency !== event.currency) {
        throw DomainError.unprocessable(
          `instruction ${event.instructionId} settles ${event.isin}/${event.currency} but trade ${trade.terms.tradeId} is ${trade.terms.isin}/${trade.terms.currency}`,
          [{ field: 'isin', message: 'differs from the trade' }],
        );
      }
    }
    const allocations = this.allocate(event, trades);
    for (const { trade, quantity, amount } of allocations) {
      const remainingQuantity = trade.terms.quantity.minus(trade.settledQuantity);
      const remainingAmount = trade.terms.netAmount.minus(trade.settledAmount);
      if (quantity.isNegative() || amount.isNegative()) throw DomainError.invalid('change.settledQuantity', 'settled quantity and amount must not be negative');
      if (quantity.gt(remainingQuantity) || amount.gt(remainingAmount)) {
        throw DomainError.unprocessable(
          `instruction ${event.instructionId} would settle ${toDecimalString(quantity)} / ${toDecimalString(amount)} of trade ${trade.terms.tradeId}, which has ${toDecimalString(remainingQuantity)} / ${toDecimalString(remainingAmount)} left`,
          [{ field: 'change.settledQuantity', message: 'more than remains to settle' }],
        );
      }
    }
    const parts = allocations.map(({ trade, quantity, amount }, part) => {
      this.setTrade({ ...trade, settledQuantity: trade.settledQuantity.plus(quantity), settledAmount: trade.settledAmount.plus(amount) });
      return { part, trade, quantity, amount, legs: netLegs(settlementLegs(trade.terms, quantity, amount)) };
    });
    let booked = 0;
    for (const { part, trade, quantity, amount, legs } of parts) {
      // The depository's fact wins over a cancellation that reached the ledger first: its reversal
      // took the whole trade off the trade-date view, so what settled is put back there as of the
      // cancellation's day (the same books as had the settlement arrived first), then settled.
      if (trade.cancelled && trade.cancelledOn !== null) {
        const reinstated = netLegs(tradeDateLegs({ ...trade.terms, quantity, netAmount: amount }));
        const outcome = this.book(event, trade.terms.tradeId, event.instructionId, trade.cancelledOn, [{ part: parts.length + part, legs: reinstated }]);
        if (outcome.kind === 'booked') booked += outcome.entries;
      }
      if (trade.cancelled) this.raiseSettledAfterCancellation(event, trade, quantity, amount);
      const outcome = this.book(event, trade.terms.tradeId, event.instructionId, event.effectiveDate, [{ part, legs }]);
      if (outcome.kind === 'booked') booked += outcome.entries;
    }
    return booked > 0 ? { kind: 'booked', entries: booked } : { kind: 'nothing-to-book', reason: 'nothing settled' };
  }

  /** What each trade of the instruction settles in this update. */
  private allocate(event: SettlementEvent, trades: BookedTrade[]): { trade: BookedTrade; quantity: Decimal; amount: Decimal }[] {
    // FOP on either side (the instruction's type, or the trade's settlement type) moves no cash.
    return this.allocateAsReported(event, trades).map((a) => (event.freeOfPayment || a.trade.terms.freeOfPayment ? { ...a, amount: ZERO } : a));
  }

  private allocateAsReported(event: SettlementEvent, trades: BookedTrade[]): { trade: BookedTrade; quantity: Decimal; amount: Decimal }[] {
    const remainder = (trade: BookedTrade) => ({
      trade,
      quantity: trade.terms.quantity.minus(trade.settledQuantity),
      amount: trade.terms.netAmount.minus(trade.settledAmount),
    });
    if (trades.length > 1) {
      // A net instruction says how much of the net settled, not which trade's share: only its
      // completion tells us each trade settled in full.
      if (!event.final) {
        throw DomainError.unprocessable(`a partial settlement of net instruction ${event.instructionId} cannot be allocated to its ${trades.length} trades`, [
          { field: 'change.settledQuantity', message: 'partial settlement of a net instruction' },
        ]);
      }
      return trades.map(remainder);
    }
    const [trade] = trades;
    if (event.final && event.settledQuantity === undefined && event.settledAmount === undefined) return [remainder(trade)];
    // FOP settles no cash, so an update of it needs no amount (allocate zeroes any it names).
    if (event.settledQuantity !== undefined && event.settledAmount === undefined && (event.freeOfPayment || trade.terms.freeOfPayment)) {
      return [{ trade, quantity: event.settledQuantity, amount: ZERO }];
    }
    if (event.settledQuantity === undefined || event.settledAmount === undefined) {
      throw DomainError.invalid('change.settledQuantity', 'a partial settlement must carry the settled quantity and amount');
    }
    return [{ trade, quantity: event.settledQuantity, amount: event.settledAmount }];
  }

  private applyPenalty(event: PenaltyEvent): BookingOutcome {
    if (!event.amount.gt(0)) throw DomainError.invalid('change.penalty.amount', 'must be positive');
    const tradeId = event.tradeIds.length === 1 ? event.tradeIds[0] : null;
    const outcome = this.book(event, tradeId, event.instructionId, event.date, [{ part: 0, legs: penaltyLegs(event) }]);
    if (outcome.kind === 'booked') {
      this.penalties.push({
        penaltyId: event.penaltyId,
        eventId: event.eventId,
        instructionId: event.instructionId,
        csd: event.csd,
        month: event.date.slice(0, 7),
        counterpartyLei: event.counterpartyLei,
        currency: event.currency,
        direction: event.direction,
        amount: event.amount,
        date: event.date,
      });
    }
    return outcome;
  }

  private raiseSettledBeforeCancellation(event: TradeEvent, trade: BookedTrade, cancelledOn: string): void {
    const { terms } = trade;
    const reversed = unsettledPart(trade);
    this.exceptions.push({
      eventId: event.eventId,
      kind: 'SETTLED_BEFORE_CANCELLATION',
      tradeId: terms.tradeId,
      instructionId: null,
      book: terms.book,
      isin: terms.isin,
      currency: terms.currency,
      quantity: trade.settledQuantity,
      amount: trade.settledAmount,
      effectiveDate: cancelledOn,
      detail:
        `trade ${terms.tradeId} was cancelled after ${toDecimalString(trade.settledQuantity)} of ${toDecimalString(terms.quantity)} settled ` +
        `(amount ${toDecimalString(trade.settledAmount)}): the settled part stays as the depository settled it; ` +
        `${toDecimalString(reversed.quantity)} ${terms.freeOfPayment ? '' : `(amount ${toDecimalString(reversed.netAmount)}) `}not settled was reversed`,
    });
  }

  private raiseSettledAfterCancellation(event: SettlementEvent, trade: BookedTrade, quantity: Decimal, amount: Decimal): void {
    const { terms } = trade;
    this.exceptions.push({
      eventId: event.eventId,
      kind: 'SETTLED_AFTER_CANCELLATION',
      tradeId: terms.tradeId,
      instructionId: event.instructionId,
      book: terms.book,
      isin: terms.isin,
      currency: terms.currency,
      quantity,
      amount,
      effectiveDate: event.effectiveDate,
      detail:
        `instruction ${event.instructionId} settled ${toDecimalString(quantity)} (amount ${toDecimalString(amount)}) of trade ${terms.tradeId} ` +
        `after the trade was cancelled${trade.cancelledOn ? ` on ${trade.cancelledOn}` : ''}: booked as the depository settled it`,
    });
  }

  private setTrade(trade: BookedTrade): void {
    this.trades.set(trade.terms.tradeId, trade);
    this.changedTradeIds.add(trade.terms.tradeId);
  }

  private book(
    event: LedgerInput,
    tradeId: string | null,
    instructionId: string | null,
    effectiveDate: string,
    parts: { part: number; legs: Leg[] }[],
  ): BookingOutcome {
    let entries = 0;
    for (const { part, legs } of parts) {
      if (legs.length === 0) continue;
      assertBalancedPerAsset(legs);
      this.entries.push({ eventId: event.eventId, eventPart: part, eventType: event.eventType, tradeId, instructionId, effectiveDate, legs });
      entries++;
    }
    if (entries === 0) return { kind: 'nothing-to-book', reason: 'the booked amounts do not change' };
    this.bookedHere.add(event.eventId);
    return { kind: 'booked', entries };
  }
}
