import { DomainError } from '@postrade/kernel';
import { validatePayload } from '../../validate-payload';
import { tradeSubmissionBody } from './payload-fixtures';
import { TradeSubmission } from './trade-submission.payload';

describe('TradeSubmission', () => {
  it('accepts the POST /api/v1/trades example body', () => {
    expect(validatePayload(TradeSubmission, tradeSubmissionBody())).toMatchObject({ isin: 'US0378331005', fees: '1.20' });
  });

  it('does not accept the lifecycle fields of a reported trade', () => {
    expect(() => validatePayload(TradeSubmission, tradeSubmissionBody({ action: 'NEW' }))).toThrow(
      expect.objectContaining({ errors: [{ field: 'action', message: 'is not a known field' }] }),
    );
  });

  it('rejects commission and fees sent as numbers', () => {
    try {
      validatePayload(TradeSubmission, tradeSubmissionBody({ commission: 10, fees: 1.2 }));
      throw new Error('expected a rejection');
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).errors.map((e) => e.field)).toEqual(['commission', 'fees']);
    }
  });
});
