import fc from 'fast-check';
import { DomainError, type FieldError } from '@postrade/kernel';
import type { Instrument, StandingSettlementInstruction } from './reference-data';
import { canonicalTerms, enrichTrade, termsHash, withSsis, type TradeReferenceData, type TradeTerms } from './trade';

const TODAY = new Date('2026-11-23T15:00:00Z');
const identity = { tradeId: 't-1', version: 1, status: 'CAPTURED' as const, createdAt: '2026-11-23T15:00:00.000Z', updatedAt: '2026-11-23T15:00:00.000Z' };

const apple: Instrument = {
  isin: 'US0378331005', description: 'Apple Inc.', currency: 'USD', assetClass: 'EQUITY', priceType: 'UNIT', settlementMarket: 'US', csdrCategory: 'LIQUID_SHARE',
};
const bund: Instrument = {
  isin: 'DE0001102580', description: 'Bund', currency: 'EUR', assetClass: 'GOVT_BOND', priceType: 'PERCENT_OF_PAR', settlementMarket: 'EU', csdrCategory: 'SOVEREIGN_DEBT',
  couponRate: '0', couponFrequency: 0, dayCount: 'ACT_ACT_ICMA', issueDate: '2020-01-10', maturityDate: '2030-02-15',
};
/** A gilt: 4.125% paid 22 January and 22 July, ACT/ACT ICMA, ex-dividend 7 business days, T+1. */
const gilt: Instrument = {
  isin: 'GB00BMBL1F74', description: 'UKT 4.125% 2029', currency: 'GBP', assetClass: 'GOVT_BOND', priceType: 'PERCENT_OF_PAR', settlementMarket: 'UK',
  csdrCategory: 'SOVEREIGN_DEBT', couponRate: '4.125', couponFrequency: 2, dayCount: 'ACT_ACT_ICMA', issueDate: '2019-01-22', firstCouponDate: null,
  maturityDate: '2029-07-22', minimumDenomination: '0.01', denominationIncrement: '0.01', exCouponDays: 7,
};
/** A USD corporate bond settling in the EU (Euroclear): 5% semi-annual, 30/360, 200,000 minimum then 1,000s. */
const usdEurobond: Instrument = {
  isin: 'XS0110106365', description: 'ACME 5% 2031', currency: 'USD', assetClass: 'CORP_BOND', priceType: 'PERCENT_OF_PAR', settlementMarket: 'EU',
  csdrCategory: 'OTHER_DEBT', couponRate: '5', couponFrequency: 2, dayCount: 'THIRTY_360', issueDate: '2021-03-15', firstCouponDate: null,
  maturityDate: '2031-03-15', minimumDenomination: '200000', denominationIncrement: '1000', exCouponDays: null,
};
const toyota: Instrument = {
  isin: 'JP3633400001', description: 'Toyota', currency: 'JPY', assetClass: 'EQUITY', priceType: 'UNIT', settlementMarket: 'JP', csdrCategory: 'LIQUID_SHARE',
};
const bae: Instrument = {
  isin: 'GB0002634946', description: 'BAE Systems', currency: 'GBP', assetClass: 'EQUITY', priceType: 'UNIT', settlementMarket: 'UK', csdrCategory: 'LIQUID_SHARE',
};
const theirSsi: StandingSettlementInstruction = {
  lei: '5493001KJTIIGC8Y1R12', settlementMarket: 'US', currency: 'USD', agentBic: 'CHASUS33', safekeepingAccount: 'SK-1', cashAccount: 'C-1', placeOfSettlement: 'DTCYUS33',
};

function terms(overrides: Partial<TradeTerms> = {}): TradeTerms {
  return {
    sourceSystem: 'OMS1', sourceTradeId: 'T-1', tradeDate: '2026-11-20', side: 'BUY', isin: apple.isin, quantity: '1000', price: '189.25',
    currency: 'USD', counterpartyLei: '5493001KJTIIGC8Y1R12', legalEntityLei: '529900T8BM49AURSDO55', book: 'EQ1', ...overrides,
  };
}

function refs(instrument: Instrument | null = apple, overrides: Partial<TradeReferenceData> = {}): TradeReferenceData {
  return {
    instrument,
    counterparty: { lei: '5493001KJTIIGC8Y1R12', name: 'Broker A', aliases: [], country: 'US', bic: 'GSCMUS33XXX' },
    legalEntity: { lei: '529900T8BM49AURSDO55', name: 'Our Fund', bic: 'DEUTDEFF' },
    ssis: { ours: null, theirs: theirSsi },
    ...overrides,
  };
}

