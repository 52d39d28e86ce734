import { DomainError } from '@postrade/kernel';
import { classifyFailure, PermanentFailure } from './message-processor';

describe('what the consumer does with a failure', () => {
  it('dead-letters a domain rule or an unparsable message at once', () => {
    expect(classifyFailure(DomainError.invalid('quantity', 'must be positive'))).toBe('permanent');
    expect(classifyFailure(new PermanentFailure('value is not JSON'))).toBe('permanent');
  });

  it('waits out the database being away or a serialization failure', () => {
    expect(classifyFailure(Object.assign(new Error('could not serialize access'), { code: '40001' }))).toBe('transient');
    expect(classifyFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe('transient');
    expect(classifyFailure({ message: 'query failed', driverError: Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }) })).toBe(
      'transient',
    );
  });

  it('retries anything else a bounded number of times before dead-lettering it', () => {
    expect(classifyFailure(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe('unexpected');
    expect(classifyFailure(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe('unexpected');
  });
});
