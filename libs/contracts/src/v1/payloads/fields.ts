/**
 * Field decorators shared by the v1 payload classes: shape checks only. Check digits (ISIN, LEI),
 * known instruments and business rules such as "quantity is positive" belong to the consuming
 * service and @postrade/kernel. Every message reads after the field name: `price: must be …`.
 */
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { checkDecimalString, DEFAULT_DECIMAL_DIGITS, type DecimalDigits } from '@postrade/kernel';

// Quantities, prices and amounts are JSON strings so that no binary float ever touches them.
const DECIMAL_STRING_DESCRIPTION = 'must be a decimal string such as "189.25" (a JSON string, not a number)';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const ISIN_SHAPE = /^[A-Z]{2}[A-Z0-9]{9}[0-9]$/;
const LEI_SHAPE = /^[A-Z0-9]{18}[0-9]{2}$/;
const CURRENCY_CODE = /^[A-Z]{3}$/;
const NOT_BLANK = /\S/;

const isMissing = (value: unknown): boolean => value === undefined || value === null;

/** `is required` when the value is absent, else the given description. */
function expecting(description: string): ValidationOptions {
  return { message: (args: ValidationArguments) => (isMissing(args.value) ? 'is required' : description) };
}

/** Applies decorators in the order given, so that with `stopAtFirstError` the first one speaks. */
function checks(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, propertyKey) => decorators.forEach((decorate) => decorate(target, propertyKey));
}

export const Optional = (): PropertyDecorator => IsOptional();

/** The field is validated when `applies(payload)`, and otherwise only if it is given. */
export const RequiredWhen = <T>(applies: (payload: T) => boolean): PropertyDecorator =>
  ValidateIf((payload: T, value: unknown) => applies(payload) || !isMissing(value));

/** What a decimal field allows beyond the shape: digits on each side of the point, and a sign. */
export interface DecimalBounds extends Partial<DecimalDigits> {
  /** Refuses a minus sign ("-0" too), for values that are never negative: limits, tolerances. */
  unsigned?: boolean;
}

/**
 * Why `value` is not a decimal string within `digits` (and, when `unsigned`, without a minus), or
 * `undefined` when it is one; the check is the kernel's, which refuses an overlong value by its
 * length before reading it.
 */
export function decimalStringProblem(value: unknown, digits: DecimalDigits = DEFAULT_DECIMAL_DIGITS, unsigned = false): string | undefined {
  if (isMissing(value)) return 'is required';
  switch (checkDecimalString(value, digits)) {
    case 'ok':
      return unsigned && (value as string).startsWith('-') ? 'must not be negative' : undefined;
    case 'too-many-digits':
      return `must have at most ${digits.integerDigits} digits before the decimal point and ${digits.fractionDigits} after`;
    case 'not-a-decimal-string':
      return DECIMAL_STRING_DESCRIPTION;
  }
}

/**
 * A decimal string (`"189.25"`, `"-0.5"`) of at most 18 integer and 12 fractional digits, or
 * the bounds given for this field: `@DecimalString({ integerDigits: 6, fractionDigits: 10 })`,
 * `@DecimalString({ unsigned: true })`. Every decimal that enters over REST is checked by it.
 */
export const DecimalString = ({ unsigned = false, ...bounds }: DecimalBounds = {}): PropertyDecorator => {
  const digits: DecimalDigits = { ...DEFAULT_DECIMAL_DIGITS, ...bounds };
  return ValidateBy({
    name: 'isBoundedDecimalString',
    validator: {
      validate: (value: unknown) => decimalStringProblem(value, digits, unsigned) === undefined,
      defaultMessage: (args?: ValidationArguments) => decimalStringProblem(args?.value, digits, unsigned) ?? DECIMAL_STRING_DESCRIPTION,
    },
  });
};

export const CalendarDate = (): PropertyDecorator =>
  checks(
    Matches(ISO_DATE, expecting('must be a date as YYYY-MM-DD')),
    IsISO8601({ strict: true }, { message: 'must be a calendar date that exists' }),
  );

export const Instant = (): PropertyDecorator =>
  checks(
    Matches(INSTANT_WITH_OFFSET, expecting('must be an ISO 8601 instant with offset, e.g. 2026-11-23T14:30:05.123Z')),
    IsISO8601({ strict: true, strictSeparator: true }, { message: 'must be an instant that exists' }),
  );

export const IsinShape = (): PropertyDecorator =>
  Matches(ISIN_SHAPE, expecting('must be an ISIN: 12 upper-case letters and digits, the last a digit'));

export const LeiShape = (): PropertyDecorator =>
  Matches(LEI_SHAPE, expecting('must be an LEI: 20 upper-case letters and digits, the last two digits'));

export const CurrencyCode = (): PropertyDecorator =>
  Matches(CURRENCY_CODE, expecting('must be an ISO 4217 currency code: 3 upper-case letters'));

export const OneOf = (values: readonly string[]): PropertyDecorator =>
  IsIn([...values], expecting(`must be one of ${values.join(', ')}`));

export const Text = (maxLength: number): PropertyDecorator =>
  checks(
    IsString(expecting('must be a string')),
    Matches(NOT_BLANK, { message: 'must not be blank' }),
    MaxLength(maxLength, { message: `must be at most ${maxLength} characters` }),
  );

export const VersionNumber = (): PropertyDecorator =>
  checks(IsInt(expecting('must be a whole number')), Min(1, { message: 'must be at least 1' }));

/** Upstream references (source trade ids, confirmation ids, update ids): generous but bounded. */
export const REFERENCE_MAX_LENGTH = 100;
export const REASON_MAX_LENGTH = 1000;
