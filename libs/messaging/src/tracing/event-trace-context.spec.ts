import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { SpanKind, type SpanContext } from '@opentelemetry/api';
import type { DataSource, EntityManager } from 'typeorm';
import { toHeaders } from '@postrade/contracts';
import { activeSpanContext, configureLogging, createLogger, inSpan, parseTraceContext, startSpan } from '@postrade/platform';
import { MessageProcessor } from '../consumer/message-processor';
import type { ConsumedEvent, EventHandler, RawMessage } from '../consumer/consumed-event';
import { headersOf, Outbox } from '../outbox/outbox';
import { TraceContextHeaders, traceContextOfMessage } from './event-trace-context';
import { outboxRow as row } from '../test-support/outbox-row';

const TRACE_A = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACE_B = '0af7651916cd43dd8448eb211c80319c';
const PRODUCER_SPAN = '00f067aa0ba902b7';
const TOPIC = 'msgtest.traced.v1';
const EVENT_TYPE = 'postrade.test.traced.v1';


/** Outbox inserts as the fake database saw them: the trace context and causation of each row. */
interface WrittenRow {
  causationId: string | null;
  traceparent: string | null;
  tracestate: string | null;
}

/** A database for one transaction at a time: every event is new to the inbox, outbox rows are kept. */
function fakeDatabase(): { dataSource: DataSource; written: WrittenRow[] } {
  const written: WrittenRow[] = [];
  const em = {
    query: async (sql: string, params: unknown[] = []) => {
      if (sql.includes('insert into inbox')) return (params[1] as string[]).map((id) => ({ event_id: id }));
      if (sql.includes('insert into outbox')) {
        const [causations, traceparents, tracestates] = [params[8], params[10], params[11]] as (string | null)[][];
        causations.forEach((causationId, i) => written.push({ causationId, traceparent: traceparents[i], tracestate: tracestates[i] }));
      }
      return [];
    },
  } as unknown as EntityManager;
  const dataSource = { transaction: async (work: (em: EntityManager) => Promise<unknown>) => work(em) } as unknown as DataSource;
  return { dataSource, written };
}

function message(traceHeaders: Record<string, string> = {}, offset = 0): RawMessage {
  const id = randomUUID();
  return {
    topic: TOPIC,
    partition: 0,
    offset: String(offset),
    key: 'k-1',
    headers: { ...toHeaders({ id, source: 'msgtest', type: EVENT_TYPE, time: new Date().toISOString(), subject: 'k-1' }), ...traceHeaders },
    value: '{}',
  };
}

const traced = (traceId: string, flags = '01') => ({ [TraceContextHeaders.traceparent]: `00-${traceId}-${PRODUCER_SPAN}-${flags}` });

/** Writes one event caused by each event it applies, and one caused by none of them per batch. */
class EchoHandler implements EventHandler {
  readonly eventTypes = [EVENT_TYPE];
  readonly outbox = new Outbox('msgtest', 'msgtest');
  /** The active span seen by `handle` for each event, by event id. */
  readonly seen = new Map<string, SpanContext | undefined>();
  batchSpan: SpanContext | undefined;

  async handle(event: ConsumedEvent, em: EntityManager): Promise<void> {
    this.seen.set(event.envelope.id, activeSpanContext());
    createLogger('echo').info('echoing');
    await this.outbox.add(em, { topic: 'echo.v1', key: 'k-1', type: 'postrade.test.echo.v1', data: {}, causationId: event.envelope.id });
  }

  async handleBatch(events: ConsumedEvent[], em: EntityManager): Promise<void> {
    this.batchSpan = activeSpanContext();
    await this.outbox.add(em, [
      ...events.map((e) => ({ topic: 'echo.v1', key: 'k-1', type: 'postrade.test.echo.v1', data: {}, causationId: e.envelope.id })),
      { topic: 'echo.v1', key: 'k-1', type: 'postrade.test.summary.v1', data: {} },
    ]);
  }
}

describe('the trace context of a consumed event', () => {
  it('is read from ce_traceparent and ce_tracestate', () => {
    expect(traceContextOfMessage({ ...traced(TRACE_A), [TraceContextHeaders.tracestate]: 'congo=t61rcWkgMzE' })).toMatchObject({
      traceId: TRACE_A,
      spanId: PRODUCER_SPAN,
      isRemote: true,
    });
  });

  it('is none when the header is missing or invalid (version ff, all-zero trace id)', () => {
    expect(traceContextOfMessage({})).toBeUndefined();
    expect(traceContextOfMessage({ [TraceContextHeaders.traceparent]: `ff-${TRACE_A}-${PRODUCER_SPAN}-01` })).toBeUndefined();
    expect(traceContextOfMessage({ [TraceContextHeaders.traceparent]: `00-${'0'.repeat(32)}-${PRODUCER_SPAN}-01` })).toBeUndefined();
  });
});

describe('the trace headers the relay publishes an outbox row with', () => {
  it('writes ce_traceparent and ce_tracestate from the row beside the CloudEvents headers', () => {
    const traceparent = `00-${TRACE_A}-${PRODUCER_SPAN}-01`;
    expect(headersOf(row({ traceparent, tracestate: 'congo=t61rcWkgMzE' }))).toMatchObject({
      ce_id: '0b7f3a52-4a3e-4c5e-9d1e-7f3c2a1b0c9d',
      ce_traceparent: traceparent,
      ce_tracestate: 'congo=t61rcWkgMzE',
    });
  });

  it('writes no trace header for a row without trace context (written before tracing)', () => {
    const headers = headersOf(row({ traceparent: null, tracestate: null }));
    expect(Object.keys(headers).filter((name) => name.includes('trace'))).toEqual([]);
    expect(Object.keys(headersOf(row())).filter((name) => name.includes('trace'))).toEqual([]);
  });
});

