import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '@postrade/platform';

/** Throughput, lag and DLQ figures of the messaging layer, on the service's /metrics. */
export const messagingMetrics = {
  published: new Counter({
    name: 'postrade_outbox_published_total',
    help: 'Events published from the outbox',
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
  lag: new Gauge({
    name: 'postrade_consumer_lag',
    help: 'Messages behind the high watermark, per partition, at the last batch',
    labelNames: ['consumer', 'topic', 'partition'],
    registers: [metricsRegistry],
  }),
};
