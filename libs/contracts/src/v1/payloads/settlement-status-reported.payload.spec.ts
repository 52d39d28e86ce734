import { DomainError } from '@postrade/kernel';
import { validatePayload } from '../../validate-payload';
import { SettlementStatusReported } from './settlement-status-reported.payload';

const update = (overrides: Record<string, unknown>) => ({ instructionId: 'I-1', updateId: 'U-1', ...overrides });

const fieldsRejected = (value: unknown): string[] => {
  try {
    validatePayload(SettlementStatusReported, value);
    return [];
  } catch (err) {
    if (err instanceof DomainError) return err.errors.map((e) => e.field).sort();
    throw err;
  }
};

describe('SettlementStatusReported', () => {
  it('accepts a MATCHED update with nothing else', () => {
    expect(fieldsRejected(update({ status: 'MATCHED' }))).toEqual([]);
  });

  it('requires quantity, amount and effective date for a partial settlement', () => {
    expect(fieldsRejected(update({ status: 'PARTIALLY_SETTLED' }))).toEqual(['effectiveDate', 'settledAmount', 'settledQuantity']);
    expect(
      fieldsRejected(update({ status: 'PARTIALLY_SETTLED', settledQuantity: '400', settledAmount: '75700.00', effectiveDate: '2026-11-24' })),
    ).toEqual([]);
  });

  it('requires only the effective date for SETTLED, the quantity being the remainder', () => {
    expect(fieldsRejected(update({ status: 'SETTLED' }))).toEqual(['effectiveDate']);
    expect(fieldsRejected(update({ status: 'SETTLED', effectiveDate: '2026-11-24' }))).toEqual([]);
  });

  it('requires the failing party and an MT548 reason code for FAILED', () => {
    expect(fieldsRejected(update({ status: 'FAILED' }))).toEqual(['failingParty', 'reasonCode']);
    expect(fieldsRejected(update({ status: 'FAILED', failingParty: 'COUNTERPARTY', reasonCode: 'CLAC' }))).toEqual([]);
    expect(fieldsRejected(update({ status: 'FAILED', failingParty: 'THEM', reasonCode: 'NOPE' }))).toEqual(['failingParty', 'reasonCode']);
  });

  it('requires the instruction id on the Kafka payload', () => {
    expect(fieldsRejected({ updateId: 'U-1', status: 'MATCHED' })).toEqual(['instructionId']);
  });

  it('rejects a settled quantity sent as a number', () => {
    expect(
      fieldsRejected(update({ status: 'PARTIALLY_SETTLED', settledQuantity: 400, settledAmount: '1', effectiveDate: '2026-11-24' })),
    ).toEqual(['settledQuantity']);
  });
});
