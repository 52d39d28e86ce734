import { assertCurrency, decimalPlaces, DomainError, minorUnits, parseDecimal, type Decimal } from '@postrade/kernel';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads the fields a consumer relies on from an event payload produced by another service,
 * naming the field (by its path, `ssis.ours.safekeepingAccount`) when one is missing or malformed:
 * the event then goes to the DLQ with that message. Producers validate their resources in full;
 * a consumer checks only what it uses, and every consumer checks it the same way.
 */
export class PayloadFields {
  constructor(
    private readonly value: unknown,
    private readonly path = '',
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw DomainError.invalid(path || 'payload', 'must be a JSON object');
  }

  /** The fields of an event's `data`. */
  static of(data: unknown): PayloadFields {
    return new PayloadFields(data);
  }

  private raw(name: string): unknown {
    return (this.value as Record<string, unknown>)[name];
  }

  private absent(name: string): boolean {
    const value = this.raw(name);
    return value === undefined || value === null;
  }

  /** The path of a field of this object, for messages. */
  field(name: string): string {
    return this.path ? `${this.path}.${name}` : name;
  }

  has(name: string): boolean {
    return !this.absent(name);
  }

  text(name: string): string {
    const value = this.raw(name);
    if (typeof value !== 'string' || value.trim() === '') throw DomainError.invalid(this.field(name), 'is required as a non-empty string');
    return value;
  }

  optionalText(name: string): string | null {
    return this.absent(name) ? null : this.text(name);
  }

  /** A positive whole number (versions, counts). */
  integer(name: string): number {
    const value = this.raw(name);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw DomainError.invalid(this.field(name), 'is required as a positive whole number');
    return value;
  }

  decimal(name: string): Decimal {
    return parseDecimal(this.raw(name) as string, this.field(name));
  }

  optionalDecimal(name: string): Decimal | null {
    return this.absent(name) ? null : this.decimal(name);
  }

  positive(name: string): Decimal {
    const value = this.decimal(name);
    if (!value.gt(0)) throw DomainError.invalid(this.field(name), 'must be positive');
    return value;
  }

  currency(name: string): string {
    const value = this.text(name);
    try {
      return assertCurrency(value);
    } catch {
      throw DomainError.invalid(this.field(name), `"${value}" is not an ISO 4217 currency code`);
    }
  }

  /** An amount of `currency`: more decimals than its minor unit would be a fraction of a cent. */
  money(name: string, currency: string): Decimal {
    const amount = this.decimal(name);
    if (decimalPlaces(this.raw(name) as string) > minorUnits(currency)) {
      throw DomainError.invalid(this.field(name), `has more decimals than ${currency}'s minor unit (${minorUnits(currency)})`);
    }
    return amount;
  }

  /** A positive amount of `currency` (a trade's net amount). */
  positiveMoney(name: string, currency: string): Decimal {
    const amount = this.money(name, currency);
    if (!amount.gt(0)) throw DomainError.invalid(this.field(name), 'must be positive');
    return amount;
  }

  optionalMoney(name: string, currency: string): Decimal | null {
    return this.absent(name) ? null : this.money(name, currency);
  }

  uuid(name: string): string {
    const value = this.text(name);
    if (!UUID.test(value)) throw DomainError.invalid(this.field(name), `"${value}" is not a UUID`);
    return value.toLowerCase();
  }

  optionalUuid(name: string): string | null {
    return this.absent(name) ? null : this.uuid(name);
  }

  date(name: string): string {
    const value = this.text(name);
    if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw DomainError.invalid(this.field(name), 'must be a date as YYYY-MM-DD');
    return value;
  }

  optionalDate(name: string): string | null {
    return this.absent(name) ? null : this.date(name);
  }

  instant(name: string): string {
    const value = this.text(name);
    if (Number.isNaN(Date.parse(value))) throw DomainError.invalid(this.field(name), 'must be an ISO 8601 instant');
    return value;
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T {
    const value = this.text(name);
    if (!(values as readonly string[]).includes(value)) throw DomainError.invalid(this.field(name), `must be one of ${values.join(', ')}`);
    return value as T;
  }

  /** A list of strings; absent is an empty list. */
  textList(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw DomainError.invalid(this.field(name), 'must be a list of strings');
    return value as string[];
  }

  /** A non-empty list of UUIDs (lower-cased). */
  uuids(name: string): string[] {
    const value = this.raw(name);
    if (!Array.isArray(value) || value.length === 0) throw DomainError.invalid(this.field(name), 'must list at least one id');
    return value.map((id, i) => {
      if (typeof id !== 'string' || !UUID.test(id)) throw DomainError.invalid(`${this.field(name)}[${i}]`, 'is not a UUID');
      return id.toLowerCase();
    });
  }

  /** The objects of a list, each readable by its path (`postings[2]`). */
  objects(name: string): PayloadFields[] {
    const value = this.raw(name);
    if (!Array.isArray(value)) throw DomainError.invalid(this.field(name), 'must be a list');
    return value.map((item, i) => new PayloadFields(item, `${this.field(name)}[${i}]`));
  }

  object(name: string): PayloadFields {
    return new PayloadFields(this.raw(name), this.field(name));
  }

  optionalObject(name: string): PayloadFields | null {
    return this.absent(name) ? null : this.object(name);
  }
}
