/**
 * `npm run bootstrap`: against an already-running Kafka (KAFKA_BROKERS) and Postgres (DATABASE_URL,
 * an admin role), create the topics and provision and migrate every service schema. Used by
 * docker-compose and by operators deploying the services separately.
 */
import { kafkaConnectionFromEnv } from '@postrade/messaging';
import { createLogger } from '@postrade/platform';
import { bootstrapPlatform } from '@postrade/local-runtime';
import { SERVICES } from './services';

const log = createLogger('bootstrap');

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL (an admin connection) is required');
  await bootstrapPlatform(kafkaConnectionFromEnv('postrade-bootstrap'), adminUrl, SERVICES);
  log.info('topics, schemas, roles and migrations are in place');
}

main().catch((err) => {
  log.fatal({ err: err instanceof Error ? err.message : String(err) }, 'bootstrap failed');
  process.exit(1);
});
