import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { DomainError, type FieldError } from '@postrade/kernel';

/** A payload class: validated by its class-validator decorators, built with no constructor arguments. */
export type PayloadClass<T extends object> = new () => T;

/** The field name used when the value as a whole is wrong (not an object at all). */
export const PAYLOAD_ROOT_FIELD = 'payload';

// class-transformer silently skips these keys; reject them so that nothing unknown is ever dropped quietly.
const RESERVED_KEYS = ['__proto__', 'constructor'];

const UNKNOWN_FIELD = 'is not a known field';

/**
 * Validates an event value (or a request body) against its payload class and returns the typed
 * instance. Throws `DomainError.invalidFields([{ field, message }])` naming every failing field by
 * path (`postings[0].debit`): missing or malformed fields, and fields the class does not declare.
 * No value is converted: a decimal sent as a JSON number is an error, not a string.
 */
export function validatePayload<T extends object>(type: PayloadClass<T>, plain: unknown): T {
  if (!isPlainObject(plain)) {
    throw DomainError.invalidFields([{ field: PAYLOAD_ROOT_FIELD, message: 'must be a JSON object' }]);
  }
  const reserved = reservedKeys(plain, '');
  if (reserved.length > 0) throw DomainError.invalidFields(reserved);

  const instance = plainToInstance(type, plain, { enableImplicitConversion: false });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) throw DomainError.invalidFields(fieldErrors(errors, ''));
  return withoutAbsentFields(instance);
}

// Declared class fields exist on every instance, as undefined when absent; remove them so that an
// instance has the keys the value had (`'fees' in trade` and deep equality stay truthful).
function withoutAbsentFields<T>(value: T): T {
  if (Array.isArray(value)) value.forEach(withoutAbsentFields);
  else if (typeof value === 'object' && value !== null) {
    const fields = value as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (fields[key] === undefined) delete fields[key];
      else withoutAbsentFields(fields[key]);
    }
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent === '' ? property : `${parent}.${property}`;
}

function reservedKeys(value: unknown, path: string): FieldError[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => reservedKeys(item, childPath(path, String(index))));
  if (!isPlainObject(value)) return [];
  return Object.keys(value).flatMap((key) =>
    RESERVED_KEYS.includes(key)
      ? [{ field: childPath(path, key), message: UNKNOWN_FIELD }]
      : reservedKeys(value[key], childPath(path, key)),
  );
}

function fieldErrors(errors: ValidationError[], parent: string): FieldError[] {
  return errors.flatMap((error) => {
    // An error without a property concerns the object at `parent` itself (e.g. a nested value with no shape).
    const field = error.property === undefined ? parent || PAYLOAD_ROOT_FIELD : childPath(parent, error.property);
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      message: constraint === 'whitelistValidation' ? UNKNOWN_FIELD : message,
    }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}
