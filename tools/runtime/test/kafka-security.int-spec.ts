import { randomUUID } from 'node:crypto';
import { EventTypes, Topics, sourceFor, toHeaders } from '@postrade/contracts';
import { asPrincipal, createKafka, developmentKafkaPassword, kafkaConnectionFromEnv, KafkajsEventPublisher, readTopic, type KafkaConnection } from '@postrade/messaging';

/** One message, sent by a plain producer as `connection`'s principal: resolves, or rejects with the broker's refusal. */
async function write(connection: KafkaConnection, topic: string, key: string): Promise<void> {
  const producer = createKafka({ ...connection, clientId: 'security-test' }).producer({ retry: { retries: 0 } });
  await producer.connect();
  try {
    const data = { probe: key };
    await producer.send({
      topic,
      messages: [{ key, value: JSON.stringify(data), headers: toHeaders({ id: randomUUID(), source: 'security-test', type: 'postrade.security.probe.v1', time: new Date().toISOString(), subject: key, data }) }],
    });
  } finally {
    await producer.disconnect();
  }
}

/**
 * kafkajs' text for the broker's TOPIC_AUTHORIZATION_FAILED (error code 29), whether it comes on the
 * produce answer (KafkaJSProtocolError, type TOPIC_AUTHORIZATION_FAILED) or on the producer's metadata
 * request before it (KafkaJSNonRetriableError wrapping it).
 */
const TOPIC_AUTHORIZATION_FAILED = 'Not authorized to access topics: [Topic authorization failed]';

const gateway = (name: string) => asPrincipal(kafkaConnectionFromEnv('security-test'), { username: name, password: developmentKafkaPassword(name) });

/** The consumers' ce_source check against this broker: apps/settlement/test/settlement.forged-source.int-spec.ts. */
describe('the secured broker: SASL/SCRAM principals and the ACLs of the topic registry', () => {
  it('runs with authentication: a client without credentials, or with a wrong password, is refused', async () => {
    const { sasl: _sasl, ...anonymous } = kafkaConnectionFromEnv('security-test');
    await expect(write(anonymous, Topics.settlementDlq, 'anonymous')).rejects.toThrow();
    await expect(write(asPrincipal(kafkaConnectionFromEnv('security-test'), { username: 'settlement', password: 'not-its-password' }), Topics.settlementDlq, 'wrong')).rejects.toThrow(
      /SASL SCRAM SHA256 authentication failed/,
    );
  });

  it("refuses a service's write to a topic it does not own (TOPIC_AUTHORIZATION_FAILED), and takes one to its own", async () => {
    const settlement = kafkaConnectionFromEnv('settlement');
    expect(settlement.sasl).toMatchObject({ username: 'settlement', mechanism: 'scram-sha-256' });
    await expect(write(settlement, Topics.complianceDecisions, `forged-${randomUUID()}`)).rejects.toThrow(TOPIC_AUTHORIZATION_FAILED);
    await expect(write(settlement, Topics.tradesInbound, `forged-${randomUUID()}`)).rejects.toThrow(TOPIC_AUTHORIZATION_FAILED);
    // Its dead-letter topic is its own (and consumed by no one, so this probe disturbs no test).
    await expect(write(settlement, Topics.settlementDlq, `own-${randomUUID()}`)).resolves.toBeUndefined();
  });

  it('lets a gateway principal write its inbound topic and nothing else', async () => {
    const oms = gateway('oms-gateway');
    await expect(write(oms, Topics.confirmationsInbound, `oms-${randomUUID()}`)).rejects.toThrow(TOPIC_AUTHORIZATION_FAILED);
    await expect(write(oms, Topics.tradeCaptureTrades, `oms-${randomUUID()}`)).rejects.toThrow(TOPIC_AUTHORIZATION_FAILED);
    await expect(write(gateway('custodian-gateway'), Topics.tradesInbound, `cust-${randomUUID()}`)).rejects.toThrow(TOPIC_AUTHORIZATION_FAILED);
    // Nor may it read what is not sent back to it.
    await expect(readTopic(oms, Topics.settlementEvents, () => true, 20_000)).rejects.toThrow(/Not authorized to access/);
    // The write it may make: a trade report that trade-capture acknowledges (REJECTED: it is no trade submission).
    await expect(
      new KafkajsEventPublisher(oms).send([
        {
          topic: Topics.tradesInbound,
          key: `SEC-${randomUUID()}`,
          value: '{}',
          headers: toHeaders({ id: randomUUID(), source: sourceFor(Topics.tradesInbound, 'SECURITY-TEST'), type: EventTypes.tradeReported, time: new Date().toISOString(), subject: 'probe' }),
        },
      ]),
    ).resolves.toBeUndefined();
  });
});
