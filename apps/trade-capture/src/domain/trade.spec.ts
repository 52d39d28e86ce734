import { DomainError, type FieldError } from '@postrade/kernel';
import type { Instrument, StandingSettlementInstruction } from './reference-data';
import { enrichTrade, termsHash, type TradeReferenceData, type TradeTerms } from './trade';

const TODAY = '2026-11-23';
const identity = { tradeId: 't-1', version: 1, status: 'CAPTURED' as const, createdAt: '2026-11-23T15:00:00.000Z', updatedAt: '2026-11-23T15:00:00.000Z' };

const apple: Instrument = {
  isin: 'US0378331005', description: 'Apple Inc.', currency: 'USD', assetClass: 'EQUITY', priceType: 'UNIT', settlementMarket: 'US', csdrCategory: 'LIQUID_SHARE',
};
const bund: Instrument = {
  isin: 'DE0001102580', description: 'Bund', currency: 'EUR', assetClass: 'GOVT_BOND', priceType: 'PERCENT_OF_PAR', settlementMarket: 'EU', csdrCategory: 'SOVEREIGN_DEBT',
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
    const isd = (tradeDate: string) => enrichTrade(terms({ tradeDate, isin: bund.isin, currency: 'EUR', price: '99.875' }), refs(bund), identity, '2027-12-31');
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

  it('hashes the same terms the same whatever their order, with DVP as the default settlement type', () => {
    const reordered = Object.fromEntries(Object.entries(terms()).reverse()) as unknown as TradeTerms;
    expect(termsHash(reordered)).toBe(termsHash(terms()));
    expect(termsHash(terms({ settlementType: 'DVP' }))).toBe(termsHash(terms()));
    expect(termsHash(terms({ price: '189.26' }))).not.toBe(termsHash(terms()));
  });
});
