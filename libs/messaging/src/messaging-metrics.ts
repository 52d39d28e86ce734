import { Counter, Gauge } from 'prom-client';
import { createLogger, metricsRegistry } from '@postrade/platform';

/**
 * What the database holds of a service's messaging state, sampled when `/metrics` is scraped (one
 * round trip per schema, shared by the gauges below; see {@link registerMessagingStateProbe}).
 */
export interface MessagingStateSample {
  /** Outbox rows not yet published (parked rows excluded). */
  backlog: number;
  /** Seconds since the oldest of those rows was written; 0 when there is none. */
  oldestUnsentAgeSeconds: number;
  /** Outbox rows parked: refused by the broker for good. */
  parked: number;
  /** Pending dead letters by consumer. */
  deadLettersPending: Record<string, number>;
}

type Probe = () => Promise<MessagingStateSample>;
const probes = new Map<string, Probe>();
const log = createLogger('messaging-metrics');
let sampling: { at: number; done: Promise<void> } | undefined;
/** Consumers seen with pending letters, so a consumer whose letters were all replayed reads 0, not its last value. */
const seenConsumers = new Map<string, Set<string>>();

/**
 * Registers how to sample one schema's messaging state; the returned function unregisters it.
 * The messaging runtime registers its schema at start.
 */
export function registerMessagingStateProbe(schema: string, probe: Probe): () => void {
  probes.set(schema, probe);
  return () => {
    if (probes.get(schema) === probe) probes.delete(schema);
  };
}

/**
 * Samples every registered schema once, at most once a second however many gauges ask. A schema
 * whose database does not answer keeps its last values (the `database` readiness check and
 * `postrade_messaging_state_sample_failures_total` say why).
 */
function sampleAll(): Promise<void> {
  if (sampling && Date.now() - sampling.at < 1_000) return sampling.done;
  const done = Promise.all(
    [...probes].map(async ([schema, probe]) => {
      try {
        const s = await probe();
        messagingMetrics.backlog.set({ schema }, s.backlog);
        messagingMetrics.oldestUnsentAge.set({ schema }, s.oldestUnsentAgeSeconds);
        messagingMetrics.parkedRows.set({ schema }, s.parked);
        const seen = seenConsumers.get(schema) ?? new Set<string>();
        seenConsumers.set(schema, seen);
        for (const consumer of Object.keys(s.deadLettersPending)) seen.add(consumer);
        for (const consumer of seen) messagingMetrics.deadLettersPending.set({ schema, consumer }, s.deadLettersPending[consumer] ?? 0);
      } catch (err) {
        messagingMetrics.sampleFailures.inc({ schema });
        log.debug({ schema, err: err instanceof Error ? err.message : String(err) }, 'messaging state not sampled');
      }
    }),
  ).then(() => undefined);
  sampling = { at: Date.now(), done };
  return done;
}

const sampled = { collect: sampleAll };

/** Throughput, backlog, lag, stuck partitions and DLQ figures of the messaging layer, on the service's /metrics. */
export const messagingMetrics = {
  published: new Counter({
    name: 'postrade_outbox_published_total',
    help: 'Events published from the outbox',
    labelNames: ['schema'],
    registers: [metricsRegistry],
  }),
  backlog: new Gauge({
    name: 'postrade_outbox_backlog',
    help: 'Outbox rows not yet published (parked rows excluded), sampled at scrape',
    labelNames: ['schema'],
    registers: [metricsRegistry],
    ...sampled,
  }),
  oldestUnsentAge: new Gauge({
    name: 'postrade_outbox_oldest_unsent_age_seconds',
    help: 'Age of the oldest outbox row not yet published, in seconds (0 when none), sampled at scrape',
    labelNames: ['schema'],
    registers: [metricsRegistry],
    ...sampled,
  }),
  parkedRows: new Gauge({
    name: 'postrade_outbox_parked_rows',
    help: 'Outbox rows parked because the broker refuses them for good (too large), sampled at scrape',
    labelNames: ['schema'],
    registers: [metricsRegistry],
    ...sampled,
  }),
  parked: new Counter({
    name: 'postrade_outbox_parked_total',
    help: 'Outbox rows this process parked because the broker refused them for good',
    labelNames: ['schema', 'topic'],
    registers: [metricsRegistry],
  }),
  relayLeader: new Gauge({
    name: 'postrade_outbox_relay_leader',
    help: '1 while this process holds the outbox relay leadership of its schema, else 0',
    labelNames: ['schema'],
    registers: [metricsRegistry],
  }),
  sampleFailures: new Counter({
    name: 'postrade_messaging_state_sample_failures_total',
    help: 'Scrapes at which the messaging state (backlog, parked rows, dead letters) could not be read from the database',
    labelNames: ['schema'],
    registers: [metricsRegistry],
  }),
  consumed: new Counter({
    name: 'postrade_events_consumed_total',
    help: 'Events consumed, by outcome (applied, duplicate, ignored, dead-lettered)',
    labelNames: ['consumer', 'topic', 'outcome'],
    registers: [metricsRegistry],
  }),
  deadLettered: new Counter({
    name: 'postrade_dlq_messages_total',
    help: 'Messages sent to the dead-letter topic',
    labelNames: ['consumer', 'topic'],
    registers: [metricsRegistry],
  }),
  deadLettersPending: new Gauge({
    name: 'postrade_dead_letters_pending',
    help: 'Dead letters waiting for replay, by consumer, sampled at scrape',
    labelNames: ['schema', 'consumer'],
    registers: [metricsRegistry],
    ...sampled,
  }),
  lag: new Gauge({
    name: 'postrade_consumer_lag',
    help: 'Messages behind the high watermark, per partition: after each batch, and refreshed while the partition waits out a fault',
    labelNames: ['consumer', 'topic', 'partition'],
    registers: [metricsRegistry],
  }),
  partitionsWaiting: new Gauge({
    name: 'postrade_consumer_partitions_waiting',
    help: 'Partitions paused waiting out a transient fault, by consumer',
    labelNames: ['consumer'],
    registers: [metricsRegistry],
  }),
  partitionWaitingSince: new Gauge({
    name: 'postrade_consumer_partition_waiting_since_seconds',
    help: 'Unix time at which a partition started waiting out a fault; the series exists only while it waits',
    labelNames: ['consumer', 'topic', 'partition'],
    registers: [metricsRegistry],
  }),
};
