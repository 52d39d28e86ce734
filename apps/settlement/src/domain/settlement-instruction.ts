import { Decimal, minorUnits, parseDecimal, toDecimalString, type LocalDate } from '@postrade/kernel';
import type { CsdrCategory, InstructionDirection, PenaltyDirection, PriceType, SettlementMarket, SettlementType } from '@postrade/contracts';
import type { SettlementTradeTerms, Ssi } from './settlement-trade';

/** What an instruction asks the depository to settle, derived from the trade(s) it settles. */
export interface InstructionTerms {
  tradeIds: string[];
  type: SettlementType;
  /** Securities: DELIVER for a (net) sale, RECEIVE for a (net) purchase. */
  direction: InstructionDirection;
  /** Cash: PAY for a purchase, RECEIVE for a sale (a net instruction's cash can go either way). */
  cashDirection: PenaltyDirection;
  isin: string;
  quantity: string;
  settlementAmount: string;
  accruedInterest: string;
  currency: string;
  intendedSettlementDate: LocalDate;
  settlementMarket: SettlementMarket;
  counterpartyLei: string;
  legalEntityLei: string;
  csdrCategory: CsdrCategory | null;
  priceType: PriceType | null;
  netted: boolean;
  ssis: { ours: Ssi | null; theirs: Ssi | null };
}

/** Securities and cash from our book's point of view: + we receive, − we deliver or pay. */
export interface SignedMovement {
  quantity: Decimal;
  cash: Decimal;
}

export function signedMovementOfTrade(trade: Pick<SettlementTradeTerms, 'side' | 'quantity' | 'netAmount'>): SignedMovement {
  const quantity = parseDecimal(trade.quantity, 'quantity');
  const cash = parseDecimal(trade.netAmount, 'netAmount');
  return trade.side === 'BUY' ? { quantity, cash: cash.negated() } : { quantity: quantity.negated(), cash };
}

export function signedMovementOfInstruction(terms: Pick<InstructionTerms, 'direction' | 'cashDirection' | 'quantity' | 'settlementAmount'>): SignedMovement {
  const quantity = parseDecimal(terms.quantity, 'quantity');
  const cash = parseDecimal(terms.settlementAmount, 'settlementAmount');
  return {
    quantity: terms.direction === 'RECEIVE' ? quantity : quantity.negated(),
    cash: terms.cashDirection === 'RECEIVE' ? cash : cash.negated(),
  };
}

/** The group of a trade that settles alone: that trade is its only possible member. */
export function soleGroupKey(tradeId: string): string {
  return `trade:${tradeId}`;
}

/** True for the group of one trade alone (see `soleGroupKey`), false for a netting group. */
export function isSoleGroupKey(groupKey: string): boolean {
  return groupKey.startsWith('trade:');
}

/**
 * Which trades may settle together. With netting on for the counterparty: same counterparty,
 * ISIN, currency and ISD (DOMAIN.md), and, since one instruction moves one pair of accounts, the
 * same legal entity of ours and settlement type. Without netting every trade settles alone.
 */
export function settlementGroupKey(trade: SettlementTradeTerms, nettingEnabled: boolean): string {
  if (!nettingEnabled) return soleGroupKey(trade.tradeId);
  return ['net', trade.counterpartyLei, trade.legalEntityLei, trade.isin, trade.currency, trade.intendedSettlementDate, trade.settlementType].join(':');
}

/**
 * The instruction that settles these trades: one trade as it is, several netted so that the
 * instruction's signed quantity and cash equal the sums over its trades, exactly.
 */
export function instructionTermsFor(trades: readonly SettlementTradeTerms[]): InstructionTerms {
  if (trades.length === 0) throw new Error('an instruction settles at least one trade');
  const sorted = [...trades].sort((a, b) => (a.tradeId < b.tradeId ? -1 : a.tradeId > b.tradeId ? 1 : 0));
  const first = sorted[0];
  let quantity = new Decimal(0);
  let cash = new Decimal(0);
  let accrued = new Decimal(0);
  for (const trade of sorted) {
    const movement = signedMovementOfTrade(trade);
    quantity = quantity.plus(movement.quantity);
    cash = cash.plus(movement.cash);
    const tradeAccrued = parseDecimal(trade.accruedInterest, 'accruedInterest');
    accrued = accrued.plus(trade.side === 'BUY' ? tradeAccrued.negated() : tradeAccrued);
  }
  // A net of zero securities is a cash-only pair-off: the securities direction then follows the
  // cash as in a purchase (we pay → RECEIVE) or a sale (we are paid → DELIVER).
  const receives = quantity.isZero() ? cash.isNegative() : quantity.isPositive();
  const allHave = (side: 'ours' | 'theirs') => sorted.every((t) => t.ssis[side] !== null);
  return {
    tradeIds: sorted.map((t) => t.tradeId),
    type: first.settlementType,
    direction: receives ? 'RECEIVE' : 'DELIVER',
    cashDirection: cash.isNegative() ? 'PAY' : 'RECEIVE',
    isin: first.isin,
    quantity: toDecimalString(quantity.abs()),
    settlementAmount: toDecimalString(cash.abs(), minorUnits(first.currency)),
    accruedInterest: toDecimalString(accrued.abs(), minorUnits(first.currency)),
    currency: first.currency,
    intendedSettlementDate: first.intendedSettlementDate,
    settlementMarket: first.settlementMarket,
    counterpartyLei: first.counterpartyLei,
    legalEntityLei: first.legalEntityLei,
    csdrCategory: first.csdrCategory,
    priceType: first.priceType,
    netted: sorted.length > 1,
    ssis: { ours: allHave('ours') ? first.ssis.ours : null, theirs: allHave('theirs') ? first.ssis.theirs : null },
  };
}

/** Both SSIs are on file: the instruction can go to the custodian. */
export function hasBothSsis(terms: Pick<InstructionTerms, 'ssis'>): boolean {
  return terms.ssis.ours !== null && terms.ssis.theirs !== null;
}

/** Equal as instructions: same trades and same settlement terms, compared by value. */
export function sameInstructionTerms(a: InstructionTerms, b: InstructionTerms): boolean {
  const num = (x: string, y: string) => new Decimal(x).equals(new Decimal(y));
  const ssi = (s: Ssi | null) => (s === null ? '' : `${s.agentBic}|${s.safekeepingAccount}|${s.cashAccount}|${s.placeOfSettlement}`);
  return (
    a.tradeIds.join(',') === b.tradeIds.join(',') &&
    a.type === b.type &&
    a.direction === b.direction &&
    a.cashDirection === b.cashDirection &&
    a.isin === b.isin &&
    num(a.quantity, b.quantity) &&
    num(a.settlementAmount, b.settlementAmount) &&
    num(a.accruedInterest, b.accruedInterest) &&
    a.currency === b.currency &&
    a.intendedSettlementDate === b.intendedSettlementDate &&
    a.counterpartyLei === b.counterpartyLei &&
    a.legalEntityLei === b.legalEntityLei &&
    ssi(a.ssis.ours) === ssi(b.ssis.ours) &&
    ssi(a.ssis.theirs) === ssi(b.ssis.theirs)
  );
}

