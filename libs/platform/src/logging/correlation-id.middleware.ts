import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { routeTemplateOf } from '../metrics/http-metrics.middleware';
import { correlationContext, correlationIdFrom, CORRELATION_ID_HEADER } from './correlation-context';
import { createLogger } from './logger';

/**
 * Express middleware, first in the chain: takes the caller's `X-Correlation-Id` (or makes one),
 * echoes it in the response, runs the rest of the request inside `correlationContext`, and logs
 * the finished request at debug (at info a service logs no line per request).
 */
export function correlationIdMiddleware(): RequestHandler {
  const log = createLogger('http');
  return (request: Request, response: Response, next: NextFunction) => {
    const correlationId = correlationIdFrom(request.headers[CORRELATION_ID_HEADER.toLowerCase()]);
    response.setHeader(CORRELATION_ID_HEADER, correlationId);
    const startedAt = performance.now();
    response.on('finish', () => {
      log.debug(
        {
          correlationId,
          method: request.method,
          route: routeTemplateOf(request),
          status: response.statusCode,
          durationMs: Math.round(performance.now() - startedAt),
        },
        'request handled',
      );
    });
    correlationContext.run(correlationId, next);
  };
}
