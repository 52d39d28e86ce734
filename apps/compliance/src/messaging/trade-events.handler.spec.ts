import { decodeTrade } from '@postrade/contracts';
import { sampleTradeAmended } from '@postrade/contracts/testing';
import { screenedTradeOf } from './trade-events.handler';

// What a malformed trade event is refused for is decodeTrade's (libs/contracts decoders.spec.ts).
describe('a decoded trade event as screening takes it', () => {
  const amended = sampleTradeAmended({ executionTime: null, side: 'SELL', netAmount: '189238.80', instrument: { description: 'SPDR S&P 500', assetClass: 'ETF', priceType: 'UNIT', csdrCategory: 'OTHER' } });

  it('takes the terms screening needs, the capture time standing in for a missing execution time', () => {
    const { trade, legalEntityName, assetClass } = screenedTradeOf(decodeTrade(amended));
    expect(trade).toMatchObject({ tradeId: amended.tradeId, version: 2, side: 'SELL', executedAt: amended.createdAt, book: 'EQ1', legalEntityLei: amended.legalEntity.lei });
    expect(trade.counterparty).toEqual({ lei: amended.counterparty.lei, name: 'Broker A', aliases: [] });
    expect(trade.netAmount.toFixed()).toBe('189238.8');
    expect(trade.quantity.toFixed()).toBe('1200');
    expect(legalEntityName).toBe('Our Fund');
    expect(assetClass).toBe('ETF');
  });

  it('screens at the execution time when the trade carries one', () => {
    expect(screenedTradeOf(decodeTrade(sampleTradeAmended())).trade.executedAt).toBe('2026-11-20T14:30:05.123Z');
  });
});
