/**
 * Trace context end to end against the real broker and database (issue 19): a request's
 * `traceparent` reaches Kafka as the `ce_traceparent` of the event the request wrote; a consumer
 * continues the trace of the event it applies into the event it writes; an event without trace
 * context starts a new trace at its first consumer; and with an OTLP endpoint set, the request's and
 * the consumer's spans reach a collector (a local HTTP server here) as one trace, parent and child.
 * Two service processes (fixtures/traced-service.ts), started as every service is: the exporter
 * runs as in production (it cannot run inside Jest's module sandbox, which refuses its dynamic
 * `import('http')`: open-telemetry/opentelemetry-js#6035).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { toHeaders } from '@postrade/contracts';
import { bootstrapServiceDatabase } from '@postrade/persistence';
import { parseTraceContext } from '@postrade/platform';
import { eventually, spawnTs, type TsProcess } from '@postrade/testing';
import { ensureTopics, kafkaConnectionFromEnv, KafkajsEventPublisher, readTopic, TraceContextHeaders, type KafkaConnection, type RawMessage } from '../src';
import { ORDER_PLACED } from './fixtures/traced-orders';
import { msgtestDatabase, WIDGET_DLQ } from './fixtures/widgets';

const SERVICE = 'libs/messaging/test/fixtures/traced-service.ts';
const run = randomUUID().slice(0, 8);
const ORDERS = `msgtest.traced-orders.${run}.v1`;
const ECHOES = `msgtest.traced-echoes.${run}.v1`;
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

/** One OTLP/HTTP span as the collector received it (JSON encoding: ids in hex). */
interface CollectedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  links: { traceId: string; spanId: string }[];
}

/** A collector: every span posted to /v1/traces, flattened. */
function otlpCollector(): { server: Server; spans: CollectedSpan[]; paths: string[] } {
  const spans: CollectedSpan[] = [];
  const paths: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = resourceSpans.resource?.attributes?.find((a: { key: string }) => a.key === 'service.name')?.value?.stringValue;
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({ service, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId ?? '', name: span.name, kind: span.kind, links: span.links ?? [] });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { server, spans, paths };
}

