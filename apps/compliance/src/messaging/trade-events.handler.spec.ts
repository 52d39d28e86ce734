import { DomainError } from '@postrade/kernel';
import { screenedTradeOf } from './trade-events.handler';

const resource = {
  tradeId: '6f1c2b9e-5a54-4a0e-9d5e-3b1f0d1c2a10',
  version: 2,
  status: 'AMENDED',
  tradeDate: '2026-11-20',
  executionTime: null,
  side: 'SELL',
  isin: 'US0378331005',
  quantity: '1000',
  price: '189.25',
  currency: 'USD',
  grossAmount: '189250.00',
  netAmount: '189238.80',
  book: 'EQ1',
  instrument: { assetClass: 'ETF' },
  counterparty: { lei: '5493001KJTIIGC8Y1R12', name: 'Broker A' },
  legalEntity: { lei: '529900T8BM49AURSDO55', name: 'Our Fund' },
  createdAt: '2026-11-20T14:30:05.123Z',
  previous: { version: 1 },
};

describe('reading a trade event', () => {
  it('takes the terms screening needs, the capture time standing in for a missing execution time', () => {
    const { trade, legalEntityName, assetClass } = screenedTradeOf(resource);
    expect(trade).toMatchObject({ tradeId: resource.tradeId, version: 2, side: 'SELL', executedAt: '2026-11-20T14:30:05.123Z', book: 'EQ1' });
    expect(trade.netAmount.toFixed()).toBe('189238.8');
    expect(legalEntityName).toBe('Our Fund');
    expect(assetClass).toBe('ETF');
  });

  it('rejects an event whose amount is not a decimal string, naming the field', () => {
    let thrown: unknown;
    try {
      screenedTradeOf({ ...resource, netAmount: 189238.8 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ errors: [{ field: 'netAmount' }] });
  });

  it('names the nested field that is missing', () => {
    expect(() => screenedTradeOf({ ...resource, counterparty: { lei: '5493001KJTIIGC8Y1R12' } })).toThrow(/counterparty\.name/);
  });
});
