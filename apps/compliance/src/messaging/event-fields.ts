import { DomainError, parseDecimal, type Decimal } from '@postrade/kernel';

/**
 * Reads the fields compliance uses from an upstream resource, naming the field when one is
 * missing or malformed (the event then goes to the DLQ with that message). The resources are
 * validated in full by their producer; this checks only what compliance relies on.
 */
export class EventFields {
  constructor(
    private readonly value: unknown,
    private readonly path = '',
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw DomainError.invalid(path || 'payload', 'must be a JSON object');
  }

  private raw(name: string): unknown {
    return (this.value as Record<string, unknown>)[name];
  }

  private field(name: string): string {
    return this.path ? `${this.path}.${name}` : name;
  }

  text(name: string): string {
    const value = this.raw(name);
    if (typeof value !== 'string' || value.trim() === '') throw DomainError.invalid(this.field(name), 'is required as a non-empty string');
    return value;
  }

  optionalText(name: string): string | null {
    const value = this.raw(name);
    return value === undefined || value === null ? null : this.text(name);
  }

  integer(name: string): number {
    const value = this.raw(name);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw DomainError.invalid(this.field(name), 'is required as a positive whole number');
    return value;
  }

  decimal(name: string): Decimal {
    return parseDecimal(this.text(name), this.field(name));
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T {
    const value = this.text(name);
    if (!(values as readonly string[]).includes(value)) throw DomainError.invalid(this.field(name), `must be one of ${values.join(', ')}`);
    return value as T;
  }

  textList(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw DomainError.invalid(this.field(name), 'must be a list of strings');
    return value as string[];
  }

  optionalObject(name: string): EventFields | null {
    const value = this.raw(name);
    return value === undefined || value === null ? null : this.object(name);
  }

  object(name: string): EventFields {
    return new EventFields(this.raw(name), this.field(name));
  }
}
