import { DomainError } from '@postrade/kernel';
import { EventTypes, Topics } from '@postrade/contracts';
import { classifyFailure, PermanentFailure, unhandledTypeReason } from './message-processor';

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

describe('an event no handler of the consumer takes', () => {
  const at = (type: string, topic: string, ignored: string[] = []) =>
    unhandledTypeReason({ consumer: 'compliance.settlement', handled: [EventTypes.settlementSettled], ignored: new Set(ignored), type, topic });

  it('is skipped when the contract puts its type on the topic: the consumer reads the topic for other types', () => {
    expect(at(EventTypes.settlementInstructed, Topics.settlementEvents)).toBeUndefined();
  });

  it('is skipped when the consumer lists the type as ignored', () => {
    expect(at('postrade.test.retired.v1', Topics.settlementEvents, ['postrade.test.retired.v1'])).toBeUndefined();
  });

  it('is dead-lettered, with the reason, when its type is unknown or belongs on another topic', () => {
    expect(at('postrade.settlement.settled.v2', Topics.settlementEvents)).toBe(
      `no handler for event type postrade.settlement.settled.v2 on ${Topics.settlementEvents}: consumer compliance.settlement handles ${EventTypes.settlementSettled}, and the contract does not put this type on the topic`,
    );
    expect(at(EventTypes.tradeCaptured, Topics.settlementEvents)).toMatch(/^no handler for event type postrade\.trade\.captured\.v1/);
  });
});
