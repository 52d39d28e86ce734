import { HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from '@postrade/kernel';
import { ProblemException } from '../errors/problem-details';

/**
 * The one validation pipe of every service (installed globally by `PlatformModule`): strips
 * nothing silently — an unknown field is a 400 naming it — converts query strings and bodies to
 * the DTO classes, and reports each broken constraint as `{ field: 'path.to.field', message }`.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => {
      const fieldErrors = toFieldErrors(errors);
      const fields = [...new Set(fieldErrors.map((error) => error.field))].join(', ');
      return new ProblemException(HttpStatus.BAD_REQUEST, 'validation-error', `Invalid fields: ${fields}.`, fieldErrors);
    },
  });
}

/**
 * Flattens class-validator's tree (nested objects, array elements) into one entry per broken
 * constraint, with dotted paths: `counterparty.lei`, `entries.2.name`.
 */
export function toFieldErrors(errors: readonly ValidationError[], parentPath = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parentPath === '' ? error.property : `${parentPath}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message: messageWithoutPath(message, error.property) }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

/**
 * class-validator messages start with the property name ("price must be a string"), and for an
 * unknown field read "property x should not exist"; the field is already in `field`.
 */
function messageWithoutPath(message: string, property: string): string {
  if (message === `property ${property} should not exist`) return 'is not a known field';
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
