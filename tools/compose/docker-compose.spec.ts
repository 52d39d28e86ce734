import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PlatformConfig } from '@postrade/platform';
import { developmentPasswordProblems, serviceEnvPrefix, serviceRolePassword } from '@postrade/persistence';
import { SERVICES } from '../runtime/services';

/**
 * docker-compose.yml cannot be run here (no Docker engine), so its security properties are read
 * from the file: each service's credentials, the profiles, and what a service would do with the
 * environment Compose would give it.
 */

interface ComposeService {
  profiles?: string[];
  image?: string;
  build?: { context: string; dockerfile: string; args: Record<string, string> };
  command?: string[];
  ports?: string[];
  volumes?: string[];
  user?: string;
  read_only?: boolean;
  environment?: Record<string, string | number>;
  networks?: Record<string, unknown>;
  depends_on?: Record<string, unknown>;
}

const compose = parse(readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

/**
 * Compose's `${VAR:-default}`, `${VAR}` and `${VAR:?message}`, as `docker compose up` would substitute
 * them from `shell`: the last refuses (throws the message) when VAR is unset or empty.
 */
function interpolated(service: ComposeService, shell: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [
      name,
      String(value).replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, variable: string, operator?: string, operand = '') => {
        if (shell[variable]) return shell[variable];
        if (operator === '?') throw new Error(`${name}: ${variable} is required: ${operand}`);
        return operator === '-' ? operand : '';
      }),
    ]),
  );
}

