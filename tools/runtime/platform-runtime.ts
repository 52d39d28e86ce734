/**
 * The local runtime shared by `npm start` and the integration tests: a real Kafka broker and a
 * real Postgres, the topics of API.md created explicitly, one schema and role per service, and
 * every service's migrations applied.
 */
import { TOPIC_DEFINITIONS } from '@postrade/contracts';
import { ensureTopics, type KafkaConnection } from '@postrade/messaging';
import { bootstrapServiceDatabase } from '@postrade/persistence';
import { createLogger } from '@postrade/platform';
import { startLocalKafka } from '../kafka/launcher';
import { redact, startLocalPostgres } from '../postgres/local-postgres';
import { SERVICES } from './services';

const log = createLogger('runtime');

export interface PlatformRuntime {
  kafkaBrokers: string;
  /** Admin URL of the Postgres server (DATABASE_URL for the services, which swap in their own role). */
  databaseUrl: string;
  stop(): Promise<void>;
}

/** Creates the topics and provisions + migrates every service schema. Safe to run again. */
export async function bootstrapPlatform(kafka: KafkaConnection, adminUrl: string): Promise<void> {
  await ensureTopics(kafka, [...TOPIC_DEFINITIONS]);
  for (const service of SERVICES) {
    const applied = await bootstrapServiceDatabase(adminUrl, service.database, { ...process.env, DATABASE_URL: adminUrl });
    log.info({ service: service.name, schema: service.database.schema, migrationsApplied: applied.length }, 'service schema ready');
  }
}

/** Starts (or reuses) Kafka and Postgres and bootstraps them. */
export async function startPlatformRuntime(): Promise<PlatformRuntime> {
  const [kafka, postgres] = await Promise.all([startLocalKafka(), startLocalPostgres()]);
  log.info({ kafka: kafka.connection.brokers, postgres: redact(postgres.adminUrl), embeddedPostgres: postgres.embedded }, 'runtime up');
  await bootstrapPlatform(kafka.connection, postgres.adminUrl);
  return {
    kafkaBrokers: kafka.connection.brokers.join(','),
    databaseUrl: postgres.adminUrl,
    stop: async () => {
      await Promise.all([kafka.stop(), postgres.stop()]);
    },
  };
}
