import { Decimal, DomainError } from '@postrade/kernel';
import { imbalances } from './legs';
import { described } from './ledger-fixtures';
import { penaltyCollection, type AccruedPenalty } from './penalty-collection';

const A = '5493001KJTIIGC8Y1R12';
const B = '529900T8BM49AURSDO55';

const accrued = (penaltyId: string, counterpartyLei: string, direction: 'PAY' | 'RECEIVE', amount: string): AccruedPenalty => ({
  penaltyId,
  counterpartyLei,
  direction,
  amount: new Decimal(amount),
  currency: 'EUR',
});

describe('the monthly penalty collection of a CSD', () => {
  const month = [accrued('P-1', A, 'PAY', '12.34'), accrued('P-2', A, 'RECEIVE', '2.34'), accrued('P-3', B, 'PAY', '5.00')];

  it('clears each counterparty penalty account and moves the net to the house cash', () => {
    const collection = penaltyCollection({ currency: 'EUR', direction: 'PAY', amount: new Decimal('15.00') }, month);
    expect(described(collection.legs)).toEqual([`counterparty:${B}:penalties EUR +5`, `counterparty:${A}:penalties EUR +10`, 'house:cash-settled EUR -15']);
    expect(imbalances(collection.legs).size).toBe(0);
  });

  it('receives cash when the month nets in our favour', () => {
    const collection = penaltyCollection({ currency: 'EUR', direction: 'RECEIVE', amount: new Decimal('7.66') }, [accrued('P-1', A, 'RECEIVE', '10.00'), accrued('P-2', A, 'PAY', '2.34')]);
    expect(described(collection.legs)).toEqual([`counterparty:${A}:penalties EUR -7.66`, 'house:cash-settled EUR +7.66']);
  });

  it('refuses an amount or a direction that is not what accrued, naming the field and the accrued net', () => {
    const refused = (stated: { direction: 'PAY' | 'RECEIVE'; amount: string }) => {
      try {
        penaltyCollection({ currency: 'EUR', direction: stated.direction, amount: new Decimal(stated.amount) }, month);
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('not refused');
    };
    const wrongAmount = refused({ direction: 'PAY', amount: '15.01' });
    expect(wrongAmount.errors).toEqual([expect.objectContaining({ field: 'amount' })]);
    expect(wrongAmount.message).toMatch(/PAY 15\.00/);
    expect(refused({ direction: 'RECEIVE', amount: '15.00' }).errors).toEqual([expect.objectContaining({ field: 'direction' })]);
  });

  it('refuses a collection with nothing accrued, and penalties of another currency', () => {
    expect(() => penaltyCollection({ currency: 'EUR', direction: 'PAY', amount: new Decimal('0') }, [])).toThrow(/nothing accrued|no accrued/);
    expect(() => penaltyCollection({ currency: 'USD', direction: 'PAY', amount: new Decimal('15.00') }, month)).toThrow(/EUR/);
  });
});
