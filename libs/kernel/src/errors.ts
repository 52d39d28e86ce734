/**
 * Domain errors. Domain and application code throws these; it never knows about HTTP or Kafka.
 * libs/platform maps them to RFC 9457 problem+json (status by `kind`), and the consumer runner
 * treats `invalid`/`conflict` kinds as permanent (straight to the DLQ, no retry).
 */
export type DomainErrorKind =
  | 'invalid' // the input breaks a rule: 400 (422 when `unprocessable` is set)
  | 'not-found' // 404
  | 'conflict' // 409
  | 'unprocessable' // 422: well-formed but cannot be applied in the current state
  | 'forbidden'; // 403: the principal may not do this (e.g. maker approving own request)

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly errors: FieldError[] = [],
    readonly code?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static invalid(field: string, message: string): DomainError {
    return new DomainError('invalid', `${field}: ${message}`, [{ field, message }]);
  }

  static invalidFields(errors: FieldError[]): DomainError {
    return new DomainError('invalid', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }

  static notFound(what: string, id: string): DomainError {
    return new DomainError('not-found', `${what} ${id} was not found`);
  }

  static conflict(message: string, code?: string): DomainError {
    return new DomainError('conflict', message, [], code);
  }

  static unprocessable(message: string, errors: FieldError[] = []): DomainError {
    return new DomainError('unprocessable', message, errors);
  }

  static forbidden(message: string): DomainError {
    return new DomainError('forbidden', message);
  }
}
