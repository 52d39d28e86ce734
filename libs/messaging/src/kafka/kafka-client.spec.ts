import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asPrincipal, developmentKafkaPassword, kafkaConnectionFromEnv, kafkaPasswordOf } from './kafka-client';

const BROKERS = { KAFKA_BROKERS: 'a:9092,b:9092' };

describe('kafkaConnectionFromEnv', () => {
  it('logs a service in as its own principal with SCRAM-SHA-256 over SASL_PLAINTEXT by default', () => {
    expect(kafkaConnectionFromEnv('settlement', { ...BROKERS, SETTLEMENT_KAFKA_PASSWORD: 's3cret-long-enough' })).toEqual({
      clientId: 'settlement',
      brokers: ['a:9092', 'b:9092'],
      sasl: { mechanism: 'scram-sha-256', username: 'settlement', password: 's3cret-long-enough' },
    });
  });

  it("uses a service's or gateway's development password only with POSTRADE_DEV_KEYS=1", () => {
    expect(kafkaConnectionFromEnv('ledger', { ...BROKERS, POSTRADE_DEV_KEYS: '1' }).sasl).toMatchObject({ username: 'ledger', password: 'ledger-dev' });
    expect(kafkaConnectionFromEnv('oms-gateway', { ...BROKERS, POSTRADE_DEV_KEYS: '1' }).sasl).toMatchObject({ username: 'oms-gateway', password: 'oms-gateway-dev' });
    expect(() => kafkaConnectionFromEnv('ledger', BROKERS)).toThrow(/LEDGER_KAFKA_PASSWORD is not set/);
    expect(() => kafkaConnectionFromEnv('ledger', { ...BROKERS, LEDGER_KAFKA_PASSWORD: 'ledger-dev' })).toThrow(/LEDGER_KAFKA_PASSWORD is the development password of ledger/);
  });

  it('logs anything else in as KAFKA_USERNAME, or as the principal named', () => {
    expect(kafkaConnectionFromEnv('a-tool', { ...BROKERS, KAFKA_USERNAME: 'ops', KAFKA_PASSWORD: 'pw', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512' }).sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'ops',
      password: 'pw',
    });
    expect(() => kafkaConnectionFromEnv('a-tool', BROKERS)).toThrow(/KAFKA_USERNAME and KAFKA_PASSWORD must be set/);
    expect(kafkaConnectionFromEnv('a-tool', { ...BROKERS, POSTRADE_DEV_KEYS: '1' }, 'custodian-gateway').sasl).toMatchObject({ username: 'custodian-gateway' });
  });

  it('connects without authentication with KAFKA_SECURITY_PROTOCOL=PLAINTEXT, and refuses an unknown protocol', () => {
    expect(kafkaConnectionFromEnv('settlement', { ...BROKERS, KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT' })).toEqual({ clientId: 'settlement', brokers: ['a:9092', 'b:9092'] });
    expect(() => kafkaConnectionFromEnv('settlement', { ...BROKERS, KAFKA_SECURITY_PROTOCOL: 'KERBEROS' })).toThrow(/KAFKA_SECURITY_PROTOCOL must be one of/);
  });

  it('turns TLS on for SASL_SSL and SSL, with a CA file and a client certificate when given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-tls-'));
    writeFileSync(join(dir, 'ca.pem'), 'CA');
    const env = { ...BROKERS, POSTRADE_DEV_KEYS: '1' };
    expect(kafkaConnectionFromEnv('ledger', { ...env, KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' }).ssl).toBe(true);
    expect(kafkaConnectionFromEnv('ledger', { ...env, KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SSL_CA_FILE: join(dir, 'ca.pem') }).ssl).toEqual({
      ca: 'CA',
      cert: undefined,
      key: undefined,
      rejectUnauthorized: true,
    });
    const mutual = kafkaConnectionFromEnv('ledger', { ...env, KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: join(dir, 'ca.pem') });
    expect(mutual.sasl).toBeUndefined();
    expect(mutual.ssl).toMatchObject({ ca: 'CA' });
  });

  it('names the broker-side password of a principal and logs the same broker in as another', () => {
    expect(developmentKafkaPassword('admin')).toBe('admin-dev');
    expect(kafkaPasswordOf('trade-capture', { TRADE_CAPTURE_KAFKA_PASSWORD: 'x' })).toBe('x');
    const ledger = kafkaConnectionFromEnv('ledger', { ...BROKERS, POSTRADE_DEV_KEYS: '1' });
    expect(asPrincipal(ledger, { username: 'oms-gateway', password: 'p' }).sasl).toEqual({ mechanism: 'scram-sha-256', username: 'oms-gateway', password: 'p' });
  });
});
