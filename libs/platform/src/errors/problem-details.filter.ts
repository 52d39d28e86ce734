import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { currentCorrelationId, CORRELATION_ID_HEADER } from '../logging/correlation-context';
import { createLogger } from '../logging/logger';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, resolveProblem, RETRY_AFTER_SECONDS } from './problem-details';

/**
 * Global filter: every error leaves a service as RFC 9457 problem+json. Unexpected errors are
 * logged with their stack and answered 500 with a generic detail; nothing internal leaks.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly log = createLogger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const { problem, unexpected } = resolveProblem(exception);
    const correlationId = currentCorrelationId() ?? correlationIdOf(response);
    const body: ProblemDetails = {
      ...problem,
      instance: (request.originalUrl ?? request.url).split('?')[0],
      ...(correlationId !== undefined ? { correlationId } : {}),
    };

    if (unexpected) {
      this.log.error({ err: exception, correlationId, method: request.method, path: body.instance }, 'unexpected error handling request');
    } else if (problem.status >= 500) {
      this.log.error({ correlationId, method: request.method, path: body.instance, status: problem.status, detail: problem.detail }, 'request failed');
    } else if (problem.status === 401 || problem.status === 403) {
      // Who was turned away, from where, and why: never the key itself, only the principal it named.
      const principal = (request as Request & { principal?: { id: string; role: string } }).principal;
      this.log.warn(
        {
          correlationId,
          method: request.method,
          path: body.instance,
          status: problem.status,
          reason: problem.detail,
          ...(principal ? { principalId: principal.id, role: principal.role } : {}),
          remoteAddress: request.ip,
        },
        problem.status === 401 ? 'request not authenticated' : 'request forbidden',
      );
    }

    if (response.headersSent) {
      response.end();
      return;
    }
    if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="postrade"');
    if (problem.status === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(problem.status).setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    response.send(JSON.stringify(body));
  }
}

function correlationIdOf(response: Response): string | undefined {
  const header = response.getHeader(CORRELATION_ID_HEADER);
  return typeof header === 'string' ? header : undefined;
}
