import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import { isGatewayName, isServiceName } from '@postrade/contracts';
import { createLogger } from '@postrade/platform';

/** SASL credentials of one Kafka principal (SCRAM by default; see docs/security.md). */
export interface KafkaCredentials {
  mechanism: 'scram-sha-256' | 'scram-sha-512' | 'plain';
  username: string;
  password: string;
}

/**
 * Where the broker is and who we are. `brokers` comes from KAFKA_BROKERS (default 127.0.0.1:9092);
 * `sasl` and `ssl` from KAFKA_SECURITY_PROTOCOL and the principal's credentials (see kafkaConnectionFromEnv).
 */
export interface KafkaConnection {
  clientId: string;
  brokers: string[];
  /** Absent: no authentication (KAFKA_SECURITY_PROTOCOL=PLAINTEXT or SSL). */
  sasl?: KafkaCredentials;
  /** TLS to the broker: true (system CAs) or Node TLS options (a CA, a client certificate). */
  ssl?: boolean | ConnectionOptions;
}

export const KAFKA_SECURITY_PROTOCOLS = ['PLAINTEXT', 'SASL_PLAINTEXT', 'SASL_SSL', 'SSL'] as const;
export type KafkaSecurityProtocol = (typeof KAFKA_SECURITY_PROTOCOLS)[number];

/** The broker's administrator principal (super user): the runtime and `npm run bootstrap` create topics and ACLs with it. */
export const KAFKA_ADMIN_PRINCIPAL = 'admin';

