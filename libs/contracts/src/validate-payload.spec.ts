import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsString, Matches, ValidateNested } from 'class-validator';
import { DomainError, type FieldError } from '@postrade/kernel';
import { validatePayload } from './validate-payload';

// A small nested shape, standing in for any payload with objects and arrays inside.
class Leg {
  @IsString({ message: 'must be a string' })
  account: string;

  @Matches(/^-?\d+(\.\d+)?$/, { message: 'must be a decimal string' })
  debit: string;
}

class Entry {
  @IsString({ message: 'must be a string' })
  entryId: string;

  @ValidateNested()
  @Type(() => Leg)
  postings: Leg[];
}

function fieldErrorsOf(fn: () => unknown): FieldError[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) {
      expect(err.kind).toBe('invalid');
      return err.errors;
    }
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('validatePayload', () => {
  it('returns an instance of the payload class for a valid value', () => {
    const entry = validatePayload(Entry, { entryId: 'e1', postings: [{ account: 'cash', debit: '10.00' }] });
    expect(entry).toBeInstanceOf(Entry);
    expect(entry.postings[0]).toBeInstanceOf(Leg);
  });

  it('returns the keys the value had and no others', () => {
    const entry = validatePayload(Entry, { entryId: 'e1', postings: [] });
    expect(Object.keys(entry)).toEqual(['entryId', 'postings']);
  });

  it('names nested fields by path', () => {
    const errors = fieldErrorsOf(() =>
      validatePayload(Entry, { entryId: 'e1', postings: [{ account: 'cash', debit: '1' }, { account: 'cash', debit: 1 }] }),
    );
    expect(errors).toEqual([{ field: 'postings[1].debit', message: 'must be a decimal string' }]);
  });

  it('rejects unknown nested fields by path', () => {
    const errors = fieldErrorsOf(() =>
      validatePayload(Entry, { entryId: 'e1', postings: [{ account: 'cash', debit: '1', memo: 'x' }] }),
    );
    expect(errors).toEqual([{ field: 'postings[0].memo', message: 'is not a known field' }]);
  });

  it.each([[null], ['text'], [42], [[1]]])('rejects %p as a whole: a payload is a JSON object', (value) => {
    expect(fieldErrorsOf(() => validatePayload(Entry, value))).toEqual([{ field: 'payload', message: 'must be a JSON object' }]);
  });

  it('rejects keys the object mapper would otherwise drop silently', () => {
    const value = JSON.parse('{"entryId":"e1","postings":[],"__proto__":{"admin":true}}');
    expect(fieldErrorsOf(() => validatePayload(Entry, value))).toEqual([{ field: '__proto__', message: 'is not a known field' }]);
  });

  it('reports one message per failing field', () => {
    const errors = fieldErrorsOf(() => validatePayload(Entry, { postings: [] }));
    expect(errors.map((e) => e.field)).toEqual(['entryId']);
  });
});
