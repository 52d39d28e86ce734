import type { SpanContext } from '@opentelemetry/api';
import { parseTraceParent, TraceState } from '@opentelemetry/core';

/** The W3C Trace Context headers of HTTP (https://www.w3.org/TR/trace-context/). */
export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

/**
 * The caller's trace context from its `traceparent` and `tracestate`, or undefined when
 * `traceparent` is absent or invalid per W3C Trace Context: not `version-traceid-parentid-flags` in
 * lower-case hex, version `ff`, an all-zero trace or parent id, or a version 00 value with more
 * after the flags. An invalid `traceparent` takes its `tracestate` with it (the spec's rule); a
 * `tracestate` keeps only its well-formed members.
 */
export function parseTraceContext(traceparent: string | undefined, tracestate?: string): SpanContext | undefined {
  if (!traceparent) return undefined;
  const parsed = parseTraceParent(traceparent);
  if (!parsed) return undefined;
  const context: SpanContext = { traceId: parsed.traceId, spanId: parsed.spanId, traceFlags: parsed.traceFlags, isRemote: true };
  if (tracestate) {
    const state = new TraceState(tracestate);
    if (state.serialize() !== '') context.traceState = state;
  }
  return context;
}

/** `traceparent` of a span context, version 00: `00-<trace id>-<span id>-<flags>`. */
export function formatTraceparent(context: SpanContext): string {
  return `00-${context.traceId}-${context.spanId}-${(context.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** `tracestate` of a span context, or undefined when it has none. */
export function formatTracestate(context: SpanContext): string | undefined {
  const state = context.traceState?.serialize();
  return state ? state : undefined;
}
