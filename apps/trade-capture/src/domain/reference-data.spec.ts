import { DomainError, type FieldError } from '@postrade/kernel';
import { checkCounterparty, checkInstrument, checkSsi, sameReferenceData, type Instrument } from './reference-data';

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

  const bond: Instrument = {
    isin: 'GB00BMBL1F74', description: 'UKT 4.125% 2029', currency: 'GBP', assetClass: 'GOVT_BOND', priceType: 'PERCENT_OF_PAR', settlementMarket: 'UK',
    csdrCategory: 'SOVEREIGN_DEBT', couponRate: '4.125', couponFrequency: 2, dayCount: 'ACT_ACT_ICMA', issueDate: '2019-01-22', maturityDate: '2029-07-22',
  };

  it('accepts a bond with its coupon terms and renders the optional ones as null', () => {
    expect(checkInstrument(bond)).toMatchObject({ firstCouponDate: null, minimumDenomination: null, denominationIncrement: null, exCouponDays: null });
  });

  it('names the fields of an EQUITY priced PERCENT_OF_PAR and of a bond with a SHARE category', () => {
    const equity = { isin: 'US0378331005', description: 'Apple', currency: 'USD', assetClass: 'EQUITY', settlementMarket: 'US' } as const;
    expect(fields(() => checkInstrument({ ...equity, priceType: 'PERCENT_OF_PAR', csdrCategory: 'LIQUID_SHARE' }))).toEqual(['priceType']);
    expect(fields(() => checkInstrument({ ...bond, csdrCategory: 'LIQUID_SHARE' }))).toEqual(['csdrCategory']);
    expect(fields(() => checkInstrument({ ...equity, priceType: 'UNIT', csdrCategory: 'SOVEREIGN_DEBT' }))).toEqual(['csdrCategory']);
  });

  it('requires coupon terms of a bond and refuses them on an equity', () => {
    expect(fields(() => checkInstrument({ ...bond, couponRate: undefined, maturityDate: undefined }))).toEqual(['couponRate', 'maturityDate']);
    const apple = { isin: 'US0378331005', description: 'Apple', currency: 'USD', assetClass: 'EQUITY', priceType: 'UNIT', settlementMarket: 'US', csdrCategory: 'OTHER' } as const;
    expect(fields(() => checkInstrument({ ...apple, couponRate: '1' }))).toEqual(['couponRate']);
  });

  it('checks that coupon terms agree: a zero coupon has frequency 0, maturity follows issue', () => {
    expect(fields(() => checkInstrument({ ...bond, couponRate: '0' }))).toEqual(['couponFrequency']);
    expect(fields(() => checkInstrument({ ...bond, maturityDate: '2018-01-01' }))).toEqual(['maturityDate']);
    expect(fields(() => checkInstrument({ ...bond, couponRate: '0', couponFrequency: 0 }))).toEqual([]);
  });

  it('treats the same values in other spellings as the same reference data', () => {
    expect(sameReferenceData({ ...bond, couponRate: '4.1250', firstCouponDate: null }, bond)).toBe(true);
    expect(sameReferenceData({ ...bond, couponRate: '4.25' }, bond)).toBe(false);
  });
});
