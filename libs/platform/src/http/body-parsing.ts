import { HttpException, HttpStatus, INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { ProblemException } from '../errors/problem-details';

/** What `body-parser` attaches to the errors it raises. */
interface BodyParserError extends Error {
  type?: string;
  status?: number;
  expose?: boolean;
}

/**
 * Installs the one body parser of the APIs, JSON, with the configured size limit, behind a gate
 * that refuses any other body with 415: the APIs speak JSON only, so a form-encoded or text body
 * is never parsed into something a handler might half-accept. Called before `app.init()`, so
 * Nest's own JSON parser (with its 100kb default) is not added; `bootstrapService` also turns
 * Nest's default parsers off, so a service has no urlencoded parser at all.
 */
export function useLimitedBodyParsers(app: INestApplication, limit: { bytes: number; asWritten: string }, nonJsonRoutes: readonly NonJsonBodyRoute[] = []): void {
  const expressApp = app as NestExpressApplication;
  expressApp.use(jsonBodiesOnly(nonJsonRoutes));
  expressApp.useBodyParser('json', { limit: limit.bytes, type: JSON_MEDIA_TYPES });
  expressApp.use(bodyParserErrorTranslator(limit.asWritten));
}

/** JSON, `application/json` or a `+json` type such as `application/merge-patch+json`. */
const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

/** A route that takes a body of another media type, which its service parses itself. */
export interface NonJsonBodyRoute {
  method: 'POST' | 'PUT';
  /** The exact request path, e.g. `/api/v1/status-messages`. */
  path: string;
  mediaTypes: string[];
}

/** Refuses a request that carries a body which is not JSON, before anything reads that body. */
function jsonBodiesOnly(nonJsonRoutes: readonly NonJsonBodyRoute[]): RequestHandler {
  return (request, _response, next) => {
    if (!carriesBody(request) || request.is(JSON_MEDIA_TYPES)) return next();
    const exempt = nonJsonRoutes.some((r) => r.method === request.method && r.path === request.path && request.is(r.mediaTypes));
    if (exempt) return next();
    const sent = request.headers['content-type'] ?? 'no Content-Type';
    next(new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported-media-type', `The request body must be JSON (Content-Type: application/json), not ${sent}.`));
  };
}

// As body-parser decides it: a chunked body, or a declared length other than zero.
function carriesBody(request: Request): boolean {
  return request.headers['transfer-encoding'] !== undefined || (request.headers['content-length'] ?? '0') !== '0';
}

/**
 * Turns body-parser's errors into HTTP exceptions with a clear detail, so they reach the problem
 * details filter like any other: malformed JSON → 400, too large → 413.
 */
function bodyParserErrorTranslator(limitAsWritten: string): ErrorRequestHandler {
  return (error: BodyParserError, _request, _response, next) => {
    switch (error.type) {
      case 'entity.parse.failed':
        return next(new ProblemException(HttpStatus.BAD_REQUEST, 'malformed-json', `The request body is not valid JSON: ${error.message}`));
      case 'entity.too.large':
        return next(new HttpException(`The request body is larger than the limit of ${limitAsWritten}.`, HttpStatus.PAYLOAD_TOO_LARGE));
      default:
        if (error.expose === true && typeof error.status === 'number') return next(new HttpException(error.message, error.status));
        return next(error);
    }
  };
}
