import { assertCurrency, Decimal, DomainError, validateIsin, validateLei, type FieldError } from '@postrade/kernel';
import type { ConfirmationReceived, TradeSide } from '@postrade/contracts';
import type { ConfirmationForMatching } from './matching';

/** What the counterparty confirmed, checked: the terms of one confirmation version. */
export interface ConfirmationTerms {
  confirmationId: string;
  senderLei: string;
  receiverLei: string;
  tradeDate: string;
  settlementDate: string;
  side: TradeSide;
  isin: string;
  quantity: string;
  price: string;
  currency: string;
  grossAmount: string | null;
  netAmount: string;
  accruedInterest: string | null;
  commission: string | null;
  fees: string | null;
  ourReference: string | null;
}

// An unsigned decimal in plain notation is positive exactly when it has a non-zero digit.
const UNSIGNED_DECIMAL = /^\d+(\.\d+)?$/;
const isPositive = (value: string): boolean => (UNSIGNED_DECIMAL.test(value) ? /[1-9]/.test(value) : new Decimal(value).greaterThan(0));

/**
 * Checks a received confirmation beyond its shape (check digits, a currency that exists, positive
 * quantity, price and net amount) and returns its terms; every failing field is named.
 */
export function confirmationTermsOf(received: ConfirmationReceived): ConfirmationTerms {
  const errors: FieldError[] = [];
  const identifier = (field: string, reason: string | null) => reason && errors.push({ field, message: reason });
  identifier('isin', validateIsin(received.isin));
  identifier('senderLei', validateLei(received.senderLei));
  identifier('receiverLei', validateLei(received.receiverLei));
  try {
    assertCurrency(received.currency);
  } catch {
    errors.push({ field: 'currency', message: `"${received.currency}" is not an ISO 4217 currency code` });
  }
  for (const field of ['quantity', 'price', 'netAmount'] as const) {
    if (!isPositive(received[field])) errors.push({ field, message: 'must be positive' });
  }
  if (received.tradeDate > received.settlementDate) errors.push({ field: 'settlementDate', message: 'must not be before the trade date' });
  if (errors.length > 0) throw DomainError.invalidFields(errors);
  return {
    confirmationId: received.confirmationId,
    senderLei: received.senderLei,
    receiverLei: received.receiverLei,
    tradeDate: received.tradeDate,
    settlementDate: received.settlementDate,
    side: received.side,
    isin: received.isin,
    quantity: received.quantity,
    price: received.price,
    currency: received.currency,
    grossAmount: received.grossAmount ?? null,
    netAmount: received.netAmount,
    accruedInterest: received.accruedInterest ?? null,
    commission: received.commission ?? null,
    fees: received.fees ?? null,
    ourReference: received.ourReference ?? null,
  };
}

const DECIMAL_FIELDS = ['quantity', 'price', 'grossAmount', 'netAmount', 'accruedInterest', 'commission', 'fees'] as const;
const TEXT_FIELDS = ['confirmationId', 'senderLei', 'receiverLei', 'tradeDate', 'settlementDate', 'side', 'isin', 'currency', 'ourReference'] as const;

/** Same terms by value: "1000" equals "1000.00"; an omitted optional field equals another omission only. */
export function sameTerms(a: ConfirmationTerms, b: ConfirmationTerms): boolean {
  return (
    TEXT_FIELDS.every((f) => a[f] === b[f]) &&
    DECIMAL_FIELDS.every((f) => (a[f] === null || b[f] === null ? a[f] === b[f] : new Decimal(a[f]!).eq(b[f]!)))
  );
}

export type ConfirmationVersionDecision = { kind: 'first'; version: 1 } | { kind: 'replace'; version: number } | { kind: 'unchanged'; version: number };

/**
 * Re-sending a confirmation id replaces the previous version; the same terms again (a duplicate
 * delivery, a retried request) change nothing.
 */
export function decideConfirmationVersion(current: { version: number; terms: ConfirmationTerms } | null, incoming: ConfirmationTerms): ConfirmationVersionDecision {
  if (current === null) return { kind: 'first', version: 1 };
  if (sameTerms(current.terms, incoming)) return { kind: 'unchanged', version: current.version };
  return { kind: 'replace', version: current.version + 1 };
}

export function confirmationForMatching(terms: ConfirmationTerms, version: number, cancelled = false): ConfirmationForMatching {
  return {
    confirmationId: terms.confirmationId,
    version,
    counterpartyLei: terms.senderLei,
    isin: terms.isin,
    tradeDate: terms.tradeDate,
    currency: terms.currency,
    quantity: terms.quantity,
    side: terms.side,
    settlementDate: terms.settlementDate,
    price: terms.price,
    grossAmount: terms.grossAmount,
    netAmount: terms.netAmount,
    accruedInterest: terms.accruedInterest,
    ourReference: terms.ourReference,
    commission: terms.commission,
    fees: terms.fees,
    receiverLei: terms.receiverLei,
    cancelled,
  };
}
