/**
 * Reading configuration from environment variables.
 *
 * Every variable is read through an {@link EnvReader} inside {@link readEnv}, which collects all
 * problems and throws one {@link ConfigError} naming each bad variable, so a misconfigured service
 * fails at start-up with a message that says what to fix rather than at the first request.
 */

/** Thrown when environment configuration is missing or malformed; lists every problem found. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The environment being read: `process.env` in a service, a plain object in tests. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** One documented environment variable, for README tables and start-up help. */
export interface EnvVarDoc {
  name: string;
  /** The default as a reader would write it, or a sentence when it depends (e.g. the service port). */
  default: string;
  description: string;
}

/** Typed accessors over an {@link EnvSource}. A blank value counts as unset. */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly source: EnvSource) {}

  /** The raw value, or `undefined` when unset or blank. */
  raw(name: string): string | undefined {
    const value = this.source[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /** A string; `pattern` (when given) must match the whole value. */
  string(name: string, options: { default: string; pattern?: RegExp; hint?: string }): string;
  string(name: string, options?: { default?: undefined; pattern?: RegExp; hint?: string }): string | undefined;
  string(name: string, options: { default?: string; pattern?: RegExp; hint?: string } = {}): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return options.default;
    if (options.pattern && !options.pattern.test(value)) {
      return this.reject(name, value, options.hint ?? `must match ${options.pattern}`, options.default);
    }
    return value;
  }

  /** A required string: reported as missing when unset. */
  required(name: string, hint = 'is required'): string {
    const value = this.raw(name);
    if (value === undefined) {
      this.problems.push(`${name} ${hint}`);
      return '';
    }
    return value;
  }

  /** A base-10 integer within `[min, max]`. */
  integer(name: string, options: { default: number; min?: number; max?: number }): number {
    const value = this.raw(name);
    if (value === undefined) return options.default;
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
    const parsed = /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      return this.reject(name, value, `must be an integer from ${min} to ${max}`, options.default);
    }
    return parsed;
  }

  /**
   * A duration, in milliseconds, written with its unit: `500ms`, `30s`, `15m`, `24h`, `90d`. The one
   * convention for every duration the services read (retention horizons, sweep intervals, parking
   * expiry): a bare number is refused, because whether `60` meant seconds or minutes is the kind of
   * question an operator should never have to ask.
   */
  duration(name: string, options: { default: string; min?: string; max?: string }): number {
    const fallback = parseDuration(options.default);
    if (fallback === undefined) throw new Error(`default duration ${options.default} of ${name} is malformed`);
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = parseDuration(value);
    const min = options.min === undefined ? 1 : (parseDuration(options.min) ?? 1);
    const max = options.max === undefined ? Number.MAX_SAFE_INTEGER : (parseDuration(options.max) ?? Number.MAX_SAFE_INTEGER);
    if (parsed === undefined) return this.reject(name, value, 'must be a duration with its unit: ms, s, m, h or d (e.g. 30s, 24h, 90d)', fallback);
    if (parsed < min || parsed > max) {
      return this.reject(name, value, `must be from ${options.min ?? '1ms'} to ${options.max ?? 'unbounded'}`, fallback);
    }
    return parsed;
  }

  /** A flag written `1` (on) or `0` (off). */
  flag(name: string, options: { default: boolean }): boolean {
    const value = this.raw(name);
    if (value === undefined) return options.default;
    if (value === '1') return true;
    if (value === '0') return false;
    return this.reject(name, value, 'must be 1 (on) or 0 (off)', options.default);
  }

  /** One of a fixed set of values. */
  oneOf<T extends string>(name: string, allowed: readonly T[], options: { default: T }): T {
    const value = this.raw(name);
    if (value === undefined) return options.default;
    if (!(allowed as readonly string[]).includes(value)) {
      return this.reject(name, value, `must be one of ${allowed.join(', ')}`, options.default);
    }
    return value as T;
  }

  /** A comma-separated list; blank entries are dropped. */
  list(name: string, options: { default?: string[] } = {}): string[] {
    const value = this.raw(name);
    if (value === undefined) return options.default ?? [];
    return value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
  }

  /** Records a problem found by the caller's own parsing (e.g. a malformed list entry). */
  problem(name: string, message: string): void {
    this.problems.push(`${name} ${message}`);
  }

  /** Throws a {@link ConfigError} if anything read so far was invalid. */
  assertValid(): void {
    if (this.problems.length > 0) throw new ConfigError([...this.problems]);
  }

  private reject<T>(name: string, value: string, hint: string, fallback: T): T {
    this.problems.push(`${name}=${JSON.stringify(value)} ${hint}`);
    return fallback;
  }
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s` → 30000; `undefined` when the text is not a whole number followed by ms, s, m, h or d. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)\s*(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * DURATION_UNITS[match[2]];
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/**
 * Reads configuration with `read` and returns it, or throws one {@link ConfigError} listing every
 * invalid variable. Other libraries use this for their own settings:
 *
 * ```ts
 * const kafka = readEnv(process.env, (env) => ({ brokers: env.list('KAFKA_BROKERS', { default: ['localhost:9092'] }) }));
 * ```
 */
export function readEnv<T>(source: EnvSource, read: (env: EnvReader) => T): T {
  const env = new EnvReader(source);
  const result = read(env);
  env.assertValid();
  return result;
}

/** Renders env var docs as a Markdown table for a README. */
export function formatEnvVarTable(vars: readonly EnvVarDoc[]): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const rows = vars.map((v) => `| \`${v.name}\` | ${v.default === '' ? '—' : `\`${escape(v.default)}\``} | ${escape(v.description)} |`);
  return ['| variable | default | description |', '|---|---|---|', ...rows].join('\n');
}
