import { startTestRuntime } from '@postrade/local-runtime';
import { SERVICES } from '../runtime/services';

/**
 * Starts Kafka and Postgres once for the whole integration run, with every service's schema
 * migrated, and hands their addresses to the suites. It lives in tools/ because it names the
 * services (tools/runtime/services.ts); the runtime it starts is @postrade/local-runtime's.
 */
export default async function globalSetup(): Promise<void> {
  const runtime = await startTestRuntime(SERVICES);
  process.env.KAFKA_BROKERS = runtime.kafkaBrokers;
  // Tests reach the secured broker as its administrator unless they log in as a service or a gateway.
  Object.assign(process.env, runtime.kafkaClientEnv);
  process.env.DATABASE_URL = runtime.databaseUrl;
  process.env.POSTRADE_DEV_KEYS = '1';
  // Keep test output to failures: services and libraries log warnings on purpose in these tests.
  process.env.LOG_LEVEL ??= 'error';
  // A consumer killed on purpose gives its partitions up after 6 s (the broker's minimum) rather than 30.
  process.env.KAFKA_SESSION_TIMEOUT_MS ??= '6000';
  (globalThis as { __POSTRADE_RUNTIME__?: unknown }).__POSTRADE_RUNTIME__ = runtime;
}
