import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { httpRequestDuration } from './metrics-registry';

/** Label for requests that matched no route: raw paths would make the label set unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';

/** The route template a request matched (`/api/v1/trades/:tradeId`), known once routing has run. */
export function routeTemplateOf(request: Request): string {
  const path: unknown = request.route?.path;
  return typeof path === 'string' ? path : UNMATCHED_ROUTE;
}

/** Express middleware observing {@link httpRequestDuration} when each response finishes. */
export function httpMetricsMiddleware(): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const stopTimer = httpRequestDuration.startTimer();
    response.on('finish', () => {
      stopTimer({ method: request.method, route: routeTemplateOf(request), status: String(response.statusCode) });
    });
    next();
  };
}
