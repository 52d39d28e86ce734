import { context, createContextKey, type SpanContext } from '@opentelemetry/api';
import { activeSpanContext, formatTraceparent, formatTracestate, parseTraceContext } from '@postrade/platform';

/**
 * The CloudEvents Distributed Tracing extension's attributes (`traceparent`, `tracestate`, W3C Trace
 * Context) as Kafka binary-mode headers, beside the other `ce_*` headers.
 */
export const TraceContextHeaders = {
  traceparent: 'ce_traceparent',
  tracestate: 'ce_tracestate',
} as const;

/** The trace context an event carries, or undefined when it has none or an invalid one (then its consumer starts a new trace). */
export function traceContextOfMessage(headers: Readonly<Record<string, string>>): SpanContext | undefined {
  return parseTraceContext(headers[TraceContextHeaders.traceparent], headers[TraceContextHeaders.tracestate]);
}

/** An event's trace context as stored with its outbox row. */
export interface StoredTraceContext {
  traceparent?: string | null;
  tracestate?: string | null;
}

const NO_TRACE: StoredTraceContext = { traceparent: null, tracestate: null };

/** The `ce_traceparent` / `ce_tracestate` headers of a stored trace context (none when it has none). */
export function traceHeadersOf(stored: StoredTraceContext, headers: Record<string, string>): Record<string, string> {
  if (stored.traceparent) headers[TraceContextHeaders.traceparent] = stored.traceparent;
  if (stored.tracestate) headers[TraceContextHeaders.tracestate] = stored.tracestate;
  return headers;
}

const CONSUMED_EVENT_SPANS = createContextKey('postrade consumed event spans');

/**
 * Runs `work` (a handler applying several consumed events at once) knowing each event's own span, by
 * event id, so that an event the handler writes with `causationId` naming one of them carries that
 * event's span (see {@link traceContextForOutbox}).
 */
export function withConsumedEventSpans<T>(spans: ReadonlyMap<string, SpanContext>, work: () => T): T {
  return context.with(context.active().setValue(CONSUMED_EVENT_SPANS, spans), work);
}

/**
 * The trace context of an event being written to the outbox: the span of the consumed event its
 * `causationId` names, when a batch of events is being applied; else the active span (the request's,
 * the consumed event's); else none.
 */
export function traceContextForOutbox(causationId: string | undefined): StoredTraceContext {
  const spans = context.active().getValue(CONSUMED_EVENT_SPANS) as ReadonlyMap<string, SpanContext> | undefined;
  const span = (causationId !== undefined ? spans?.get(causationId) : undefined) ?? activeSpanContext();
  return span ? { traceparent: formatTraceparent(span), tracestate: formatTracestate(span) ?? null } : NO_TRACE;
}
