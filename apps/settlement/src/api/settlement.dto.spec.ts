import { createValidationPipe } from '@postrade/platform';
import { PutCashPenaltyRateRequest, PutPenaltyRateRequest, PutReferencePriceRequest } from './settlement.dto';

/** The body as the service's global pipe sees it: a 400 problem with field errors, or the DTO. */
const validate = (metatype: new () => object, body: object) => createValidationPipe().transform(body, { type: 'body', metatype });

const FORTY_DIGITS = '9'.repeat(40);

describe('settlement reference data bodies', () => {
  it('accept the decimals they accepted before', async () => {
    await expect(validate(PutReferencePriceRequest, { price: '189.25', currency: 'EUR' })).resolves.toMatchObject({ price: '189.25' });
    await expect(validate(PutPenaltyRateRequest, { effectiveFrom: '2026-01-01', rateBps: '1.0' })).resolves.toMatchObject({ rateBps: '1.0' });
    await expect(validate(PutCashPenaltyRateRequest, { effectiveFrom: '2026-01-01', annualPercent: '-0.5' })).resolves.toMatchObject({ annualPercent: '-0.5' });
  });

  it.each([
    ['price', PutReferencePriceRequest, { price: FORTY_DIGITS, currency: 'EUR' }, 'must have at most 18 digits before the decimal point and 12 after'],
    ['rateBps', PutPenaltyRateRequest, { effectiveFrom: '2026-01-01', rateBps: FORTY_DIGITS }, 'must have at most 6 digits before the decimal point and 12 after'],
    ['annualPercent', PutCashPenaltyRateRequest, { effectiveFrom: '2026-01-01', annualPercent: FORTY_DIGITS }, 'must have at most 6 digits before the decimal point and 12 after'],
  ])('refuse a 40-digit %s with a 400 naming it', async (field, metatype, body, message) => {
    await expect(validate(metatype, body)).rejects.toMatchObject({ status: 400, fieldErrors: [{ field, message }] });
  });

  it('bound a rate tighter than an amount: seven integer digits is no rate', async () => {
    await expect(validate(PutPenaltyRateRequest, { effectiveFrom: '2026-01-01', rateBps: '1000000' })).rejects.toMatchObject({ status: 400, fieldErrors: [{ field: 'rateBps' }] });
  });
});
