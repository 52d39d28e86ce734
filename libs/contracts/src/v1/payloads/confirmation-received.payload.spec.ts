import { DomainError } from '@postrade/kernel';
import { validatePayload } from '../../validate-payload';
import { ConfirmationReceived } from './confirmation-received.payload';
import { confirmationBody } from './payload-fixtures';

const fieldsRejected = (value: unknown): string[] => {
  try {
    validatePayload(ConfirmationReceived, value);
    return [];
  } catch (err) {
    if (err instanceof DomainError) return err.errors.map((e) => e.field);
    throw err;
  }
};

describe('ConfirmationReceived', () => {
  it('accepts the POST /api/v1/confirmations example body', () => {
    expect(validatePayload(ConfirmationReceived, confirmationBody())).toBeInstanceOf(ConfirmationReceived);
  });

  it('accepts a confirmation without gross amount and our reference', () => {
    expect(fieldsRejected(confirmationBody({ grossAmount: undefined, ourReference: undefined }))).toEqual([]);
  });

  it('requires the net amount and settlement date', () => {
    expect(fieldsRejected(confirmationBody({ netAmount: undefined, settlementDate: undefined })).sort()).toEqual([
      'netAmount',
      'settlementDate',
    ]);
  });

  it('rejects a sender LEI that is not 20 upper-case alphanumerics', () => {
    expect(fieldsRejected(confirmationBody({ senderLei: '5493001kjtiigc8y1r12' }))).toEqual(['senderLei']);
  });
});
