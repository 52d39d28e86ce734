import { DomainError } from '@postrade/kernel';
import { EVENT_TYPES, EVENT_TYPE_TOPICS, EventTypes, eventTypesOn, isEventType, topicForEventType } from './event-types';
import { TOPIC_DEFINITIONS, Topics, isTopicName } from './topics';

describe('event types', () => {
  it.each(EVENT_TYPES)('%s is published on a declared stream topic', (type) => {
    const topic = topicForEventType(type);
    expect(isTopicName(topic)).toBe(true);
    expect(TOPIC_DEFINITIONS.find((t) => t.name === topic)?.kind).toBe('stream');
  });

  it('follows postrade.<aggregate>.<event>.v1', () => {
    for (const type of EVENT_TYPES) expect(type).toMatch(/^postrade\.[a-z-]+\.[a-z-]+\.v1$/);
  });

  it('gives every stream topic at least one event type, and DLQs none', () => {
    for (const topic of TOPIC_DEFINITIONS) {
      if (topic.kind === 'stream') expect(eventTypesOn(topic.name).length).toBeGreaterThan(0);
      else expect(eventTypesOn(topic.name)).toEqual([]);
    }
  });

  it('publishes every reference-data change on the reference-data topic', () => {
    expect(eventTypesOn(Topics.tradeCaptureReferenceData).sort()).toEqual([
      'postrade.counterparty.upserted.v1',
      'postrade.instrument.upserted.v1',
      'postrade.legal-entity.upserted.v1',
      'postrade.ssi.upserted.v1',
    ]);
  });

  it('lists exactly the event types mapped to topics', () => {
    expect([...EVENT_TYPES].sort()).toEqual(Object.keys(EVENT_TYPE_TOPICS).sort());
    expect(EVENT_TYPES).toHaveLength(37);
  });

  it('puts the six settlement lifecycle events on settlement.events.v1', () => {
    expect(eventTypesOn(Topics.settlementEvents)).toEqual([
      EventTypes.settlementInstructed,
      EventTypes.settlementPartiallySettled,
      EventTypes.settlementSettled,
      EventTypes.settlementFailed,
      EventTypes.settlementCancelled,
      EventTypes.settlementPenaltyAssessed,
    ]);
  });

  it('rejects an unknown type, naming ce_type', () => {
    expect(isEventType('postrade.trade.exploded.v1')).toBe(false);
    expect(() => topicForEventType('postrade.trade.exploded.v1')).toThrow(DomainError);
    expect(() => topicForEventType('postrade.trade.exploded.v1')).toThrow(/ce_type/);
  });
});
