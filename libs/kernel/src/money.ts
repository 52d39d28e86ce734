import { assertCurrency, CurrencyCode, minorUnits } from './currency';
import { Decimal, parseDecimal, toDecimalString } from './decimal';
import { DomainError } from './errors';

/** Rounds half-up (ties away from zero) to the currency's minor unit: 0.005 USD → 0.01. */
export function roundToMinorUnit(amount: Decimal, currency: string): Decimal {
  return amount.toDecimalPlaces(minorUnits(currency), Decimal.ROUND_HALF_UP);
}

/**
 * An amount in one currency. The amount is kept exact (a gross of quantity × price may carry more
 * decimals than the currency has until it is rounded); `roundHalfUp` brings it to the minor unit
 * and `toString` always prints exactly the minor-unit decimals.
 */
export class Money {
  private constructor(
    readonly amount: Decimal,
    readonly currency: CurrencyCode,
  ) {}

  /** A string amount must be a canonical decimal string; a Decimal must be finite. */
  static of(amount: Decimal | string, currency: string, field = 'amount'): Money {
    const code = assertCurrency(currency);
    const value = typeof amount === 'string' ? parseDecimal(amount, field) : amount;
    if (!Decimal.isDecimal(value) || !value.isFinite()) {
      throw DomainError.invalid(field, 'must be a finite decimal');
    }
    return new Money(new Decimal(value), code);
  }

  static zero(currency: string): Money {
    return Money.of(new Decimal(0), currency);
  }

  roundHalfUp(): Money {
    return new Money(roundToMinorUnit(this.amount, this.currency), this.currency);
  }

  add(other: Money): Money {
    this.requireSameCurrency(other, 'add');
    return new Money(this.amount.plus(other.amount), this.currency);
  }

  subtract(other: Money): Money {
    this.requireSameCurrency(other, 'subtract');
    return new Money(this.amount.minus(other.amount), this.currency);
  }

  negate(): Money {
    return new Money(this.amount.negated(), this.currency);
  }

  isZero(): boolean {
    return this.amount.isZero();
  }

  isNegative(): boolean {
    return this.amount.isNegative() && !this.amount.isZero();
  }

  /** Same currency and numerically equal amounts: 1.5 USD equals 1.50 USD. */
  equals(other: Money): boolean {
    return this.currency === other.currency && this.amount.equals(other.amount);
  }

  /** Exactly the currency's minor-unit decimals, rounded half-up: "189261.20", JPY "1000". */
  toString(): string {
    return toDecimalString(this.amount, minorUnits(this.currency));
  }

  toJSON(): { amount: string; currency: CurrencyCode } {
    return { amount: this.toString(), currency: this.currency };
  }

  private requireSameCurrency(other: Money, operation: string): void {
    if (other.currency !== this.currency) {
      throw DomainError.invalid('currency', `cannot ${operation} ${this.currency} and ${other.currency} amounts: currencies differ`);
    }
  }
}