function fieldErrors(run: () => unknown): FieldError[] {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.errors;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const fieldsOf = (errors: FieldError[]) => errors.map((e) => e.field).sort();

describe('capturing a trade', () => {
  it('enriches a trade with amounts, settlement cycle and date, parties and SSIs', () => {
    const trade = enrichTrade(terms({ commission: '10.00', fees: '1.20' }), refs(), identity, TODAY);
    expect(trade).toMatchObject({
      grossAmount: '189250.00',
      netAmount: '189261.20',
      commission: '10.00',
      fees: '1.20',
      settlementCycle: 'T+1',
      settlementMarket: 'US',
      settlementDate: '2026-11-23',
      settlementType: 'DVP',
      executionTime: null,
      counterparty: { lei: '5493001KJTIIGC8Y1R12', name: 'Broker A', bic: 'GSCMUS33XXX', country: 'US' },
      legalEntity: { lei: '529900T8BM49AURSDO55', name: 'Our Fund', bic: 'DEUTDEFF' },
      ssis: { ours: null, theirs: theirSsi },
    });
  });

  it('reports commission and fees as "0" when the submission gives none', () => {
    expect(enrichTrade(terms(), refs(), identity, TODAY)).toMatchObject({ commission: '0', fees: '0', netAmount: '189250.00' });
  });

  it('settles US trades T+2 before 2024-05-28 and T+1 from that day, skipping Memorial Day', () => {
    const isd = (tradeDate: string) => enrichTrade(terms({ tradeDate }), refs(), identity, TODAY);
    expect(isd('2024-05-23')).toMatchObject({ settlementCycle: 'T+2', settlementDate: '2024-05-28' });
    expect(isd('2024-05-24')).toMatchObject({ settlementCycle: 'T+2', settlementDate: '2024-05-29' });
    expect(isd('2024-05-28')).toMatchObject({ settlementCycle: 'T+1', settlementDate: '2024-05-29' });
  });

  it('does not settle US trades on Columbus Day, Veterans Day or Good Friday', () => {
    const isd = (tradeDate: string) => enrichTrade(terms({ tradeDate }), refs(), identity, TODAY).settlementDate;
    expect(isd('2025-10-10')).toBe('2025-10-14');
    expect(isd('2025-11-10')).toBe('2025-11-12');
    expect(isd('2025-04-17')).toBe('2025-04-21');
  });

  it('skips the TARGET2 Easter closures and moves EU to T+1 on 2027-10-11', () => {
    const isd = (tradeDate: string) => enrichTrade(terms({ tradeDate, isin: bund.isin, currency: 'EUR', price: '99.875' }), refs(bund), identity, new Date('2027-12-31T12:00:00Z'));
    expect(isd('2025-04-17')).toMatchObject({ settlementCycle: 'T+2', settlementDate: '2025-04-23' });
    expect(isd('2027-10-08')).toMatchObject({ settlementCycle: 'T+2', settlementDate: '2027-10-12' });
    expect(isd('2027-10-11')).toMatchObject({ settlementCycle: 'T+1', settlementDate: '2027-10-12' });
  });

  it('skips UK bank holidays including substitute days', () => {
    const isd = (tradeDate: string) => enrichTrade(terms({ tradeDate, isin: bae.isin, currency: 'GBP' }), refs(bae), identity, TODAY).settlementDate;
    expect(isd('2025-05-01')).toBe('2025-05-06');
    expect(isd('2021-12-23')).toBe('2021-12-29');
  });

  it('prices bonds per 100 of nominal and JPY in whole yen', () => {
    expect(enrichTrade(terms({ isin: bund.isin, currency: 'EUR', quantity: '1000000', price: '99.875' }), refs(bund), identity, TODAY).grossAmount).toBe('998750.00');
    expect(enrichTrade(terms({ isin: toyota.isin, currency: 'JPY', quantity: '3', price: '2500.5' }), refs(toyota), identity, TODAY).grossAmount).toBe('7502');
  });

  it('accepts a given settlement date on a settlement business day', () => {
    expect(enrichTrade(terms({ settlementDate: '2026-11-24' }), refs(), identity, TODAY).settlementDate).toBe('2026-11-24');
  });

  it('rejects a settlement date that is a holiday or before the trade date, naming settlementDate', () => {
    expect(fieldsOf(fieldErrors(() => enrichTrade(terms({ tradeDate: '2025-10-10', settlementDate: '2025-10-13' }), refs(), identity, TODAY)))).toEqual(['settlementDate']);
    expect(fieldErrors(() => enrichTrade(terms({ settlementDate: '2026-11-19' }), refs(), identity, TODAY))[0]?.message).toMatch(/before the trade date/);
  });

  it('rejects a trade date after today (UTC) and accepts a late booking', () => {
    expect(fieldsOf(fieldErrors(() => enrichTrade(terms({ tradeDate: '2026-11-24' }), refs(), identity, TODAY)))).toEqual(['tradeDate']);
    expect(enrichTrade(terms({ tradeDate: '2026-11-23' }), refs(), identity, TODAY).tradeDate).toBe('2026-11-23');
  });

  it('names every unknown reference at once', () => {
    const errors = fieldErrors(() => enrichTrade(terms(), refs(null, { counterparty: null, legalEntity: null }), identity, TODAY));
    expect(fieldsOf(errors)).toEqual(['counterpartyLei', 'isin', 'legalEntityLei']);
  });

  it('rejects bad check digits naming the field', () => {
    const errors = fieldErrors(() => enrichTrade(terms({ isin: 'US0378331006', counterpartyLei: '5493001KJTIIGC8Y1R13' }), refs(), identity, TODAY));
    expect(fieldsOf(errors)).toEqual(['counterpartyLei', 'isin']);
  });

  it('rejects non-positive quantity and price, and prices with more than 8 decimals', () => {
    expect(fieldsOf(fieldErrors(() => enrichTrade(terms({ quantity: '0', price: '-1' }), refs(), identity, TODAY)))).toEqual(['price', 'quantity']);
    expect(fieldsOf(fieldErrors(() => enrichTrade(terms({ price: '1.123456789' }), refs(), identity, TODAY)))).toEqual(['price']);
    expect(enrichTrade(terms({ price: '1.12345678' }), refs(), identity, TODAY).grossAmount).toBe('1123.46');
  });

  it('rejects commission and fees finer than the currency minor unit', () => {
    expect(fieldsOf(fieldErrors(() => enrichTrade(terms({ commission: '1.001', fees: '0.5' }), refs(), identity, TODAY)))).toEqual(['commission']);
    const yen = terms({ isin: toyota.isin, currency: 'JPY', price: '2500', fees: '1.5' });
    expect(fieldsOf(fieldErrors(() => enrichTrade(yen, refs(toyota), identity, TODAY)))).toEqual(['fees']);
  });

  it("rejects a currency other than the instrument's", () => {
    expect(fieldsOf(fieldErrors(() => enrichTrade(terms({ currency: 'EUR' }), refs(), identity, TODAY)))).toEqual(['currency']);
  });

  it('adds accrued interest to a bond trade: 1,000,000 of a 4.125% gilt at 98.50 traded 2026-11-19 settles T+1 on 2026-11-20', () => {
    const trade = enrichTrade(
      terms({ isin: gilt.isin, currency: 'GBP', quantity: '1000000', price: '98.50', tradeDate: '2026-11-19' }),
      refs(gilt),
      identity,
      TODAY,
    );
    // 2026-07-22 to 2026-11-20 is 121 of the 184 days to 2027-01-22: 1,000,000 × 4.125% / 2 × 121/184 = 13563.179…
    expect(trade).toMatchObject({
      settlementDate: '2026-11-20',
      settlementCycle: 'T+1',
      grossAmount: '985000.00',
      accruedInterest: '13563.18',
      accruedDays: 121,
      netAmount: '998563.18',
    });
    expect(trade.instrument).toMatchObject({ assetClass: 'GOVT_BOND', couponRate: '4.125', dayCount: 'ACT_ACT_ICMA', maturityDate: '2029-07-22', exCouponDays: 7 });
  });

  it('subtracts accrued interest inside the ex-dividend period and keeps it zero for equities', () => {
    const exDividend = enrichTrade(
      terms({ isin: gilt.isin, currency: 'GBP', quantity: '1000000', price: '98.50', tradeDate: '2026-07-14' }),
      refs(gilt),
      identity,
      TODAY,
    );
    expect(exDividend).toMatchObject({ settlementDate: '2026-07-15', accruedInterest: '-797.65', accruedDays: -7, netAmount: '984202.35' });
    expect(enrichTrade(terms(), refs(), identity, TODAY)).toMatchObject({ accruedInterest: '0.00', accruedDays: 0 });
  });

  it('does not settle a USD bond on the EU market on US Independence Day: traded 2025-07-02, it settles 2025-07-07', () => {
    const trade = enrichTrade(terms({ isin: usdEurobond.isin, quantity: '200000', price: '100', tradeDate: '2025-07-02' }), refs(usdEurobond), identity, TODAY);
    expect(trade).toMatchObject({ settlementDate: '2025-07-07', settlementCycle: 'T+2' });
    const given = terms({ isin: usdEurobond.isin, quantity: '200000', price: '100', tradeDate: '2025-07-02', settlementDate: '2025-07-04' });
    expect(fieldErrors(() => enrichTrade(given, refs(usdEurobond), identity, TODAY))).toEqual([
      { field: 'settlementDate', message: expect.stringContaining('Independence Day') },
    ]);
  });

  it('labels a given settlement date with the cycle it really is', () => {
    expect(enrichTrade(terms({ settlementDate: '2026-11-25' }), refs(), identity, TODAY).settlementCycle).toBe('T+3');
    expect(enrichTrade(terms({ settlementDate: '2026-11-20' }), refs(), identity, TODAY).settlementCycle).toBe('T+0');
  });

  it("judges a future trade date in the market's time zone: a Tokyo trade dated 2026-03-02 booked at 08:30 JST is accepted", () => {
    const tokyoMorning = new Date('2026-03-01T23:30:00Z');
    const yen = terms({ isin: toyota.isin, currency: 'JPY', price: '2500', tradeDate: '2026-03-02' });
    expect(enrichTrade(yen, refs(toyota), identity, tokyoMorning).tradeDate).toBe('2026-03-02');
    expect(fieldsOf(fieldErrors(() => enrichTrade(terms({ tradeDate: '2026-03-02' }), refs(), identity, tokyoMorning)))).toEqual(['tradeDate']);
  });

  it('rejects a bond nominal that breaks its denominations, naming quantity', () => {
    const nominal = (quantity: string) => terms({ isin: usdEurobond.isin, quantity, price: '100', tradeDate: '2025-07-02' });
    expect(fieldErrors(() => enrichTrade(nominal('150000'), refs(usdEurobond), identity, TODAY))).toEqual([
      { field: 'quantity', message: expect.stringContaining('minimum denomination 200000') },
    ]);
    expect(fieldsOf(fieldErrors(() => enrichTrade(nominal('200500'), refs(usdEurobond), identity, TODAY)))).toEqual(['quantity']);
    expect(enrichTrade(nominal('201000'), refs(usdEurobond), identity, TODAY).quantity).toBe('201000');
  });

  it('rejects a trade whose net amount is not positive, naming netAmount', () => {
    expect(fieldsOf(fieldErrors(() => enrichTrade(terms({ side: 'SELL', quantity: '1', price: '5', commission: '5.00' }), refs(), identity, TODAY)))).toEqual([
      'netAmount',
    ]);
  });

  it('flags each missing SSI as an exception and clears it when the SSI is filled in', () => {
    const trade = enrichTrade(terms(), refs(apple, { ssis: { ours: null, theirs: null } }), identity, TODAY);
    expect(trade.exceptions).toEqual(['MISSING_OUR_SSI', 'MISSING_COUNTERPARTY_SSI']);
    const ours = { ...theirSsi, lei: '529900T8BM49AURSDO55' };
    expect(withSsis(trade, { ours, theirs: null }, 'later')).toMatchObject({ exceptions: ['MISSING_COUNTERPARTY_SSI'], version: 1, updatedAt: 'later' });
  });

  it('compares replays by value: "1000" and "1000.00", an instant in any offset, an omitted commission and "0.00"', () => {
    const base = terms({ executionTime: '2026-11-20T14:30:05.123Z' });
    const respelled = terms({ quantity: '1000.00', price: '189.250', executionTime: '2026-11-20T15:30:05.123+01:00', commission: '0.00', fees: '0' });
    expect(canonicalTerms(respelled)).toEqual(canonicalTerms(base));
    expect(termsHash(respelled)).toBe(termsHash(base));
    expect(termsHash(terms({ quantity: '1000.01' }))).not.toBe(termsHash(terms()));
    expect(termsHash(terms({ executionTime: '2026-11-20T14:30:05.123+01:00' }))).not.toBe(termsHash(base));
  });

  it('hashes a decimal the same however many trailing zeros it is written with, and an instant the same in any whole-hour offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: -12, max: 14 }),
        (units, cents, zeros, offsetHours) => {
          const quantity = `${units}.${String(cents).padStart(4, '0')}`;
          const instant = new Date(Date.UTC(2026, 10, 20, 14, 30, 5, 123));
          const local = new Date(instant.getTime() + offsetHours * 3_600_000).toISOString().slice(0, 23);
          const offset = `${offsetHours < 0 ? '-' : '+'}${String(Math.abs(offsetHours)).padStart(2, '0')}:00`;
          const plain = terms({ quantity, executionTime: instant.toISOString() });
          const respelled = terms({ quantity: `${quantity}${'0'.repeat(zeros)}`, executionTime: `${local}${offset}` });
          expect(termsHash(respelled)).toBe(termsHash(plain));
        },
      ),
    );
  });

  it('hashes the same terms the same whatever their order, with DVP as the default settlement type', () => {
    const reordered = Object.fromEntries(Object.entries(terms()).reverse()) as unknown as TradeTerms;
    expect(termsHash(reordered)).toBe(termsHash(terms()));
    expect(termsHash(terms({ settlementType: 'DVP' }))).toBe(termsHash(terms()));
    expect(termsHash(terms({ price: '189.26' }))).not.toBe(termsHash(terms()));
  });
});
