import { TraceFlags } from '@opentelemetry/api';
import { formatTraceparent, formatTracestate, parseTraceContext } from './trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const VALID = `00-${TRACE_ID}-${SPAN_ID}-01`;

describe('parsing a W3C traceparent', () => {
  it('reads the trace id, parent id and flags of a valid one, as a remote context', () => {
    expect(parseTraceContext(VALID)).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(parseTraceContext(`00-${TRACE_ID}-${SPAN_ID}-00`)?.traceFlags).toBe(TraceFlags.NONE);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['version ff, which the spec forbids', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['a short parent id', `00-${TRACE_ID}-${SPAN_ID.slice(1)}-01`],
    ['version 00 with data after the flags', `${VALID}-extra`],
    ['a flags field of one digit', `00-${TRACE_ID}-${SPAN_ID}-1`],
    ['not hex', `00-${TRACE_ID.replace('4', 'g')}-${SPAN_ID}-01`],
    ['another separator', VALID.replace(/-/g, '_')],
    ['a log-injection attempt', `${VALID}\n{"level":"fatal"}`],
  ])('ignores one that is %s', (_why, traceparent) => {
    expect(parseTraceContext(traceparent)).toBeUndefined();
  });

  it('accepts a later version, with or without fields after the flags, as the spec asks', () => {
    expect(parseTraceContext(`01-${TRACE_ID}-${SPAN_ID}-01`)?.traceId).toBe(TRACE_ID);
    expect(parseTraceContext(`cc-${TRACE_ID}-${SPAN_ID}-01-what-comes-next`)?.spanId).toBe(SPAN_ID);
    expect(parseTraceContext(`cc-${TRACE_ID}-${SPAN_ID}-01what`)).toBeUndefined();
  });

  it('keeps the well-formed members of tracestate, and drops tracestate with an invalid traceparent', () => {
    const context = parseTraceContext(VALID, 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7,not a member');
    expect(context && formatTracestate(context)).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    expect(parseTraceContext(VALID, 'only garbage')?.traceState).toBeUndefined();
    expect(parseTraceContext(`ff-${TRACE_ID}-${SPAN_ID}-01`, 'congo=t61rcWkgMzE')).toBeUndefined();
  });
});

describe('formatting a traceparent', () => {
  it('writes version 00 with two-digit flags, and reads back what it wrote', () => {
    const context = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.NONE };
    expect(formatTraceparent(context)).toBe(`00-${TRACE_ID}-${SPAN_ID}-00`);
    expect(formatTraceparent({ ...context, traceFlags: TraceFlags.SAMPLED })).toBe(VALID);
    expect(parseTraceContext(formatTraceparent(context))).toMatchObject(context);
  });

  it('has no tracestate for a context without one', () => {
    expect(formatTracestate({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 })).toBeUndefined();
  });
});
