/** Valid plain values of the v1 inbound payloads, as they arrive on the wire. Tests only. */

export const tradeSubmissionBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  sourceSystem: 'OMS1',
  sourceTradeId: 'T-1',
  tradeDate: '2026-11-23',
  executionTime: '2026-11-23T14:30:05.123Z',
  side: 'BUY',
  isin: 'US0378331005',
  quantity: '1000',
  price: '189.25',
  currency: 'USD',
  counterpartyLei: '5493001KJTIIGC8Y1R12',
  legalEntityLei: '529900T8BM49AURSDO55',
  book: 'EQ1',
  settlementDate: '2026-11-24',
  commission: '10.00',
  fees: '1.20',
  settlementType: 'DVP',
  ...overrides,
});

export const tradeReportedValue = (overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  tradeSubmissionBody({ action: 'NEW', version: 1, ...overrides });

export const confirmationBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  confirmationId: 'CP-77',
  senderLei: '5493001KJTIIGC8Y1R12',
  receiverLei: '529900T8BM49AURSDO55',
  tradeDate: '2026-11-23',
  settlementDate: '2026-11-24',
  side: 'SELL',
  isin: 'US0378331005',
  quantity: '1000',
  price: '189.25',
  currency: 'USD',
  grossAmount: '189250.00',
  netAmount: '189261.20',
  ourReference: 'T-1',
  ...overrides,
});
