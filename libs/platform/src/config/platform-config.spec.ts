import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { apiKeyDigest } from '../auth/api-key-grants';
import { ConfigError, formatEnvVarTable, readEnv } from './env-reader';
import { PLATFORM_ENV_VARS, PlatformConfig } from './platform-config';

const tradeCapture = { name: 'trade-capture', port: 3001 };

function configError(env: Record<string, string>): ConfigError {
  try {
    PlatformConfig.fromEnv(env, tradeCapture);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('PlatformConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    expect(PlatformConfig.fromEnv({}, tradeCapture)).toEqual({
      serviceName: 'trade-capture',
      port: 3001,
      logLevel: 'info',
      devKeysEnabled: false,
      apiKeys: [],
      httpBodyLimit: '1mb',
      httpBodyLimitBytes: 1024 * 1024,
      rateLimitPerMinute: 6000,
      tracesUrl: undefined,
    });
  });

  it('reads every variable', () => {
    const config = PlatformConfig.fromEnv(
      {
        SERVICE_NAME: 'trade-capture-eu',
        PORT: '8080',
        LOG_LEVEL: 'debug',
        POSTRADE_DEV_KEYS: '1',
        POSTRADE_API_KEYS: 'oms-1=upstream, cp-1=counterparty:5493001KJTIIGC8Y1R12',
        HTTP_BODY_LIMIT: '512kb',
        RATE_LIMIT_PER_MINUTE: '100',
      },
      tradeCapture,
    );
    expect(config).toMatchObject({
      serviceName: 'trade-capture-eu',
      port: 8080,
      logLevel: 'debug',
      devKeysEnabled: true,
      httpBodyLimitBytes: 512 * 1024,
      rateLimitPerMinute: 100,
    });
    expect(config.apiKeys.map((grant) => [grant.digest, grant.principal.role, grant.principal.lei])).toEqual([
      [apiKeyDigest('oms-1'), 'upstream', undefined],
      [apiKeyDigest('cp-1'), 'counterparty', '5493001KJTIIGC8Y1R12'],
    ]);
  });

  describe('span export (OpenTelemetry)', () => {
    it('is off unless an OTLP endpoint is set', () => {
      expect(PlatformConfig.fromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }, tradeCapture).tracesUrl).toBeUndefined();
    });

    it('exports to <endpoint>/v1/traces, or to the traces endpoint as given, which wins', () => {
      expect(PlatformConfig.fromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, tradeCapture).tracesUrl).toBe('http://collector:4318/v1/traces');
      expect(PlatformConfig.fromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/otlp/' }, tradeCapture).tracesUrl).toBe('https://otel.example.com/otlp/v1/traces');
      expect(
        PlatformConfig.fromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/v1/traces' }, tradeCapture).tracesUrl,
      ).toBe('http://tempo:4318/v1/traces');
    });

    it('refuses to start with an endpoint that is not an http(s) URL', () => {
      expect(configError({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:99999/v1/traces' }).problems).toEqual([
        'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT "http://collector:99999/v1/traces" is not a URL (a port above 65535?)',
        'OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318" must be an http or https URL, e.g. http://collector:4318',
      ]);
    });
  });

  it('treats a blank value as unset', () => {
    expect(PlatformConfig.fromEnv({ PORT: '  ', LOG_LEVEL: '' }, tradeCapture)).toMatchObject({ port: 3001, logLevel: 'info' });
  });

  it('fails with one message naming every invalid variable', () => {
    const error = configError({ PORT: 'http', LOG_LEVEL: 'loud', POSTRADE_DEV_KEYS: 'yes', HTTP_BODY_LIMIT: 'big', RATE_LIMIT_PER_MINUTE: '0' });
    expect(error.problems).toEqual([
      'POSTRADE_DEV_KEYS="yes" must be 1 (on) or 0 (off)',
      'HTTP_BODY_LIMIT="big" must be a size such as 512kb or 1mb',
      'PORT="http" must be an integer from 0 to 65535',
      'LOG_LEVEL="loud" must be one of fatal, error, warn, info, debug, trace, silent',
      `RATE_LIMIT_PER_MINUTE="0" must be an integer from 1 to ${Number.MAX_SAFE_INTEGER}`,
    ]);
    expect(error.message).toMatch(/^Invalid configuration:\n {2}- /);
  });

  it.each([
    ['no-role-key', 'entry 1 must be key=role or key=counterparty:LEI'],
    ['k=trader', 'entry 1 has unknown role "trader"'],
    ['k=counterparty', 'entry 1 binds a counterparty key without a valid LEI'],
    ['k=counterparty:TOO-SHORT', 'entry 1 binds a counterparty key without a valid LEI'],
    ['k=ops:5493001KJTIIGC8Y1R12', 'entry 1 gives role "ops" an LEI'],
    ['k=ops,k=auditor', 'entry 2 repeats a key given earlier'],
  ])('rejects POSTRADE_API_KEYS=%s', (value, problem) => {
    const [reported] = configError({ POSTRADE_DEV_KEYS: '1', POSTRADE_API_KEYS: value }).problems;
    expect(reported).toContain(`POSTRADE_API_KEYS ${problem}`);
  });

  it('never echoes a key in an error message', () => {
    expect(configError({ POSTRADE_API_KEYS: 's3cr3t-value=wizard' }).message).not.toContain('s3cr3t');
    expect(configError({ POSTRADE_API_KEYS: 's3cr3t-value=ops' }).message).not.toContain('s3cr3t');
  });

  describe('outside development (POSTRADE_DEV_KEYS unset or 0)', () => {
    const key = (length: number) => 'k'.repeat(length);

    it.each([undefined, '0'])('refuses to start with an API key shorter than 32 characters (POSTRADE_DEV_KEYS=%s)', (devKeys) => {
      const env: Record<string, string> = { POSTRADE_API_KEYS: `${key(32)}=ops,${key(31)}=auditor` };
      if (devKeys !== undefined) env.POSTRADE_DEV_KEYS = devKeys;
      expect(configError(env).problems).toEqual([
        'POSTRADE_API_KEYS entry 2 has a key of 31 characters; keys must have at least 32 (shorter ones only with POSTRADE_DEV_KEYS=1)',
      ]);
    });

    it('starts with keys of 32 characters or more', () => {
      expect(PlatformConfig.fromEnv({ POSTRADE_API_KEYS: `${key(32)}=ops,${key(64)}=auditor` }, tradeCapture).apiKeys).toHaveLength(2);
    });

    it('accepts a short key only in development', () => {
      expect(PlatformConfig.fromEnv({ POSTRADE_DEV_KEYS: '1', POSTRADE_API_KEYS: 'oms-1=upstream' }, tradeCapture).apiKeys).toHaveLength(1);
    });
  });

  it('keeps API keys only as their SHA-256 digests', () => {
    const secret = 'an-api-key-of-more-than-32-characters-0123456789';
    const config = PlatformConfig.fromEnv({ POSTRADE_API_KEYS: `${secret}=ops` }, tradeCapture);
    expect(config.apiKeys[0].digest).toEqual(createHash('sha256').update(secret).digest());
    expect(inspect(config, { depth: null })).not.toContain(secret);
    expect(JSON.stringify(config)).not.toContain(secret);
  });

  it('documents every variable it reads', () => {
    expect(PLATFORM_ENV_VARS.map((v) => v.name)).toEqual([
      'SERVICE_NAME',
      'PORT',
      'LOG_LEVEL',
      'POSTRADE_DEV_KEYS',
      'POSTRADE_API_KEYS',
      'HTTP_BODY_LIMIT',
      'RATE_LIMIT_PER_MINUTE',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    ]);
    expect(formatEnvVarTable(PLATFORM_ENV_VARS)).toContain('| `RATE_LIMIT_PER_MINUTE` | `6000` |');
  });
});

