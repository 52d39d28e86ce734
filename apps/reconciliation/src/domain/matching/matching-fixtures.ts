/**
 * Builders for the matching engine's tests: one complete item per call, with only what a test is
 * about overridden. Decimals are given as strings, as a statement would carry them.
 */
import { Decimal } from '@postrade/kernel';
import type { BlotterTrade, OurMovement, OurPenalty, OurTrade, PenaltyLine, ReconciliationOutcome, TransactionLine } from '../model';
import { DEFAULT_RECONCILIATION_CONFIG, parseReconciliationConfig, type ReconciliationConfig } from './config';

export const d = (value: string | number): Decimal => new Decimal(value);

export const NO_OPEN_BREAKS: ReadonlySet<string> = new Set();

/** The defaults with some settings overridden, in the stored JSON form. */
export function configWith(overrides: Record<string, unknown>): ReconciliationConfig {
  return parseReconciliationConfig(overrides);
}

export const DEFAULTS = DEFAULT_RECONCILIATION_CONFIG;

type Decimals<T, K extends keyof T> = Omit<Partial<T>, K> & { [P in K]?: string };

export function movement(overrides: Decimals<OurMovement, 'quantity' | 'amount'> = {}): OurMovement {
  const { quantity = '100', amount = '10000', ...rest } = overrides;
  return {
    movementId: 'M-1',
    instructionId: 'SI-1',
    isin: 'US0378331005',
    currency: 'USD',
    direction: 'RECEIVE',
    settlementDate: '2026-11-24',
    ...rest,
    quantity: d(quantity),
    amount: d(amount),
  };
}

export function transactionLine(overrides: Decimals<TransactionLine, 'quantity' | 'amount'> = {}): TransactionLine {
  const { quantity = '100', amount = '10000', ...rest } = overrides;
  return {
    reference: 'R-1',
    instructionId: 'SI-1',
    isin: 'US0378331005',
    currency: 'USD',
    direction: 'RECEIVE',
    settlementDate: '2026-11-24',
    ...rest,
    quantity: d(quantity),
    amount: d(amount),
  };
}

export function ourPenalty(overrides: Decimals<OurPenalty, 'amount'> = {}): OurPenalty {
  const { amount = '12.34', ...rest } = overrides;
  return { penaltyId: 'P-1', instructionId: 'SI-1', date: '2026-11-24', currency: 'EUR', direction: 'PAY', ...rest, amount: d(amount) };
}

export function penaltyLine(overrides: Decimals<PenaltyLine, 'amount'> = {}): PenaltyLine {
  const { amount = '12.34', ...rest } = overrides;
  return { instructionId: 'SI-1', date: '2026-11-24', currency: 'EUR', direction: 'PAY', ...rest, amount: d(amount) };
}

export function ourTrade(overrides: Decimals<OurTrade, 'quantity' | 'price'> = {}): OurTrade {
  const { quantity = '1000', price = '189.25', ...rest } = overrides;
  return {
    tradeId: 'T-1',
    sourceTradeId: 'OMS-1',
    isin: 'US0378331005',
    side: 'BUY',
    currency: 'USD',
    counterpartyLei: '5493001KJTIIGC8Y1R12',
    ...rest,
    quantity: d(quantity),
    price: d(price),
  };
}

export function blotterTrade(overrides: Decimals<BlotterTrade, 'quantity' | 'price'> = {}): BlotterTrade {
  const { tradeId: _tradeId, ...trade } = ourTrade(overrides);
  return trade;
}

/** The parts of an outcome a test usually asserts on, small enough to read in a failure. */
export function summary(outcome: ReconciliationOutcome) {
  return {
    matches: outcome.matches.map((m) => `${m.rule} ${m.ours.join('+')} = ${m.theirs.join('+')}`),
    breaks: outcome.breaks.map((b) => `${b.reason} ${b.keyString}`),
    agreed: [...outcome.agreedKeys].sort(),
  };
}
