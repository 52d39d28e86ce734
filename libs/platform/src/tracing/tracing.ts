import { context, ROOT_CONTEXT, SpanStatusCode, trace, TraceFlags, type Attributes, type Context, type Span, type SpanContext, type SpanKind, type SpanOptions } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, RandomIdGenerator } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

// The active span follows the work through awaits, as the correlation id does: installed once per
// process, whether or not spans are exported.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const ids = new RandomIdGenerator();

type StartSpan = (name: string, options: SpanOptions, parent: Context) => Span;

/**
 * With export off, a span is only its ids: a new span id under the parent's trace (or a new trace),
 * the parent's flags, nothing recorded, nothing to end. The ids still go into every header and log
 * line, so the chain is there when export is turned on downstream or later.
 */
const idsOnly: StartSpan = (_name, _options, parent) => {
  const parentContext = trace.getSpanContext(parent);
  return trace.wrapSpanContext({
    traceId: parentContext?.traceId ?? ids.generateTraceId(),
    spanId: ids.generateSpanId(),
    // A new trace is marked sampled, so that a service that does export records its part of it.
    traceFlags: parentContext ? parentContext.traceFlags : TraceFlags.SAMPLED,
    traceState: parentContext?.traceState,
  });
};

let provider: BasicTracerProvider | undefined;
let startWith: StartSpan = idsOnly;

export interface TracingSettings {
  /** `service.name` of the exported spans. */
  serviceName: string;
  /** OTLP/HTTP traces URL (e.g. `http://collector:4318/v1/traces`); no export without one. */
  tracesUrl?: string;
}

/**
 * Sets up the process's spans: exported over OTLP/HTTP (JSON) in batches when `tracesUrl` is
 * given, else ids only (no exporter, no processor, nothing recorded). `configureApp` calls it from
 * the service's `PlatformConfig`; a later call replaces the earlier set-up.
 */
export async function configureTracing(settings: TracingSettings): Promise<void> {
  const previous = provider;
  provider = undefined;
  startWith = idsOnly;
  if (settings.tracesUrl !== undefined) {
    const next = new BasicTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }),
      // A caller that did not sample its trace is followed; a new trace is recorded.
      sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.tracesUrl }))],
    });
    const tracer = next.getTracer('postrade');
    provider = next;
    startWith = (name, options, parent) => tracer.startSpan(name, options, parent);
  }
  await previous?.shutdown().catch(() => undefined);
}

/** True when spans are exported (then they are worth attributes and links). */
export function tracingExports(): boolean {
  return provider !== undefined;
}

/** Sends the spans ended so far to the collector (at shutdown, and in tests). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

export interface SpanStart {
  name: string;
  kind: SpanKind;
  /** The remote parent (an HTTP caller's, an event's); without one the span starts a new trace. */
  parent?: SpanContext;
  /** Contexts the span relates to without being their child (the events of a batch). */
  links?: readonly SpanContext[];
  attributes?: Attributes;
}

/** Starts a span; end it with {@link endSpan}. It is not active until run with {@link inSpan}. */
export function startSpan(start: SpanStart): Span {
  const parent = start.parent ? trace.setSpanContext(ROOT_CONTEXT, start.parent) : ROOT_CONTEXT;
  const options: SpanOptions = { kind: start.kind, attributes: start.attributes };
  if (start.links?.length) options.links = start.links.map((linked) => ({ context: linked }));
  return startWith(start.name, options, parent);
}

/** Runs `work` with `span` as the active span: log lines and outbox events written meanwhile carry its ids. */
export function inSpan<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(context.active(), span), work);
}

/** Runs `work` with `span` active and ends the span when it settles, as failed when it throws. */
export async function runInSpan<T>(span: Span, work: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await inSpan(span, work);
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
  endSpan(span);
  return result;
}

/** Ends a span, marked as failed with the error when there is one. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    if (error instanceof Error) span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

/** The active span's context (trace id, span id, flags), or undefined outside any span. */
export function activeSpanContext(): SpanContext | undefined {
  return trace.getSpanContext(context.active());
}
