import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * The one Prometheus registry of this process. Libraries register their own metrics here
 * (`registers: [metricsRegistry]`) so `/metrics` shows everything the process knows.
 */
export const metricsRegistry = new Registry();

collectDefaultMetrics({ register: metricsRegistry });

/** Duration of every HTTP request, by method, route template (not raw path) and status code. */
export const httpRequestDuration = new Histogram({
  name: 'http_server_request_duration_seconds',
  help: 'Duration of HTTP requests handled by this service, in seconds.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});
