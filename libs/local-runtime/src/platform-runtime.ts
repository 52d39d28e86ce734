/**
 * The local runtime shared by `npm start` and the integration tests: a real Kafka broker and a
 * real Postgres, the topics of API.md created explicitly, one schema and role per service, and
 * every service's migrations applied.
 */
import { TOPIC_DEFINITIONS } from '@postrade/contracts';
import { ensureTopics, type KafkaConnection } from '@postrade/messaging';
import { bootstrapServiceDatabase, type ServiceDatabase } from '@postrade/persistence';
import { createLogger } from '@postrade/platform';
import { startLocalKafka } from './kafka/launcher';
import { ensureKafkaAcls } from './kafka/acls';
import { redact, startLocalPostgres } from './postgres/local-postgres';

const log = createLogger('runtime');

/**
 * A service's schema as the runtime provisions it. The list comes from the caller (tools/runtime's
 * SERVICES, which names the apps): a library never imports an app.
 */
export interface ServiceSchema {
  name: string;
  database: ServiceDatabase;
}

export interface PlatformRuntime {
  kafkaBrokers: string;
  /**
   * How a client reaches the broker, as environment variables beside KAFKA_BROKERS:
   * KAFKA_SECURITY_PROTOCOL and, for a secured broker, the administrator's KAFKA_USERNAME and
   * KAFKA_PASSWORD (the tests' and tools' default principal; a service logs in as its own).
   */
  kafkaClientEnv: Record<string, string>;
  /** Admin URL of the Postgres server (DATABASE_URL for the services, which swap in their own role). */
  databaseUrl: string;
  stop(): Promise<void>;
}

/** Creates the topics and provisions + migrates each service's schema. Safe to run again. */
export async function bootstrapPlatform(kafka: KafkaConnection, adminUrl: string, services: readonly ServiceSchema[]): Promise<void> {
  await ensureTopics(kafka, [...TOPIC_DEFINITIONS]);
  // A secured broker (SASL): the ACLs of the topic registry. A broker without authentication has no authorizer.
  if (kafka.sasl) await ensureKafkaAcls(kafka);
  for (const service of services) {
    const applied = await bootstrapServiceDatabase(adminUrl, service.database, { ...process.env, DATABASE_URL: adminUrl });
    log.info({ service: service.name, schema: service.database.schema, migrationsApplied: applied.length }, 'service schema ready');
  }
}

/** Starts (or reuses) Kafka and Postgres and bootstraps them for `services`. */
export async function startPlatformRuntime(services: readonly ServiceSchema[]): Promise<PlatformRuntime> {
  const [kafka, postgres] = await Promise.all([startLocalKafka(), startLocalPostgres()]);
  log.info({ kafka: kafka.connection.brokers, postgres: redact(postgres.adminUrl), embeddedPostgres: postgres.embedded }, 'runtime up');
  await bootstrapPlatform(kafka.connection, postgres.adminUrl, services);
  return {
    kafkaBrokers: kafka.connection.brokers.join(','),
    kafkaClientEnv: {
      KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
      KAFKA_USERNAME: kafka.connection.sasl!.username,
      KAFKA_PASSWORD: kafka.connection.sasl!.password,
    },
    databaseUrl: postgres.adminUrl,
    stop: async () => {
      await Promise.all([kafka.stop(), postgres.stop()]);
    },
  };
}
