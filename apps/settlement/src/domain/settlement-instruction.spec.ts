import fc from 'fast-check';
import { Decimal } from '@postrade/kernel';
import { instructionIdOfReference, instructionReference } from '@postrade/contracts';
import { instructionTermsFor, signedMovementOfInstruction, signedMovementOfTrade } from './settlement-instruction';
import { tradeTerms } from './settlement.fixtures';
import type { SettlementTradeTerms } from './settlement-trade';

describe('an instruction for one trade', () => {
  it('delivers for a sale and receives for a purchase, carrying quantity, amount, currency, ISD and both SSIs', () => {
    const sell = instructionTermsFor([tradeTerms({ side: 'SELL' })]);
    expect(sell).toMatchObject({ direction: 'DELIVER', cashDirection: 'RECEIVE', quantity: '1000', settlementAmount: '189261.20', currency: 'EUR', intendedSettlementDate: '2026-11-25', netted: false });
    expect(sell.ssis.ours).not.toBeNull();
    expect(sell.ssis.theirs).not.toBeNull();
    expect(instructionTermsFor([tradeTerms({ side: 'BUY' })])).toMatchObject({ direction: 'RECEIVE', cashDirection: 'PAY', type: 'DVP' });
  });

  it('carries a bond’s accrued interest inside the settlement amount, as the trade’s net amount does', () => {
    const bond = instructionTermsFor([tradeTerms({ quantity: '1000000', netAmount: '1012345.67', accruedInterest: '12345.67', priceType: 'PERCENT_OF_PAR', csdrCategory: 'SOVEREIGN_DEBT' })]);
    expect(bond).toMatchObject({ settlementAmount: '1012345.67', accruedInterest: '12345.67', priceType: 'PERCENT_OF_PAR' });
  });

  it('gives the custodian a 32-character reference that names the instruction back', () => {
    const id = '3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5b';
    expect(instructionReference(id)).toBe('3F2B8C1E4D5A4E6F8A9B0C1D2E3F4A5B');
    expect(instructionIdOfReference(instructionReference(id))).toBe(id);
    expect(instructionIdOfReference(id)).toBe(id);
    expect(instructionIdOfReference('FOO')).toBeNull();
  });
});

describe('netting (property)', () => {
  const trade = fc.record({
    side: fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
    quantity: fc.integer({ min: 1, max: 10_000_000 }).map(String),
    cents: fc.bigInt({ min: 1n, max: 10_000_000_000n }),
  });

  it('conserves signed quantity and cash exactly: the net instruction moves what its trades move', () => {
    fc.assert(
      fc.property(fc.array(trade, { minLength: 1, maxLength: 12 }), (generated) => {
        const trades: SettlementTradeTerms[] = generated.map((g, i) =>
          tradeTerms({ tradeId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, side: g.side, quantity: g.quantity, netAmount: new Decimal(g.cents.toString()).dividedBy(100).toFixed(2) }),
        );
        const net = instructionTermsFor(trades);
        const sum = trades.map(signedMovementOfTrade).reduce((a, b) => ({ quantity: a.quantity.plus(b.quantity), cash: a.cash.plus(b.cash) }));
        const instructed = signedMovementOfInstruction(net);
        expect(instructed.quantity.equals(sum.quantity)).toBe(true);
        expect(instructed.cash.equals(sum.cash)).toBe(true);
        expect(net.tradeIds).toEqual(trades.map((t) => t.tradeId).sort());
        expect(net.netted).toBe(trades.length > 1);
      }),
      { numRuns: 500 },
    );
  });

  it('settles a pair-off of equal quantities as cash only', () => {
    const net = instructionTermsFor([
      tradeTerms({ tradeId: 'a', side: 'BUY', quantity: '100', netAmount: '1000.00' }),
      tradeTerms({ tradeId: 'b', side: 'SELL', quantity: '100', netAmount: '1100.00' }),
    ]);
    expect(net).toMatchObject({ quantity: '0', settlementAmount: '100.00', cashDirection: 'RECEIVE', direction: 'DELIVER' });
  });
});
