import type { ConfirmationForMatching, TradeForMatching } from './matching';

/** Small factories for domain tests: one Apple trade of 1,000 at 189.25 and its counterparty's confirmation. */
export const CP = '5493001KJTIIGC8Y1R12';
export const OUR_LEI = '529900T8BM49AURSDO55';

export function trade(overrides: Partial<TradeForMatching> = {}): TradeForMatching {
  return {
    tradeId: 't-1',
    sourceTradeId: 'T-1',
    version: 1,
    cancelled: false,
    counterpartyLei: CP,
    isin: 'US0378331005',
    tradeDate: '2026-11-23',
    currency: 'USD',
    quantity: '1000',
    side: 'BUY',
    settlementDate: '2026-11-24',
    price: '189.25',
    grossAmount: '189250.00',
    netAmount: '189261.20',
    accruedInterest: null,
    commission: '10.00',
    fees: '1.20',
    settlementMarket: 'US',
    legalEntityLei: OUR_LEI,
    ...overrides,
  };
}

export function confirmation(overrides: Partial<ConfirmationForMatching> = {}): ConfirmationForMatching {
  return {
    confirmationId: 'CP-1',
    version: 1,
    counterpartyLei: CP,
    isin: 'US0378331005',
    tradeDate: '2026-11-23',
    currency: 'USD',
    quantity: '1000',
    side: 'SELL',
    settlementDate: '2026-11-24',
    price: '189.25',
    grossAmount: null,
    netAmount: '189261.20',
    accruedInterest: null,
    ourReference: null,
    commission: null,
    fees: null,
    receiverLei: OUR_LEI,
    cancelled: false,
    ...overrides,
  };
}