describe('an event added to the outbox', () => {
  it('carries the active span (a request being handled) as traceparent and tracestate', async () => {
    const { dataSource, written } = fakeDatabase();
    const parent = parseTraceContext(`00-${TRACE_A}-${PRODUCER_SPAN}-01`, 'congo=t61rcWkgMzE');
    const span = startSpan({ name: 'POST /widgets', kind: SpanKind.SERVER, parent });
    await dataSource.transaction((em) => inSpan(span, () => new Outbox('msgtest', 'msgtest').add(em, { topic: 't.v1', key: 'k', type: 'x.v1', data: {} })));
    expect(written).toEqual([{ causationId: null, traceparent: `00-${TRACE_A}-${span.spanContext().spanId}-01`, tracestate: 'congo=t61rcWkgMzE' }]);
  });

  it('carries no trace context outside any span', async () => {
    const { dataSource, written } = fakeDatabase();
    await dataSource.transaction((em) => new Outbox('msgtest', 'msgtest').add(em, { topic: 't.v1', key: 'k', type: 'x.v1', data: {} }));
    expect(written).toEqual([{ causationId: null, traceparent: null, tracestate: null }]);
  });
});

describe('a consumer applying an event', () => {
  const logs = { lines: [] as Record<string, unknown>[], destination: new Writable({ write: (chunk, _encoding, done) => done(void logs.lines.push(JSON.parse(String(chunk)))) }) };
  beforeAll(() => configureLogging({ destination: logs.destination, level: 'info' }));
  afterAll(() => configureLogging({ destination: process.stdout }));

  async function consume(messages: RawMessage[], handler = new EchoHandler()) {
    const { dataSource, written } = fakeDatabase();
    const processor = new MessageProcessor('msgtest', dataSource, [handler], handler.outbox);
    const { outcomes } = await processor.processBatch(messages, { dlqTopic: 'msgtest.dlq.v1' });
    return { outcomes, written, handler };
  }

  it("continues the event's trace in a span of its own, which the events it writes carry", async () => {
    // One message only: `handle`, not `handleBatch`.
    const consumed = message({ ...traced(TRACE_A), [TraceContextHeaders.tracestate]: 'congo=t61rcWkgMzE' });
    const { outcomes, written, handler } = await consume([consumed]);
    expect(outcomes).toEqual(['applied']);
    const span = handler.seen.get(consumed.headers.ce_id);
    expect(span).toMatchObject({ traceId: TRACE_A });
    expect(span?.spanId).not.toBe(PRODUCER_SPAN);
    expect(written).toEqual([{ causationId: consumed.headers.ce_id, traceparent: `00-${TRACE_A}-${span?.spanId}-01`, tracestate: 'congo=t61rcWkgMzE' }]);
  });

  it("puts the consumer span's ids on the handler's log lines", async () => {
    logs.lines.length = 0;
    const { handler } = await consume([message(traced(TRACE_A))]);
    const [span] = [...handler.seen.values()];
    expect(logs.lines).toContainEqual(expect.objectContaining({ msg: 'echoing', traceId: TRACE_A, spanId: span?.spanId }));
  });

  it('keeps an unsampled trace unsampled', async () => {
    const { written } = await consume([message(traced(TRACE_A, '00'))]);
    expect(written[0].traceparent).toMatch(new RegExp(`^00-${TRACE_A}-[0-9a-f]{16}-00$`));
  });

  it.each([
    ['no traceparent (an upstream system that does not trace)', {}],
    ['an invalid traceparent', { [TraceContextHeaders.traceparent]: `ff-${TRACE_A}-${PRODUCER_SPAN}-01` }],
  ])('starts a new trace for an event with %s', async (_why, headers) => {
    const { outcomes, written } = await consume([message(headers)]);
    expect(outcomes).toEqual(['applied']);
    const started = parseTraceContext(written[0].traceparent ?? undefined);
    expect(started?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(started?.traceId).not.toBe(TRACE_A);
  });

  describe('a run of events applied together (handleBatch)', () => {
    it("gives each event written for a consumed event (its causation) that event's trace, and the rest the run's own span", async () => {
      const [a, b, untraced] = [message(traced(TRACE_A), 0), message(traced(TRACE_B), 1), message({}, 2)];
      const { outcomes, written, handler } = await consume([a, b, untraced]);
      expect(outcomes).toEqual(['applied', 'applied', 'applied']);
      const traceOf = (causationId: string | null) => parseTraceContext(written.find((w) => w.causationId === causationId)?.traceparent ?? undefined);
      expect(traceOf(a.headers.ce_id)?.traceId).toBe(TRACE_A);
      expect(traceOf(b.headers.ce_id)?.traceId).toBe(TRACE_B);
      expect(traceOf(a.headers.ce_id)?.spanId).not.toBe(PRODUCER_SPAN);
      // The event without a trace got a new one, its own, not the run's.
      expect([TRACE_A, TRACE_B, handler.batchSpan?.traceId]).not.toContain(traceOf(untraced.headers.ce_id)?.traceId);
      // The summary names no consumed event: it carries the run's span, a trace of its own.
      expect(traceOf(null)).toMatchObject({ traceId: handler.batchSpan?.traceId, spanId: handler.batchSpan?.spanId });
      expect([TRACE_A, TRACE_B]).not.toContain(handler.batchSpan?.traceId);
    });
  });
});
