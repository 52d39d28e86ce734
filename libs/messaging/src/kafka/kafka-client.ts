import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import { createLogger } from '@postrade/platform';

/** Where the broker is and who we are. `brokers` comes from KAFKA_BROKERS (default 127.0.0.1:9092). */
export interface KafkaConnection {
  clientId: string;
  brokers: string[];
}

export function kafkaConnectionFromEnv(clientId: string, env: NodeJS.ProcessEnv = process.env): KafkaConnection {
  const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  return { clientId, brokers };
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
    // Probes expect refusals while a broker starts; they report the outcome themselves.
    logLevel: options.quiet ? logLevel.NOTHING : logLevel.WARN,
    logCreator: pinoLogCreator,
    // A probe answers at once; real clients ride out a broker restart.
    retry: options.quiet ? { retries: 0 } : { initialRetryTime: 200, retries: 8 },
    connectionTimeout: 3000,
  });
}
