import { createValidationPipe } from '@postrade/platform';
import { PutInstrumentRequest } from './reference-data.dto';

/** The body as the service's global pipe sees it: a 400 problem with field errors, or the DTO. */
const validate = (body: object) => createValidationPipe().transform(body, { type: 'body', metatype: PutInstrumentRequest });

const bond = {
  description: 'UST 4.125 07/29',
  currency: 'USD',
  assetClass: 'GOVT_BOND',
  priceType: 'PERCENT_OF_PAR',
  settlementMarket: 'US',
  csdrCategory: 'SOVEREIGN_DEBT',
  couponRate: '4.125',
  minimumDenomination: '100000',
  denominationIncrement: '1000',
};
const FORTY_DIGITS = '9'.repeat(40);

describe('PUT /api/v1/instruments/{isin} body', () => {
  it('accepts the decimals it accepted before', async () => {
    await expect(validate(bond)).resolves.toMatchObject({ couponRate: '4.125', minimumDenomination: '100000', denominationIncrement: '1000' });
    await expect(validate({ ...bond, couponRate: '0', minimumDenomination: '0.01', denominationIncrement: null })).resolves.toMatchObject({ couponRate: '0' });
  });

  it.each([
    ['couponRate', 'must have at most 6 digits before the decimal point and 12 after'],
    ['minimumDenomination', 'must have at most 18 digits before the decimal point and 12 after'],
    ['denominationIncrement', 'must have at most 18 digits before the decimal point and 12 after'],
  ])('refuses a 40-digit %s with a 400 naming it', async (field, message) => {
    await expect(validate({ ...bond, [field]: FORTY_DIGITS })).rejects.toMatchObject({ status: 400, fieldErrors: [{ field, message }] });
  });
});
