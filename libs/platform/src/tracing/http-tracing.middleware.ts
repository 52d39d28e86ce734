import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { routeTemplateOf, UNMATCHED_ROUTE } from '../metrics/http-metrics.middleware';
import { formatTraceparent, parseTraceContext, TRACEPARENT_HEADER, TRACESTATE_HEADER } from './trace-context';
import { endSpan, inSpan, startSpan } from './tracing';

/**
 * Express middleware, right after the correlation id's: a server span for each request, the child
 * of the caller's `traceparent` when it is valid (else a new trace), active for the rest of the
 * request so that its log lines and the events it writes to the outbox carry its context. The
 * response's `traceparent` names the span, so an operator can find the trace of a call.
 */
export function httpTracingMiddleware(): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const traceparent = request.headers[TRACEPARENT_HEADER];
    const tracestate = request.headers[TRACESTATE_HEADER];
    // A traceparent sent twice arrives joined with a comma and fails the parse: the request starts a new trace.
    const parent = typeof traceparent === 'string' ? parseTraceContext(traceparent, Array.isArray(tracestate) ? tracestate.join(',') : tracestate) : undefined;
    const span = startSpan({
      name: request.method,
      kind: SpanKind.SERVER,
      parent,
      attributes: { [ATTR_HTTP_REQUEST_METHOD]: request.method, [ATTR_URL_PATH]: request.path },
    });
    response.setHeader(TRACEPARENT_HEADER, formatTraceparent(span.spanContext()));
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = routeTemplateOf(request);
      if (route !== UNMATCHED_ROUTE) {
        span.updateName(`${request.method} ${route}`);
        span.setAttribute(ATTR_HTTP_ROUTE, route);
      }
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      endSpan(span);
    };
    response.on('finish', end);
    response.on('close', end); // a caller that hung up before the answer
    inSpan(span, next);
  };
}
