import { DomainError, type FieldError } from '@postrade/kernel';
import { checkCounterparty, checkInstrument, checkSsi } from './reference-data';

function fields(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.errors.map((e: FieldError) => e.field).sort();
    throw error;
  }
  return [];
}

describe('reference data checks', () => {
  it('accepts an instrument with a valid ISIN, currency and market', () => {
    expect(
      fields(() =>
        checkInstrument({ isin: 'US0378331005', description: 'Apple', currency: 'USD', assetClass: 'EQUITY', priceType: 'UNIT', settlementMarket: 'US', csdrCategory: 'LIQUID_SHARE' }),
      ),
    ).toEqual([]);
  });

  it('names the ISIN when its Luhn check digit is wrong, and an unknown currency', () => {
    expect(
      fields(() =>
        checkInstrument({ isin: 'US0378331006', description: 'Apple', currency: 'XXX', assetClass: 'EQUITY', priceType: 'UNIT', settlementMarket: 'US', csdrCategory: 'OTHER' }),
      ),
    ).toEqual(['currency', 'isin']);
  });

  it('names the LEI, BIC and country of a counterparty that fail their checks', () => {
    expect(fields(() => checkCounterparty({ lei: '5493001KJTIIGC8Y1R13', name: 'x', aliases: [], country: 'ZZ', bic: 'GSCM1S33' }))).toEqual(['bic', 'country', 'lei']);
  });

  it('checks both BICs of an SSI', () => {
    const ssi = { lei: '5493001KJTIIGC8Y1R12', settlementMarket: 'US' as const, currency: 'USD', agentBic: 'CHASUS33', safekeepingAccount: 'S', cashAccount: 'C', placeOfSettlement: 'DTCY' };
    expect(fields(() => checkSsi(ssi))).toEqual(['placeOfSettlement']);
  });
});
