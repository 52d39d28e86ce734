import { HttpException, HttpStatus, INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ErrorRequestHandler } from 'express';
import { ProblemException } from '../errors/problem-details';

/** What `body-parser` attaches to the errors it raises. */
interface BodyParserError extends Error {
  type?: string;
  status?: number;
  expose?: boolean;
}

/**
 * Installs the JSON and form body parsers with the configured size limit. Called before
 * `app.init()`, so Nest's own parsers (with their 100kb default) are not added.
 */
export function useLimitedBodyParsers(app: INestApplication, limit: { bytes: number; asWritten: string }): void {
  const expressApp = app as NestExpressApplication;
  expressApp.useBodyParser('json', { limit: limit.bytes });
  expressApp.useBodyParser('urlencoded', { limit: limit.bytes, extended: true });
  expressApp.use(bodyParserErrorTranslator(limit.asWritten));
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