describe('readEnv', () => {
  it('returns what the reader built when everything is valid', () => {
    const kafka = readEnv({ KAFKA_BROKERS: 'a:9092, b:9092,' }, (env) => ({
      brokers: env.list('KAFKA_BROKERS'),
      clientId: env.string('KAFKA_CLIENT_ID', { default: 'postrade' }),
    }));
    expect(kafka).toEqual({ brokers: ['a:9092', 'b:9092'], clientId: 'postrade' });
  });

  it('reports a missing required variable', () => {
    expect(() => readEnv({}, (env) => env.required('DATABASE_URL'))).toThrow('DATABASE_URL is required');
  });
});

describe('POSTRADE_API_KEYS with an upstream key bound to several source systems', () => {
  it('reads the systems after the comma as part of the upstream entry', () => {
    const config = PlatformConfig.fromEnv({ POSTRADE_DEV_KEYS: '1', POSTRADE_API_KEYS: 'oms-key=upstream:OMS1,OMS2,ops-key=ops' }, { name: 'svc', port: 3000 });
    expect(config.apiKeys.map((grant) => grant.principal)).toEqual([
      expect.objectContaining({ role: 'upstream', sourceSystems: ['OMS1', 'OMS2'] }),
      expect.objectContaining({ role: 'ops' }),
    ]);
  });
});
