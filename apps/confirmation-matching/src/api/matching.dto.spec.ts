import { createValidationPipe } from '@postrade/platform';
import { PutMatchingProfileRequest } from './matching.dto';

/** The body as the service's global pipe sees it: a 400 problem with field errors, or the DTO. */
const validate = (body: object) => createValidationPipe().transform(body, { type: 'body', metatype: PutMatchingProfileRequest });

const profile = (rule: Record<string, unknown>) => ({ autoAffirm: false, rules: [{ field: 'netAmount', rule: 'ABSOLUTE', tolerance: '25', ...rule }] });
const FORTY_DIGITS = '9'.repeat(40);
const TOO_MANY_DIGITS = 'must have at most 18 digits before the decimal point and 12 after';

describe('PUT /api/v1/matching-profiles/{name} body', () => {
  it('accepts tolerances, caps and tiers as before', async () => {
    await expect(validate(profile({ tiers: [{ above: '100000', tolerance: '50.5' }] }))).resolves.toBeInstanceOf(PutMatchingProfileRequest);
    await expect(validate(profile({ field: 'price', rule: 'PERCENT_CAPPED', tolerance: '0.5', cap: '0' }))).resolves.toBeInstanceOf(PutMatchingProfileRequest);
  });

  it.each([
    ['rules.0.tolerance', profile({ tolerance: FORTY_DIGITS })],
    ['rules.0.cap', profile({ rule: 'PERCENT_CAPPED', cap: FORTY_DIGITS })],
    ['rules.0.tiers.0.above', profile({ tiers: [{ above: FORTY_DIGITS, tolerance: '1' }] })],
    ['rules.0.tiers.0.tolerance', profile({ tiers: [{ above: '1', tolerance: FORTY_DIGITS }] })],
  ])('refuses a 40-digit %s with a 400 naming it', async (field, body) => {
    await expect(validate(body)).rejects.toMatchObject({ status: 400, fieldErrors: [{ field, message: TOO_MANY_DIGITS }] });
  });

  it('still refuses a negative tolerance at the door', async () => {
    await expect(validate(profile({ tolerance: '-1' }))).rejects.toMatchObject({ status: 400, fieldErrors: [{ field: 'rules.0.tolerance', message: 'must not be negative' }] });
  });
});
