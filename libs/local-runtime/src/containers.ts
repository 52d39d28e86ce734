import { existsSync } from 'node:fs';
import type { PlatformRuntime } from './platform-runtime';

/** True when a Docker engine answers (not merely a docker client on the PATH). */
export async function dockerAnswers(): Promise<boolean> {
  const socket = process.env.DOCKER_HOST ?? (existsSync('/var/run/docker.sock') ? 'unix:///var/run/docker.sock' : undefined);
  if (!socket) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await Promise.race([
      getContainerRuntimeClient(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('docker did not answer')), 5000).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}

/** Kafka (apache/kafka, KRaft) and Postgres in containers, for machines with a Docker engine. */
export async function startContainers(): Promise<PlatformRuntime> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const kafkaPort = 9092;
  const [kafka, postgres] = await Promise.all([
    new GenericContainer('apache/kafka:3.9.1')
      .withExposedPorts({ container: kafkaPort, host: 39092 })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
        KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://127.0.0.1:39092',
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start(),
    new GenericContainer('postgres:16')
      .withEnvironment({ POSTGRES_PASSWORD: 'postgres' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
  ]);
  return {
    kafkaBrokers: `127.0.0.1:39092`,
    // This container broker runs without authentication (the local runtime's broker is the secured one; docs/security.md).
    kafkaClientEnv: { KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT' },
    databaseUrl: `postgres://postgres:postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/postgres`,
    stop: async () => {
      await Promise.all([kafka.stop(), postgres.stop()]);
    },
  };
}
