import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { servicePorts, type ServiceName } from '@postrade/contracts';
import { bootstrapPlatform, startLocalKafka, startLocalPostgres, type LocalKafka, type LocalKafkaOptions, type LocalPostgres, type LocalPostgresOptions } from '@postrade/local-runtime';
import { SERVICES } from '../runtime/services';
import { freePortPair, PlatformProcesses } from '../simulator/test/platform-processes';

export interface WalkthroughPlatform {
  /** Each service's base URL, e.g. http://127.0.0.1:13401. */
  urls: Record<ServiceName, string>;
  kafkaBrokers: string;
  /** The environment a walkthrough runs with: `<SERVICE>_URL` per service and `KAFKA_BROKERS`. */
  env: Record<string, string>;
  platform: PlatformProcesses;
  stop(): Promise<void>;
}

/** `trade-capture` → `TRADE_CAPTURE_URL`: the variable a walkthrough reads its service's URL from. */
export function urlVariable(service: ServiceName): string {
  return `${service.toUpperCase().replace(/-/g, '_')}_URL`;
}

/**
 * An empty platform as `npm start` gives a newcomer: a Kafka broker and a Postgres of its own (fresh
 * folders and free ports, so the shared test runtime's topics, full of other suites' events, are not
 * in the way), topics, schemas and roles bootstrapped, the six services started from their main.ts
 * with the development keys on ports `SERVICE_PORTS + offset`, each given `readyTimeoutMs` to report
 * ready (a loaded machine takes minutes to transpile and start six services).
 */
export async function startWalkthroughPlatform(offset: number, readyTimeoutMs = 300_000): Promise<WalkthroughPlatform> {
  const postgresOptions: LocalPostgresOptions = { embedded: true, dataDir: mkdtempSync(join(tmpdir(), 'postrade-walkthrough-pg-')) };
  const kafkaOptions: LocalKafkaOptions = { dataDir: mkdtempSync(join(tmpdir(), 'postrade-walkthrough-kafka-')) };
  postgresOptions.port = await freePortPair();
  kafkaOptions.port = await freePortPair();
  let postgres: LocalPostgres | undefined;
  let broker: LocalKafka | undefined;
  let platform: PlatformProcesses | undefined;
  const stop = async () => {
    await platform?.stopAll();
    await Promise.all([broker?.stop(), postgres?.stop()]);
    for (const dir of [postgresOptions.dataDir!, kafkaOptions.dataDir!]) rmSync(dir, { recursive: true, force: true });
  };
  try {
    [postgres, broker] = await Promise.all([startLocalPostgres(postgresOptions), startLocalKafka(kafkaOptions)]);
    const kafkaBrokers = broker.connection.brokers.join(',');
    await bootstrapPlatform({ ...broker.connection, clientId: 'postrade-walkthroughs' }, postgres.adminUrl, SERVICES);
    platform = new PlatformProcesses(servicePorts(offset), { DATABASE_URL: postgres.adminUrl, KAFKA_BROKERS: kafkaBrokers });
    await platform.startAll(readyTimeoutMs);
    const urls = platform.urls;
    const env: Record<string, string> = { KAFKA_BROKERS: kafkaBrokers };
    for (const name of platform.names) env[urlVariable(name)] = urls[name];
    return { urls, kafkaBrokers, env, platform, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