/** `trade-capture` → `TRADE_CAPTURE`: the prefix of a principal's own variables. */
function envPrefix(principal: string): string {
  return principal.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/**
 * Development password of a Kafka principal (`<principal>-dev`): public, in this repository, and
 * accepted by a client only with POSTRADE_DEV_KEYS=1. The local runtime creates every principal with it
 * unless `<PRINCIPAL>_KAFKA_PASSWORD` is set.
 */
export function developmentKafkaPassword(principal: string): string {
  return `${principal}-dev`;
}

/** The password the broker holds for `principal`: `<PRINCIPAL>_KAFKA_PASSWORD`, else the development one. */
export function kafkaPasswordOf(principal: string, env: NodeJS.ProcessEnv = process.env): string {
  return env[`${envPrefix(principal)}_KAFKA_PASSWORD`] || developmentKafkaPassword(principal);
}

function securityProtocol(env: NodeJS.ProcessEnv): KafkaSecurityProtocol {
  const value = (env.KAFKA_SECURITY_PROTOCOL ?? 'SASL_PLAINTEXT').trim().toUpperCase();
  if (!(KAFKA_SECURITY_PROTOCOLS as readonly string[]).includes(value)) {
    throw new Error(`KAFKA_SECURITY_PROTOCOL must be one of ${KAFKA_SECURITY_PROTOCOLS.join(', ')}, got "${value}"`);
  }
  return value as KafkaSecurityProtocol;
}

function mechanism(env: NodeJS.ProcessEnv): KafkaCredentials['mechanism'] {
  const value = (env.KAFKA_SASL_MECHANISM ?? 'SCRAM-SHA-256').trim().toLowerCase();
  if (value !== 'scram-sha-256' && value !== 'scram-sha-512' && value !== 'plain') {
    throw new Error(`KAFKA_SASL_MECHANISM must be SCRAM-SHA-256, SCRAM-SHA-512 or PLAIN, got "${value}"`);
  }
  return value;
}

/** TLS options from KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE, KAFKA_SSL_REJECT_UNAUTHORIZED. */
function tlsOptions(env: NodeJS.ProcessEnv): boolean | ConnectionOptions {
  const file = (name: string) => (env[name] ? readFileSync(env[name]!, 'utf8') : undefined);
  const options: ConnectionOptions = {
    ca: file('KAFKA_SSL_CA_FILE'),
    cert: file('KAFKA_SSL_CERT_FILE'),
    key: file('KAFKA_SSL_KEY_FILE'),
    rejectUnauthorized: env.KAFKA_SSL_REJECT_UNAUTHORIZED?.trim() !== 'false',
  };
  const given = Object.entries(options).filter(([k, v]) => v !== undefined && k !== 'rejectUnauthorized');
  return given.length === 0 && options.rejectUnauthorized ? true : options;
}

/**
 * The credentials of `principal`, or of KAFKA_USERNAME / KAFKA_PASSWORD when no principal is
 * named. A service or gateway reads `<PRINCIPAL>_KAFKA_USERNAME` (default: its name) and
 * `<PRINCIPAL>_KAFKA_PASSWORD`; its development password is used, and accepted, only with
 * POSTRADE_DEV_KEYS=1.
 */
function credentialsOf(principal: string | undefined, env: NodeJS.ProcessEnv): KafkaCredentials {
  const dev = env.POSTRADE_DEV_KEYS?.trim() === '1';
  if (!principal) {
    const username = env.KAFKA_USERNAME?.trim();
    const password = env.KAFKA_PASSWORD;
    if (!username || !password) {
      throw new Error('KAFKA_USERNAME and KAFKA_PASSWORD must be set (or KAFKA_SECURITY_PROTOCOL=PLAINTEXT for a broker without authentication)');
    }
    return { mechanism: mechanism(env), username, password };
  }
  const prefix = envPrefix(principal);
  const username = env[`${prefix}_KAFKA_USERNAME`]?.trim() || principal;
  const password = env[`${prefix}_KAFKA_PASSWORD`];
  if (!password && !dev) throw new Error(`${prefix}_KAFKA_PASSWORD is not set: ${principal} would log in to Kafka with its development password (accepted only with POSTRADE_DEV_KEYS=1)`);
  if (password === developmentKafkaPassword(principal) && !dev) {
    throw new Error(`${prefix}_KAFKA_PASSWORD is the development password of ${principal}; give the principal its own password (development passwords are accepted only with POSTRADE_DEV_KEYS=1)`);
  }
  return { mechanism: mechanism(env), username, password: password || developmentKafkaPassword(principal) };
}

/**
 * The connection of `clientId`. A service (clientId = its name) or a gateway logs in as its own
 * principal; anything else (an operator's tool, a test) as KAFKA_USERNAME, unless `principal` names
 * the principal to use. KAFKA_SECURITY_PROTOCOL: SASL_PLAINTEXT (default), SASL_SSL, SSL or PLAINTEXT.
 */
export function kafkaConnectionFromEnv(clientId: string, env: NodeJS.ProcessEnv = process.env, principal?: string): KafkaConnection {
  const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const protocol = securityProtocol(env);
  const own = principal ?? (isServiceName(clientId) || isGatewayName(clientId) ? clientId : undefined);
  return {
    clientId,
    brokers,
    ...(protocol.startsWith('SASL_') ? { sasl: credentialsOf(own, env) } : {}),
    ...(protocol.endsWith('SSL') ? { ssl: tlsOptions(env) } : {}),
  };
}

/** The same broker, logged in as another principal (e.g. a test playing a gateway). */
export function asPrincipal(connection: KafkaConnection, credentials: Pick<KafkaCredentials, 'username' | 'password'>): KafkaConnection {
  if (!connection.sasl) return connection;
  return { ...connection, sasl: { ...connection.sasl, ...credentials } };
}

const kafkaLog = createLogger('kafkajs');

// kafkajs logs a lot at INFO (every join/rebalance); keep our output quiet and structured.
function pinoLogCreator() {
  return ({ namespace, level, log }: LogEntry) => {
    const { message, ...extra } = log;
    // Our publisher limits an idempotent producer's retries on purpose (see KafkajsEventPublisher):
    // the outbox relay re-sends, and consumers dedupe, so exactly-once does not rest on kafkajs.
    if (message === 'Limiting retries for the idempotent producer may invalidate EoS guarantees') return;
    // kafkajs reports every refused connection of an outage as an error; the relay and the consumer
    // runner log what it means for the service (once, with backoff), so its own lines are debug.
    kafkaLog.debug({ namespace, level, ...extra }, message);
  };
}

/** The one place a kafkajs client is constructed. */
/** `quiet`: a probe, which neither logs nor retries. */
export function createKafka(connection: KafkaConnection, options: { quiet?: boolean } = {}): Kafka {
  return new Kafka({
    clientId: connection.clientId,
    brokers: connection.brokers,
    ...(connection.sasl ? { sasl: connection.sasl as SASLOptions } : {}),
    ...(connection.ssl ? { ssl: connection.ssl } : {}),
    // Probes expect refusals while a broker starts; they report the outcome themselves.
    logLevel: options.quiet ? logLevel.NOTHING : logLevel.WARN,
    logCreator: pinoLogCreator,
    // A probe answers at once; real clients ride out a broker restart.
    retry: options.quiet ? { retries: 0 } : { initialRetryTime: 200, retries: 8 },
    connectionTimeout: 3000,
  });
}
