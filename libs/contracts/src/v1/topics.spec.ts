import { DomainError } from '@postrade/kernel';
import { SERVICE_NAMES, type ServiceName } from '../services';
import {
  DEFAULT_DLQ_PARTITIONS,
  DEFAULT_STREAM_PARTITIONS,
  TOPIC_DEFINITIONS,
  Topics,
  dlqTopicFor,
  topicDefinition,
  topicDefinitionsWith,
} from './topics';

describe('topics', () => {
  it('declares every topic of the API exactly once', () => {
    const names = TOPIC_DEFINITIONS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...Object.values(Topics)].sort());
    expect(names).toEqual(
      expect.arrayContaining([
        'trades.inbound.v1',
        'trade-capture.trades.v1',
        'trade-capture.reference-data.v1',
        'confirmations.inbound.v1',
        'matching.results.v1',
        'compliance.decisions.v1',
        'settlement.status.inbound.v1',
        'settlement.events.v1',
        'settlement.instructions.outbound.v1',
        'ledger.events.v1',
        'statements.inbound.v1',
        'reconciliation.breaks.v1',
      ]),
    );
  });

  it('gives streams 6 partitions and DLQs 3 by default', () => {
    for (const topic of TOPIC_DEFINITIONS) {
      expect(topic.partitions).toBe(topic.kind === 'dlq' ? DEFAULT_DLQ_PARTITIONS : DEFAULT_STREAM_PARTITIONS);
    }
    expect(DEFAULT_STREAM_PARTITIONS).toBe(6);
    expect(DEFAULT_DLQ_PARTITIONS).toBe(3);
  });

  it('has one DLQ per service, owned by that service', () => {
    for (const service of SERVICE_NAMES) {
      expect(topicDefinition(dlqTopicFor(service))).toMatchObject({ owner: service, kind: 'dlq' });
    }
    expect(TOPIC_DEFINITIONS.filter((t) => t.kind === 'dlq')).toHaveLength(SERVICE_NAMES.length);
  });

  it('names a DLQ <service>.dlq.v1', () => {
    expect(dlqTopicFor('confirmation-matching')).toBe('confirmation-matching.dlq.v1');
  });

  it('refuses a DLQ for a service that does not exist', () => {
    expect(() => dlqTopicFor('billing' as ServiceName)).toThrow(DomainError);
  });

  it('lets the launcher override partition counts by kind and per topic, per topic winning', () => {
    const topics = topicDefinitionsWith({ streams: 12, dlqs: 1, topics: { [Topics.ledgerEvents]: 2 } });
    expect(topics.find((t) => t.name === Topics.tradeCaptureTrades)?.partitions).toBe(12);
    expect(topics.find((t) => t.name === Topics.settlementDlq)?.partitions).toBe(1);
    expect(topics.find((t) => t.name === Topics.ledgerEvents)?.partitions).toBe(2);
    expect(topicDefinition(Topics.tradeCaptureTrades).partitions).toBe(6);
  });

  it('rejects a partition count that is not a whole number of at least 1', () => {
    expect(() => topicDefinitionsWith({ streams: 0 })).toThrow(/streams/);
    expect(() => topicDefinitionsWith({ topics: { [Topics.ledgerEvents]: 1.5 } })).toThrow(/ledger\.events\.v1/);
    expect(() => topicDefinitionsWith({ topics: { 'nope.v1': 3 } as never })).toThrow(/not a Postrade topic/);
  });
});
