import { Decimal, DomainError, minorUnits, toDecimalString } from '@postrade/kernel';
import { Accounts } from './accounts';
import { leg, netLegs, type Leg } from './legs';

/** An assessed penalty not collected yet, as the ledger booked it. */
export interface AccruedPenalty {
  penaltyId: string;
  counterpartyLei: string;
  direction: 'PAY' | 'RECEIVE';
  /** Positive. */
  amount: Decimal;
  currency: string;
}

/** What operations say the CSD's monthly collection paid (PAY) or credited (RECEIVE), in one currency. */
export interface StatedCollection {
  currency: string;
  direction: 'PAY' | 'RECEIVE';
  /** Positive or zero. */
  amount: Decimal;
}

/** What the house owes for a penalty: positive when it pays, negative when it receives. */
const owedByHouse = (p: AccruedPenalty): Decimal => (p.direction === 'PAY' ? p.amount : p.amount.negated());

/**
 * The CSD's monthly collection of the penalties accrued for one month: each counterparty's penalty
 * account (the payable or receivable the assessments booked) is cleared of those penalties, and
 * their net moves to the house's cash. The stated amount and direction must be the accrued net
 * exactly: a collection that differs is refused, naming what accrued, so that the difference is
 * investigated (reconciliation of penalties) rather than booked blind.
 */
export function penaltyCollection(stated: StatedCollection, accrued: readonly AccruedPenalty[]): { legs: Leg[]; net: Decimal } {
  if (accrued.length === 0) throw DomainError.unprocessable('no accrued penalties to collect for this CSD, month and currency', [{ field: 'month', message: 'nothing accrued' }]);
  const other = accrued.find((p) => p.currency !== stated.currency);
  if (other) throw DomainError.invalid('currency', `penalty ${other.penaltyId} is in ${other.currency}, not ${stated.currency}`);

  const perCounterparty = new Map<string, Decimal>();
  for (const p of accrued) perCounterparty.set(p.counterpartyLei, owedByHouse(p).plus(perCounterparty.get(p.counterpartyLei) ?? 0));
  const net = [...perCounterparty.values()].reduce((sum, v) => sum.plus(v), new Decimal(0));
  const accruedDirection = net.isNegative() ? 'RECEIVE' : 'PAY';
  const accruedText = `${accruedDirection} ${toDecimalString(net.abs(), minorUnits(stated.currency))} ${stated.currency} over ${accrued.length} penalties`;
  if (!net.isZero() && stated.direction !== accruedDirection) {
    throw DomainError.unprocessable(`the accrued penalties net to ${accruedText}, not ${stated.direction}`, [{ field: 'direction', message: `the accrued net is ${accruedDirection}` }]);
  }
  if (!stated.amount.eq(net.abs())) {
    throw DomainError.unprocessable(`the accrued penalties net to ${accruedText}, not ${stated.direction} ${toDecimalString(stated.amount, minorUnits(stated.currency))}`, [
      { field: 'amount', message: `the accrued net is ${toDecimalString(net.abs(), minorUnits(stated.currency))}` },
    ]);
  }

  const counterparties = [...perCounterparty.keys()].sort();
  const legs = netLegs([
    ...counterparties.map((lei) => leg(Accounts.penaltiesWith(lei), stated.currency, perCounterparty.get(lei)!)),
    leg(Accounts.houseCash(), stated.currency, net.negated()),
  ]);
  return { legs, net };
}
