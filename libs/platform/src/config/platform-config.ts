import { ApiKeyGrant, MIN_API_KEY_LENGTH, parseApiKeyGrant } from '../auth/api-key-grants';
import { LOG_LEVELS, LogLevel } from '../logging/logger';
import { EnvReader, EnvSource, EnvVarDoc, readEnv } from './env-reader';

/** What a service tells the platform about itself; everything else comes from the environment. */
export interface ServiceIdentity {
  /** The service's name, e.g. `trade-capture`; overridable by `SERVICE_NAME`. */
  name: string;
  /** The service's own port (3001–3006); overridable by `PORT`. */
  port: number;
  /** The service's default largest request body (`1mb` unless it takes statements or files); overridable by `HTTP_BODY_LIMIT`. */
  httpBodyLimit?: string;
}

/** The environment variables every service reads through {@link PlatformConfig}. */
export const PLATFORM_ENV_VARS: readonly EnvVarDoc[] = [
  { name: 'SERVICE_NAME', default: "the service's name", description: 'Name in logs, metrics and the OpenAPI title.' },
  { name: 'PORT', default: "the service's port (3001–3006)", description: 'HTTP port the REST API listens on.' },
  { name: 'LOG_LEVEL', default: 'info', description: `Log level: ${LOG_LEVELS.join(', ')}. Each request is logged at debug.` },
  { name: 'POSTRADE_DEV_KEYS', default: '0', description: 'Set to 1 to accept the development API keys (dev-ops, dev-cp-<LEI>, …). Never in production.' },
  {
    name: 'POSTRADE_API_KEYS',
    default: '',
    description: `API keys, comma-separated: key=role, key=counterparty:<LEI> or key=upstream:<SYSTEM>,<SYSTEM>. Each key at least ${MIN_API_KEY_LENGTH} characters unless POSTRADE_DEV_KEYS=1; held only as SHA-256 digests.`,
  },
  { name: 'HTTP_BODY_LIMIT', default: '1mb', description: 'Largest accepted request body (b, kb, mb); larger bodies get 413.' },
  { name: 'RATE_LIMIT_PER_MINUTE', default: '6000', description: 'Requests per minute per API key (or per IP without one); more get 429.' },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    default: '',
    description: 'OTLP/HTTP collector (e.g. http://collector:4318): spans are exported to <endpoint>/v1/traces. No export when neither this nor the traces endpoint is set.',
  },
  { name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', default: '', description: 'OTLP/HTTP traces URL, used as given (e.g. http://collector:4318/v1/traces); wins over OTEL_EXPORTER_OTLP_ENDPOINT.' },
];

const SERVICE_NAME_SHAPE = /^[a-z][a-z0-9-]*$/;
// Host and optional port, path and query: what `new URL` then takes without throwing.
const HTTP_URL_SHAPE = /^https?:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?(\/\S*)?$/;
const BODY_LIMIT_SHAPE = /^(\d+)\s*(b|kb|mb)?$/i;
const BYTES_PER_UNIT: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/**
 * The platform settings of one service process, read once from the environment with the defaults
 * in {@link PLATFORM_ENV_VARS}. Injectable by class in any module of a service that imports
 * `PlatformModule.forService`.
 */
export class PlatformConfig {
  private constructor(
    readonly serviceName: string,
    readonly port: number,
    readonly logLevel: LogLevel,
    readonly devKeysEnabled: boolean,
    /** Keys from `POSTRADE_API_KEYS`, as digests (development keys are not listed here). */
    readonly apiKeys: readonly ApiKeyGrant[],
    /** `HTTP_BODY_LIMIT` as written, for messages. */
    readonly httpBodyLimit: string,
    readonly httpBodyLimitBytes: number,
    readonly rateLimitPerMinute: number,
    /** Where spans are exported (OTLP/HTTP); undefined when export is off, the default. */
    readonly tracesUrl: string | undefined,
  ) {}

  /** Reads and validates the platform variables; throws a `ConfigError` naming every bad one. */
  static fromEnv(source: EnvSource, service: ServiceIdentity): PlatformConfig {
    return readEnv(source, (env) => {
      const devKeysEnabled = env.flag('POSTRADE_DEV_KEYS', { default: false });
      // Short keys are for development only: outside it, a service with one refuses to start.
      const minKeyLength = devKeysEnabled ? 1 : MIN_API_KEY_LENGTH;
      const apiKeys: ApiKeyGrant[] = [];
      // `key=upstream:OMS1,OMS2` lists its systems with the same comma that separates entries: an
      // item without `=` continues the entry before it.
      const entries = env.list('POSTRADE_API_KEYS').reduce<string[]>((all, item) => {
        if (!item.includes('=') && all.length > 0) all[all.length - 1] += `,${item}`;
        else all.push(item);
        return all;
      }, []);
      entries.forEach((entry, index) => {
        try {
          const grant = parseApiKeyGrant(entry, { minKeyLength });
          if (apiKeys.some((existing) => existing.digest.equals(grant.digest))) throw new Error('repeats a key given earlier');
          apiKeys.push(grant);
        } catch (error) {
          env.problem('POSTRADE_API_KEYS', `entry ${index + 1} ${(error as Error).message}`);
        }
      });
      const httpBodyLimit = env.string('HTTP_BODY_LIMIT', { default: service.httpBodyLimit ?? '1mb', pattern: BODY_LIMIT_SHAPE, hint: 'must be a size such as 512kb or 1mb' });
      return new PlatformConfig(
        env.string('SERVICE_NAME', { default: service.name, pattern: SERVICE_NAME_SHAPE, hint: 'must be lower-case letters, digits and dashes' }),
        env.integer('PORT', { default: service.port, min: 0, max: 65535 }),
        env.oneOf('LOG_LEVEL', LOG_LEVELS, { default: 'info' }),
        devKeysEnabled,
        apiKeys,
        httpBodyLimit,
        parseByteSize(httpBodyLimit),
        env.integer('RATE_LIMIT_PER_MINUTE', { default: 6000, min: 1 }),
        otlpTracesUrl(env),
      );
    });
  }
}

/**
 * The OTLP/HTTP traces URL, as the OpenTelemetry specification derives it: the traces endpoint as
 * given, else the base endpoint with `/v1/traces` appended. Each must be an http(s) URL.
 */
function otlpTracesUrl(env: EnvReader): string | undefined {
  const url = (name: string): string | undefined => {
    const value = env.string(name, { pattern: HTTP_URL_SHAPE, hint: 'must be an http or https URL, e.g. http://collector:4318' });
    if (value === undefined) return undefined;
    try {
      return new URL(value).href;
    } catch {
      env.problem(name, `${JSON.stringify(value)} is not a URL (a port above 65535?)`);
      return undefined;
    }
  };
  const traces = url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = url('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (traces !== undefined) return traces;
  return base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** A size such as `1mb` in bytes (a count of bytes, not money). */
function parseByteSize(size: string): number {
  const [, units, unit = 'b'] = BODY_LIMIT_SHAPE.exec(size) ?? ['', '0'];
  return Number(units) * BYTES_PER_UNIT[unit.toLowerCase()];
}
