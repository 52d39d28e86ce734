import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GATEWAY_NAMES, SERVICE_NAMES } from '@postrade/contracts';
import { developmentKafkaPassword, kafkaConnectionFromEnv, KAFKA_ADMIN_PRINCIPAL } from '@postrade/messaging';

/** docker-compose.yml's Kafka credentials, read from the file as Compose would substitute them (no Docker engine here). */
interface ComposeService {
  profiles?: string[];
  environment?: Record<string, string | number>;
  entrypoint?: string[];
  volumes?: string[];
}

const compose = parse(readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };

function interpolated(service: ComposeService, shell: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [
      name,
      String(value).replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_, variable: string, fallback = '') => shell[variable] || fallback),
    ]),
  );
}

const prefix = (principal: string) => principal.toUpperCase().replace(/[^A-Z0-9]/g, '_');

describe("docker-compose.yml's Kafka credentials", () => {
  it('creates every principal on the broker, with the development password unless one is set', () => {
    const kafka = interpolated(compose.services.kafka);
    for (const principal of [KAFKA_ADMIN_PRINCIPAL, ...SERVICE_NAMES, ...GATEWAY_NAMES]) {
      expect({ principal, password: kafka[`${prefix(principal)}_KAFKA_PASSWORD`] }).toEqual({ principal, password: developmentKafkaPassword(principal) });
    }
    expect(interpolated(compose.services.kafka, { LEDGER_KAFKA_PASSWORD: 'chosen' }).LEDGER_KAFKA_PASSWORD).toBe('chosen');
    expect(compose.services.kafka.entrypoint).toEqual(['/bin/bash', '/opt/postrade/compose-broker.sh']);
    // The script names the same principals.
    const script = readFileSync(join(__dirname, '..', '..', 'libs', 'local-runtime', 'src', 'kafka', 'compose-broker.sh'), 'utf8');
    const listed = /^PRINCIPALS="([^"]+)"/m.exec(script)![1].split(' ');
    expect(listed.sort()).toEqual([KAFKA_ADMIN_PRINCIPAL, ...SERVICE_NAMES, ...GATEWAY_NAMES].sort());
  });

  it('creates every principal on the production broker with the password set for it, and has no default to fall back on', () => {
    const production = compose.services['kafka-production'];
    const principals = [KAFKA_ADMIN_PRINCIPAL, ...SERVICE_NAMES, ...GATEWAY_NAMES];
    for (const principal of principals) {
      expect({ principal, value: production.environment?.[`${prefix(principal)}_KAFKA_PASSWORD`] }).toEqual({
        principal,
        value: `\${${prefix(principal)}_KAFKA_PASSWORD:?set ${prefix(principal)}_KAFKA_PASSWORD}`,
      });
    }
    expect(production.entrypoint).toEqual(compose.services.kafka.entrypoint);
    expect(compose.services['bootstrap-production'].environment?.KAFKA_PASSWORD).toBe('${ADMIN_KAFKA_PASSWORD:?set ADMIN_KAFKA_PASSWORD}');
  });

  it('gives the administrator to bootstrap only', () => {
    const bootstrap = interpolated(compose.services.bootstrap, { ADMIN_KAFKA_PASSWORD: 'admin-secret' });
    expect([bootstrap.KAFKA_USERNAME, bootstrap.KAFKA_PASSWORD]).toEqual([KAFKA_ADMIN_PRINCIPAL, 'admin-secret']);
    for (const [name, service] of Object.entries(compose.services).filter(([n]) => !['bootstrap', 'bootstrap-production', 'kafka', 'kafka-production'].includes(n))) {
      expect({ name, leaks: JSON.stringify(interpolated(service, { ADMIN_KAFKA_PASSWORD: 'admin-secret' })).includes('admin-secret') }).toEqual({ name, leaks: false });
    }
  });

  it.each(SERVICE_NAMES)('gives production %s its own Kafka password and no other, and refuses to start without one', (service) => {
    const env = interpolated(compose.services[service], { [`${prefix(service)}_KAFKA_PASSWORD`]: 'its-own' });
    expect(Object.keys(env).filter((k) => k.endsWith('_KAFKA_PASSWORD'))).toEqual([`${prefix(service)}_KAFKA_PASSWORD`]);
    expect(kafkaConnectionFromEnv(service, env).sasl).toMatchObject({ username: service, password: 'its-own' });
    expect(() => kafkaConnectionFromEnv(service, interpolated(compose.services[service]))).toThrow(`${prefix(service)}_KAFKA_PASSWORD is not set`);
    // The dev profile logs in with the development password, which the broker holds by default.
    expect(kafkaConnectionFromEnv(service, interpolated(compose.services[`${service}-dev`])).sasl).toMatchObject({ password: developmentKafkaPassword(service) });
  });
});
