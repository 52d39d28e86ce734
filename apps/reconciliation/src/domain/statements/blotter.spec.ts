import fc from 'fast-check';
import type { Blotter } from '../model';
import { parseBlotterCsv, parseBlotterJson, renderBlotterCsv, renderBlotterJson } from './blotter';
import { blotterArb, fieldErrorsOf } from './statements.fixtures';

const TRADE = { sourceTradeId: 'OMS-1', isin: 'DE0007164600', side: 'BUY', quantity: '1000', price: '189.2612', currency: 'EUR', counterpartyLei: '5493001KJTIIGC8Y1R12' };
const json = (trades: unknown[]) => ({ sourceSystem: 'OMS-EQ', tradeDate: '2026-11-23', trades });
const comparable = (blotter: Blotter) => renderBlotterJson(blotter);

describe('parseBlotterJson', () => {
  it('reads the blotter: decimals as Decimals, identifiers checked', () => {
    const blotter = parseBlotterJson(json([TRADE, { ...TRADE, sourceTradeId: 'OMS-2', side: 'SELL', quantity: '250.5' }]));
    expect(blotter.sourceSystem).toBe('OMS-EQ');
    expect(blotter.trades[1].quantity.toFixed()).toBe('250.5');
    expect(comparable(blotter).trades[0]).toEqual(TRADE);
  });

  it('names every bad field by its path', () => {
    const body = json([{ ...TRADE, side: 'B', quantity: 1000, price: '0', counterpartyLei: '5493001KJTIIGC8Y1R13' }, { ...TRADE, sourceTradeId: 'OMS-2', venue: 'XETR' }]);
    expect(fieldErrorsOf(() => parseBlotterJson(body))).toEqual([
      { field: 'trades[0].side', message: '"B" must be one of BUY, SELL' },
      { field: 'trades[0].quantity', message: expect.stringMatching(/not a JSON number/) },
      { field: 'trades[0].price', message: 'must be greater than zero' },
      { field: 'trades[0].counterpartyLei', message: expect.stringMatching(/^"5493001KJTIIGC8Y1R13": /) },
      { field: 'trades[1].venue', message: expect.stringMatching(/is not a field of a trade/) },
    ]);
  });

  it('refuses a trade listed twice, naming both places', () => {
    expect(fieldErrorsOf(() => parseBlotterJson(json([TRADE, { ...TRADE, sourceTradeId: 'OMS-2' }, { ...TRADE, price: '190' }])))).toEqual([
      { field: 'trades[2].sourceTradeId', message: 'trade OMS-1 is listed twice: at trades[0] and at trades[2]' },
    ]);
  });

  it('refuses a blotter over the limit', () => {
    expect(fieldErrorsOf(() => parseBlotterJson(json([TRADE, { ...TRADE, sourceTradeId: 'OMS-2' }]), { maxLines: 1 }))).toEqual([{ field: 'trades', message: 'has 2 trades, more than the 1 accepted in one blotter' }]);
  });

  it('round-trips through its JSON form', () => {
    fc.assert(fc.property(blotterArb, (b) => expect(comparable(parseBlotterJson(JSON.parse(JSON.stringify(renderBlotterJson(b)))))).toEqual(comparable(b))));
  });
});

describe('parseBlotterCsv', () => {
  const HEADER = 'sourceTradeId,isin,side,quantity,price,currency,counterpartyLei';
  const at = { sourceSystem: 'OMS-EQ', tradeDate: '2026-11-23' };

  it('reads one row per trade, with the source system and trade date beside the file', () => {
    const blotter = parseBlotterCsv(`${HEADER}\nOMS-1,DE0007164600,BUY,1000,189.2612,EUR,5493001KJTIIGC8Y1R12\n`, at);
    expect(comparable(blotter)).toEqual({ sourceSystem: 'OMS-EQ', tradeDate: '2026-11-23', trades: [TRADE] });
  });

  it('names the line and column of a bad value, and a missing column', () => {
    const csv = `${HEADER}\nOMS-1,DE0007164600,BUY,-5,189.26,EUR,5493001KJTIIGC8Y1R12\nOMS-2,DE0007164600,BUY,5,189.26,EUR\n`;
    expect(fieldErrorsOf(() => parseBlotterCsv(csv, at))).toEqual([
      { field: 'line 2: quantity', message: 'must be greater than zero' },
      { field: 'line 3: counterpartyLei', message: 'is missing: the row has 6 columns, the header 7' },
    ]);
    expect(fieldErrorsOf(() => parseBlotterCsv('sourceTradeId,isin,side,qty,price,currency,counterpartyLei\n', at))[0].field).toBe('line 1: quantity');
    expect(fieldErrorsOf(() => parseBlotterCsv(`${HEADER}\n`, { sourceSystem: '', tradeDate: '23/11/2026' })).map((e) => e.field)).toEqual(['sourceSystem', 'tradeDate']);
  });

  it('refuses a trade listed twice, naming both lines', () => {
    const row = 'OMS-1,DE0007164600,BUY,1000,189.2612,EUR,5493001KJTIIGC8Y1R12';
    expect(fieldErrorsOf(() => parseBlotterCsv(`${HEADER}\n${row}\n${row.replace('OMS-1', 'OMS-2')}\n${row}\n`, at))).toEqual([
      { field: 'line 4: sourceTradeId', message: 'trade OMS-1 is listed twice: on line 2 and on line 4' },
    ]);
  });

  it('renders what it reads', () => {
    fc.assert(fc.property(blotterArb, (b) => expect(comparable(parseBlotterCsv(renderBlotterCsv(b), { sourceSystem: b.sourceSystem, tradeDate: b.tradeDate }))).toEqual(comparable(b))));
  });
});
