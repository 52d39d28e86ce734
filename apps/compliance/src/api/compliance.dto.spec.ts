import { createValidationPipe } from '@postrade/platform';
import { PutLimitRequest } from './compliance.dto';

/** The body as the service's global pipe sees it: a 400 problem with field errors, or the DTO. */
const validate = (body: object) => createValidationPipe().transform(body, { type: 'body', metatype: PutLimitRequest });

describe('PUT /api/v1/limits body', () => {
  it('accepts a limit as before: a decimal string, zero or more', async () => {
    for (const limit of ['5000000.00', '0', `${'9'.repeat(18)}.${'9'.repeat(12)}`]) await expect(validate({ limit })).resolves.toMatchObject({ limit });
  });

  it('refuses a 40-digit limit with a 400 naming limit, before reading it', async () => {
    await expect(validate({ limit: '9'.repeat(40) })).rejects.toMatchObject({
      status: 400,
      fieldErrors: [{ field: 'limit', message: 'must have at most 18 digits before the decimal point and 12 after' }],
    });
  });

  it('still refuses a negative limit at the door', async () => {
    await expect(validate({ limit: '-1' })).rejects.toMatchObject({ status: 400, fieldErrors: [{ field: 'limit', message: 'must not be negative' }] });
  });
});
