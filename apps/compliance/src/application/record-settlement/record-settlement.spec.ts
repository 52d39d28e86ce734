import { Decimal } from '@postrade/kernel';
import { unsettledAfter } from './record-settlement';

const amounts = (entries: [string, string][]) => new Map(entries.map(([id, amount]) => [id, new Decimal(amount)]));
const plain = (map: Map<string, Decimal>) => Object.fromEntries([...map].map(([id, amount]) => [id, amount.toFixed()]));
const settlement = (tradeIds: string[], settledAmount: string, settledInFull = false) => ({ tradeIds, settledAmount: new Decimal(settledAmount), settledInFull });

describe('unsettledAfter', () => {
  it('lowers a netted instruction’s trades one after the other in id order, by the amount settled', () => {
    const open = amounts([
      ['a', '100.00'],
      ['b', '250.00'],
      ['c', '40.00'],
    ]);
    expect(plain(unsettledAfter(open, [settlement(['c', 'a', 'b'], '-180.00')]))).toEqual({ a: '0', b: '170', c: '40' });
  });

  it('applies a run in its order: partials add up, and SETTLED takes the rest whatever its amount', () => {
    const open = amounts([
      ['a', '100.00'],
      ['b', '50.00'],
    ]);
    const changed = unsettledAfter(open, [settlement(['a'], '30.00'), settlement(['a'], '20.00'), settlement(['b'], '1.00', true)]);
    expect(plain(changed)).toEqual({ a: '50', b: '0' });
  });

  it('leaves a trade closed by an earlier settlement of the run alone, and never goes below zero', () => {
    const open = amounts([['a', '10.00']]);
    expect(plain(unsettledAfter(open, [settlement(['a'], '25.00'), settlement(['a'], '5.00')]))).toEqual({ a: '0' });
  });

  it('changes nothing for a trade that is not open', () => {
    expect(plain(unsettledAfter(amounts([['a', '10']]), [settlement(['z'], '5')]))).toEqual({});
  });
});
