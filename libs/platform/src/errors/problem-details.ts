import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, DomainErrorKind, FieldError } from '@postrade/kernel';

/** RFC 9457 problem details, the body of every error response (`application/problem+json`). */
export interface ProblemDetails {
  /** A URI naming the kind of problem, e.g. `https://postrade.dev/problems/validation-error`. */
  type: string;
  /** The same for every occurrence of `type`. */
  title: string;
  status: number;
  /** What went wrong this time, for a human. */
  detail: string;
  /** The request path the problem occurred on. */
  instance: string;
  /** The invalid fields, for validation problems. */
  errors?: FieldError[];
  /** A machine-readable reason a `DomainError` carried (e.g. `stale-version`). */
  code?: string;
  /** The request's correlation id, to quote when reporting the problem. */
  correlationId?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://postrade.dev/problems/';

/** The kinds of problem a service reports, by slug (the last segment of `type`). */
const PROBLEM_TITLES = {
  'validation-error': 'Your request is not valid',
  'malformed-json': 'The request body is not valid JSON',
  'bad-request': 'Bad Request',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  'not-found': 'Not Found',
  'method-not-allowed': 'Method Not Allowed',
  conflict: 'Conflict',
  'content-too-large': 'Content Too Large',
  'unsupported-media-type': 'Unsupported Media Type',
  'unprocessable-content': 'Unprocessable Content',
  'too-many-requests': 'Too Many Requests',
  'internal-error': 'Internal Server Error',
  'service-unavailable': 'Service Unavailable',
} as const;

export type ProblemSlug = keyof typeof PROBLEM_TITLES;

const SLUG_BY_STATUS: Partial<Record<number, ProblemSlug>> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'content-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable-content',
  429: 'too-many-requests',
  500: 'internal-error',
  503: 'service-unavailable',
};

const DOMAIN_ERROR_STATUS: Record<DomainErrorKind, { status: number; slug: ProblemSlug }> = {
  invalid: { status: 400, slug: 'validation-error' },
  'not-found': { status: 404, slug: 'not-found' },
  conflict: { status: 409, slug: 'conflict' },
  unprocessable: { status: 422, slug: 'unprocessable-content' },
  forbidden: { status: 403, slug: 'forbidden' },
};

/** Said instead of the real message of an unexpected error, which may hold internals. */
export const UNEXPECTED_ERROR_DETAIL = 'An unexpected error occurred. Quote the correlation id when reporting it.';

/**
 * An HTTP error the platform raises with a specific problem type (validation, malformed JSON).
 * Domain and application code throws `DomainError` instead.
 */
export class ProblemException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly slug: ProblemSlug,
    detail: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(detail, status);
  }
}

/** A problem and whether it was expected (a client error or a deliberate 5xx) or a bug to log. */
export interface ResolvedProblem {
  problem: Omit<ProblemDetails, 'instance' | 'correlationId'>;
  unexpected: boolean;
}

/** Seconds a client is told to wait (`Retry-After`) when a dependency is away. */
export const RETRY_AFTER_SECONDS = 5;

const unavailabilityChecks: ((exception: unknown) => boolean)[] = [];

/**
 * Registers a test for errors that mean "a dependency (the database, the broker) is away for a
 * moment": such a request is answered 503 with `Retry-After`, which a client waits out, not 500,
 * which says the request itself is at fault. The libraries that know those errors register them
 * (the messaging module registers the database's transient errors).
 */
export function treatAsUnavailable(check: (exception: unknown) => boolean): void {
  if (!unavailabilityChecks.includes(check)) unavailabilityChecks.push(check);
}

/** Maps anything thrown while handling a request to problem details. */
export function resolveProblem(exception: unknown): ResolvedProblem {
  if (exception instanceof ProblemException) {
    return expected(exception.getStatus(), exception.slug, exception.message, exception.fieldErrors);
  }
  if (exception instanceof DomainError) {
    const { status, slug } = DOMAIN_ERROR_STATUS[exception.kind];
    return expected(status, slug, exception.message, exception.errors, exception.code);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return expected(status, slugFor(status), detailOf(exception));
  }
  if (isExposedClientError(exception)) {
    return expected(exception.status, slugFor(exception.status), exception.message);
  }
  if (unavailabilityChecks.some((check) => check(exception))) {
    return expected(503, 'service-unavailable', `A service this request needs is temporarily unavailable; retry in ${RETRY_AFTER_SECONDS} seconds.`);
  }
  return { problem: build(500, 'internal-error', UNEXPECTED_ERROR_DETAIL), unexpected: true };
}

/** The full `type` URI for a slug. */
export function problemType(slug: ProblemSlug): string {
  return `${PROBLEM_TYPE_BASE}${slug}`;
}

function expected(status: number, slug: ProblemSlug, detail: string, errors: FieldError[] = [], code?: string): ResolvedProblem {
  return { problem: build(status, slug, detail, errors, code), unexpected: false };
}

function build(status: number, slug: ProblemSlug, detail: string, errors: FieldError[] = [], code?: string): ResolvedProblem['problem'] {
  return {
    type: problemType(slug),
    title: PROBLEM_TITLES[slug],
    status,
    detail,
    ...(errors.length > 0 ? { errors } : {}),
    ...(code !== undefined ? { code } : {}),
  };
}

function slugFor(status: number): ProblemSlug {
  return SLUG_BY_STATUS[status] ?? (status >= 500 ? 'internal-error' : 'bad-request');
}

/** Nest's built-in exceptions answer `{ message: string | string[] }` or a plain string. */
function detailOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/** An `http-errors` error (as Express middleware raise) whose message is meant for the client. */
function isExposedClientError(exception: unknown): exception is Error & { status: number } {
  if (!(exception instanceof Error)) return false;
  const { status, expose } = exception as Error & { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true;
}