const SUPERUSER_PASSWORD_VARIABLE = 'POSTGRES_PASSWORD';
/** Every variable the file names, set: what an operator of the production profile must provide. */
const everyVariableSet = Object.fromEntries(
  [...readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8').matchAll(/\$\{(\w+)/g)].map(([, variable]) => [variable, `${variable.toLowerCase()}-set`]),
);
const variants = SERVICES.flatMap((service) => [
  { name: service.name, service, profile: 'production', definition: compose.services[service.name] },
  { name: `${service.name}-dev`, service, profile: 'dev', definition: compose.services[`${service.name}-dev`] },
]);

describe('docker-compose.yml', () => {
  it('defines each service once per profile, dev (main.ts from the source) and production (its image), and no service outside a profile', () => {
    for (const { service, profile, definition } of variants) {
      expect({ name: service.name, profile, profiles: definition?.profiles }).toEqual({ name: service.name, profile, profiles: [profile] });
      if (profile === 'dev') expect(definition.command).toEqual(['npm', 'run', 'service', '--', service.main]);
      else expect({ image: definition.image, command: definition.command }).toEqual({ image: `postrade/${service.name}:\${POSTRADE_VERSION:-latest}`, command: undefined });
      expect(definition.ports).toEqual([`${service.port}:${service.port}`]);
    }
    const unprofiled = Object.entries(compose.services).filter(([, definition]) => definition.profiles === undefined).map(([name]) => name);
    expect(unprofiled.sort()).toEqual(['postgres']);
    // The broker and bootstrap once per profile; the production broker answers to `kafka` as the dev one.
    expect(['kafka', 'bootstrap', 'kafka-production', 'bootstrap-production'].map((name) => compose.services[name].profiles)).toEqual([
      ['dev'],
      ['dev'],
      ['production'],
      ['production'],
    ]);
    expect(compose.services['kafka-production'].networks).toEqual({ default: { aliases: ['kafka'] } });
    for (const service of SERVICES) expect(Object.keys(compose.services[service.name].depends_on ?? {})).toEqual(['bootstrap-production']);
  });

  describe.each(variants.map((variant) => [variant.name, variant] as const))('%s', (_, { service, profile, definition }) => {
    const env = interpolated(definition, { POSTGRES_PASSWORD: 'superuser-secret' });
    const prefix = serviceEnvPrefix(service.name);

    it('is given no credentials in a URL and no superuser password', () => {
      const urls = Object.values(env).filter((value) => /^postgres(ql)?:\/\//.test(value));
      expect(urls).toEqual(['postgres://postgres:5432/postrade']);
      for (const url of urls) expect([new URL(url).username, new URL(url).password]).toEqual(['', '']);
      expect(Object.keys(env)).not.toContain(SUPERUSER_PASSWORD_VARIABLE);
      expect(JSON.stringify(env)).not.toContain('superuser-secret');
    });

    it('is given its own runtime password and no other service’s', () => {
      const passwords = Object.keys(env).filter((name) => /_DB_PASSWORD$|_DATABASE_URL$/.test(name));
      expect(passwords).toEqual([`${prefix}_DB_PASSWORD`]);
    });

    it(profile === 'dev' ? 'turns the development keys on' : 'keeps the development keys off', () => {
      expect(env.POSTRADE_DEV_KEYS).toBe(profile === 'dev' ? '1' : '0');
    });
  });

  describe('production profile', () => {
    it('builds each service image from docker/service.Dockerfile for that service, and runs it with no source mounted', () => {
      for (const service of SERVICES) {
        const definition = compose.services[service.name];
        expect({ name: service.name, build: definition.build, volumes: definition.volumes }).toEqual({
          name: service.name,
          build: { context: '.', dockerfile: 'docker/service.Dockerfile', args: { SERVICE: service.name } },
          volumes: undefined,
        });
      }
    });

    it('runs each service as a non-root user on a read-only root filesystem', () => {
      for (const service of SERVICES) {
        const { user, read_only } = compose.services[service.name];
        expect({ name: service.name, user, read_only }).toEqual({ name: service.name, user: '1000:1000', read_only: true });
      }
    });

    it('publishes no Kafka or Postgres port', () => {
      expect({ kafka: compose.services.kafka.ports, postgres: compose.services.postgres.ports }).toEqual({ kafka: undefined, postgres: undefined });
    });

    it('has no default password: a production service gets none unless one is set, and Postgres refuses to start without its own', () => {
      for (const service of SERVICES) {
        const passwords = Object.entries(interpolated(compose.services[service.name])).filter(([name]) => /PASSWORD/.test(name));
        expect(passwords.length).toBeGreaterThan(0);
        for (const [name, value] of passwords) expect({ service: service.name, name, value }).toEqual({ service: service.name, name, value: '' });
      }
      expect(() => interpolated(compose.services.postgres)).toThrow(/POSTGRES_PASSWORD is required/);
      expect(() => interpolated(compose.services.bootstrap)).toThrow(/POSTGRES_PASSWORD is required/);
      expect(() => interpolated(compose.services['bootstrap-production'])).toThrow(/POSTGRES_PASSWORD is required/);
      expect(interpolated(compose.services.postgres, { POSTGRES_PASSWORD: 'chosen' }).POSTGRES_PASSWORD).toBe('chosen');
    });

    it('runs a broker and a bootstrap with no default password: each principal\'s and each runtime role\'s must be set', () => {
      const passwordsOf = (name: string) => Object.entries(compose.services[name].environment ?? {}).filter(([variable]) => /PASSWORD$/.test(variable));
      const broker = passwordsOf('kafka-production');
      const bootstrap = passwordsOf('bootstrap-production');
      expect(broker.length).toBe(10);
      expect(bootstrap.length).toBe(SERVICES.length + 1);
      for (const [variable, value] of [...broker, ...bootstrap]) expect({ variable, value }).toEqual({ variable, value: expect.stringMatching(/^\$\{\w+:\?/) });
      const everyPassword = Object.fromEntries([...broker, ...bootstrap].map(([, value]) => [/\$\{(\w+)/.exec(String(value))![1], 'set']));
      expect(() => interpolated(compose.services['kafka-production'], {})).toThrow(/is required/);
      expect(() => interpolated(compose.services['kafka-production'], { ...everyPassword, OMS_GATEWAY_KAFKA_PASSWORD: '' })).toThrow(/OMS_GATEWAY_KAFKA_PASSWORD is required/);
      expect(() => interpolated(compose.services['bootstrap-production'], { ...everyPassword, POSTGRES_PASSWORD: 'x', LEDGER_DB_PASSWORD: '' })).toThrow(/LEDGER_DB_PASSWORD is required/);
      expect(interpolated(compose.services['kafka-production'], everyPassword).CUSTODIAN_GATEWAY_KAFKA_PASSWORD).toBe('set');
    });

    it('has no development password to fall back on: with nothing set, each service refuses to start', () => {
      for (const service of SERVICES) {
        const env = interpolated(compose.services[service.name]);
        expect(developmentPasswordProblems(service.database, env)).toEqual([
          `${serviceEnvPrefix(service.name)}_DB_PASSWORD is not set: ${service.database.role} would log in with its development password`,
        ]);
      }
    });

    it('starts with a password of its own and long API keys, and refuses short keys', () => {
      const shell = { LEDGER_DB_PASSWORD: 'a-password-of-our-own', POSTRADE_API_KEYS: `${'k'.repeat(40)}=ops` };
      const env = interpolated(compose.services.ledger, shell);
      const ledger = SERVICES.find((s) => s.name === 'ledger')!;
      expect(developmentPasswordProblems(ledger.database, env)).toEqual([]);
      expect(PlatformConfig.fromEnv(env, { name: 'ledger', port: ledger.port }).devKeysEnabled).toBe(false);
      expect(() => PlatformConfig.fromEnv(interpolated(compose.services.ledger, { ...shell, POSTRADE_API_KEYS: 'short=ops' }), ledger)).toThrow(
        /POSTRADE_API_KEYS entry 1 has a key of 5 characters/,
      );
    });
  });

  describe('bootstrap', () => {
    const env = interpolated(compose.services.bootstrap, { POSTGRES_PASSWORD: 'superuser-secret' });

    it('alone holds the superuser URL', () => {
      expect(env.DATABASE_URL).toBe('postgres://postgres:superuser-secret@postgres:5432/postrade');
      expect(interpolated(compose.services['bootstrap-production'], { ...everyVariableSet, POSTGRES_PASSWORD: 'superuser-secret' }).DATABASE_URL).toBe(env.DATABASE_URL);
      const others = Object.entries(compose.services).filter(([name]) => !['bootstrap', 'bootstrap-production', 'postgres'].includes(name));
      for (const [, definition] of others) {
        expect(JSON.stringify(interpolated(definition, { ...everyVariableSet, POSTGRES_PASSWORD: 'superuser-secret' }))).not.toContain('superuser-secret');
      }
    });

    it('gives each runtime role the password its dev service connects with, or the one set for production', () => {
      for (const service of SERVICES) {
        const variable = `${serviceEnvPrefix(service.name)}_DB_PASSWORD`;
        expect(env[variable]).toBe(serviceRolePassword(service.database, {}));
        expect(interpolated(compose.services[`${service.name}-dev`])[variable]).toBe(env[variable]);
        const chosen = { [variable]: 'chosen-for-production', POSTGRES_PASSWORD: 'superuser-secret' };
        expect(interpolated(compose.services.bootstrap, chosen)[variable]).toBe(interpolated(compose.services[service.name], chosen)[variable]);
        const production = { ...everyVariableSet, ...chosen };
        expect(interpolated(compose.services['bootstrap-production'], production)[variable]).toBe(interpolated(compose.services[service.name], production)[variable]);
      }
    });
  });
});