describe('trace context from a REST request through Kafka to the next service', () => {
  let connection: KafkaConnection;
  let orders: TsProcess;
  let echo: TsProcess;
  let ordersUrl: string;
  const collector = otlpCollector();

  /** A service process exporting its spans to the collector; resolves once it serves. */
  async function start(role: 'orders' | 'echo', serviceName: string): Promise<{ process: TsProcess; url: string }> {
    const { port } = collector.server.address() as AddressInfo;
    const child = spawnTs(SERVICE, {
      TRACED_ROLE: role,
      TRACED_ORDERS_TOPIC: ORDERS,
      TRACED_ECHOES_TOPIC: ECHOES,
      TRACED_GROUP: `msgtest-traced-${run}`,
      SERVICE_NAME: serviceName,
      PORT: '0',
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    });
    const line = await child.waitForLine(/serving at http/, 120_000);
    return { process: child, url: JSON.parse(line).url };
  }

  beforeAll(async () => {
    await new Promise<void>((resolve) => collector.server.listen(0, '127.0.0.1', resolve));
    connection = kafkaConnectionFromEnv('msgtest');
    await ensureTopics(connection, [
      { name: ORDERS, partitions: 1 },
      { name: ECHOES, partitions: 1 },
      { name: WIDGET_DLQ, partitions: 1 },
    ]);
    await bootstrapServiceDatabase(process.env.DATABASE_URL!, msgtestDatabase);
    const [a, b] = await Promise.all([start('orders', 'traced-orders'), start('echo', 'traced-echo')]);
    [orders, ordersUrl, echo] = [a.process, a.url, b.process];
  }, 180_000);

  afterAll(async () => {
    await Promise.all([orders?.kill(), echo?.kill()]);
    await new Promise((resolve) => collector.server.close(resolve));
  });

  const traceOf = (message: RawMessage | undefined) => parseTraceContext(message?.headers[TraceContextHeaders.traceparent], message?.headers[TraceContextHeaders.tracestate]);
  const byKey = (key: string) => (messages: RawMessage[]) => messages.some((m) => m.key === key);

  it("carries the caller's trace to the event on Kafka, and on through the next service's consumer to the event it writes, and both services export their spans as one trace", async () => {
    const orderId = `order-${run}`;
    const response = await request(ordersUrl)
      .post('/api/v1/orders')
      .set('traceparent', `00-${CALLER_TRACE}-${CALLER_SPAN}-01`)
      .set('tracestate', 'congo=t61rcWkgMzE')
      .send({ id: orderId })
      .expect(201);
    const requestSpan = parseTraceContext(response.headers['traceparent']);
    expect(requestSpan?.traceId).toBe(CALLER_TRACE);

    // The request's event: the request span's context, tracestate kept.
    const placed = (await readTopic(connection, ORDERS, byKey(orderId))).find((m) => m.key === orderId);
    expect(traceOf(placed)).toMatchObject({ traceId: CALLER_TRACE, spanId: requestSpan?.spanId, traceFlags: 1 });
    expect(placed?.headers[TraceContextHeaders.tracestate]).toBe('congo=t61rcWkgMzE');

    // The consumer's event: same trace, the consumer span (a new span id) as its parent.
    const echoed = (await readTopic(connection, ECHOES, byKey(orderId))).find((m) => m.key === orderId);
    const consumerSpan = traceOf(echoed);
    expect(consumerSpan?.traceId).toBe(CALLER_TRACE);
    expect([CALLER_SPAN, requestSpan?.spanId]).not.toContain(consumerSpan?.spanId);
    expect(echoed?.headers.ce_causationid).toBe(placed?.headers.ce_id);

    // Exported by each service: the request's server span, child of the caller, and the consumer
    // span of the other service, child of the request span.
    const exported = await eventually(
      async () => collector.spans.filter((s) => s.traceId === CALLER_TRACE),
      // Each service exports on its own schedule: wait for both spans, whichever comes first.
      (spans) => spans.some((s) => s.spanId === consumerSpan?.spanId) && spans.some((s) => s.spanId === requestSpan?.spanId),
      30_000,
      'the request span and the consumer span at the collector',
    );
    expect(collector.paths[0]).toMatch(/^POST \/v1\/traces application\/json/);
    expect(exported).toContainEqual(
      expect.objectContaining({ service: 'traced-orders', name: 'POST /api/v1/orders', kind: 2, spanId: requestSpan?.spanId, parentSpanId: CALLER_SPAN }),
    );
    expect(exported).toContainEqual(
      expect.objectContaining({ service: 'traced-echo', name: `process ${ORDERS}`, kind: 5, spanId: consumerSpan?.spanId, parentSpanId: requestSpan?.spanId }),
    );
    // The relay's send of the order is linked to the span that wrote it.
    const sends = await eventually(
      async () => collector.spans.filter((s) => s.name === 'send' && s.links.some((l) => l.spanId === requestSpan?.spanId)),
      (found) => found.length > 0,
      30_000,
      'the relay send span',
    );
    expect(sends[0]).toMatchObject({ kind: 4, links: expect.arrayContaining([expect.objectContaining({ traceId: CALLER_TRACE, spanId: requestSpan?.spanId })]) });
  });

  it('starts a new trace at the first consumer of an event published without trace context (an upstream system)', async () => {
    const orderId = `upstream-${run}`;
    const publisher = new KafkajsEventPublisher(connection);
    const headers = toHeaders({ id: randomUUID(), source: 'oms-gateway', type: ORDER_PLACED, time: new Date().toISOString(), subject: orderId });
    await publisher.send([{ topic: ORDERS, key: orderId, headers, value: JSON.stringify({ id: orderId }) }]);
    await publisher.disconnect();

    const echoed = (await readTopic(connection, ECHOES, byKey(orderId))).find((m) => m.key === orderId);
    const started = traceOf(echoed);
    expect(started?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(started?.traceId).not.toBe(CALLER_TRACE);
    const exported = await eventually(
      async () => collector.spans.find((s) => s.spanId === started?.spanId),
      (span) => span !== undefined,
      30_000,
      'the new trace at the collector',
    );
    expect(exported).toMatchObject({ service: 'traced-echo', traceId: started?.traceId, parentSpanId: '', name: `process ${ORDERS}` });
  });
});
