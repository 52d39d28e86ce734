import type { Decimal } from '@postrade/kernel';
import { Accounts } from './accounts';
import { leg, type Leg } from './legs';
import type { PenaltyEvent, TradeTerms } from './ledger-inputs';

/** +1 for a BUY (securities in, cash out of the book), −1 for a SELL. */
function direction(side: TradeTerms['side']): 1 | -1 {
  return side === 'BUY' ? 1 : -1;
}

/**
 * Trade-date view of one trade version: the book's position changes by ±quantity and its cash by
 * ∓net amount, each against the counterparty's pending-settlement account. A FOP trade moves
 * securities only: no cash is pending for it, so none is booked.
 */
export function tradeDateLegs(trade: TradeTerms): Leg[] {
  const s = direction(trade.side);
  const quantity = trade.quantity.times(s);
  const cash = trade.netAmount.times(s);
  const securities = [
    leg(Accounts.securitiesPending(trade.book), trade.isin, quantity),
    leg(Accounts.pendingSettlement(trade.counterpartyLei), trade.isin, quantity.negated()),
  ];
  if (trade.freeOfPayment) return securities;
  return [
    ...securities,
    leg(Accounts.pendingSettlement(trade.counterpartyLei), trade.currency, cash),
    leg(Accounts.cashPending(trade.book), trade.currency, cash.negated()),
  ];
}

/**
 * Settlement-date view: what settled moves from the pending accounts into the book's settled
 * securities and cash, and the counterparty's pending balance turns into a settled movement.
 */
export function settlementLegs(trade: TradeTerms, settledQuantity: Decimal, settledAmount: Decimal): Leg[] {
  const s = direction(trade.side);
  const quantity = settledQuantity.times(s);
  const cash = settledAmount.times(s);
  return [
    leg(Accounts.securitiesSettled(trade.book), trade.isin, quantity),
    leg(Accounts.securitiesPending(trade.book), trade.isin, quantity.negated()),
    leg(Accounts.pendingSettlement(trade.counterpartyLei), trade.isin, quantity),
    leg(Accounts.settledWith(trade.counterpartyLei), trade.isin, quantity.negated()),
    leg(Accounts.cashPending(trade.book), trade.currency, cash),
    leg(Accounts.cashSettled(trade.book), trade.currency, cash.negated()),
    leg(Accounts.settledWith(trade.counterpartyLei), trade.currency, cash),
    leg(Accounts.pendingSettlement(trade.counterpartyLei), trade.currency, cash.negated()),
  ];
}

/** A penalty we pay is a house expense owed to the counterparty; one we receive, the reverse. */
export function penaltyLegs(penalty: Pick<PenaltyEvent, 'counterpartyLei' | 'amount' | 'currency' | 'direction'>): Leg[] {
  const owedByHouse = penalty.direction === 'PAY' ? penalty.amount : penalty.amount.negated();
  return [
    leg(Accounts.housePenalties(), penalty.currency, owedByHouse),
    leg(Accounts.penaltiesWith(penalty.counterpartyLei), penalty.currency, owedByHouse.negated()),
  ];
}
