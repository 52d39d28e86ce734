import { DomainError } from '@postrade/kernel';
import { validatePayload } from '../../validate-payload';
import { DecimalString, decimalStringProblem } from './fields';
import { tradeReportedValue, tradeSubmissionBody } from './payload-fixtures';
import { TradeReported } from './trade-reported.payload';
import { TradeSubmission } from './trade-submission.payload';

const TOO_MANY_DIGITS = 'must have at most 18 digits before the decimal point and 12 after';

/** `count` digits, none of them a leading zero, so that the count is what a reader sees. */
const digits = (count: number) => '9'.repeat(count);

function fieldErrors(type: new () => object, plain: Record<string, unknown>): { field: string; message: string }[] {
  try {
    validatePayload(type, plain);
  } catch (err) {
    if (err instanceof DomainError) return err.errors;
    throw err;
  }
  return [];
}

describe('a decimal string is bounded where it enters', () => {
  describe('by default, at 18 integer and 12 fractional digits', () => {
    it('accepts 18 digits before the point and 12 after', () => {
      expect(decimalStringProblem(`${digits(18)}.${digits(12)}`)).toBeUndefined();
      expect(decimalStringProblem(`-${digits(18)}.${digits(12)}`)).toBeUndefined();
    });

    it('refuses a 19th integer digit', () => {
      expect(decimalStringProblem(digits(19))).toBe(TOO_MANY_DIGITS);
      expect(decimalStringProblem(`${digits(19)}.5`)).toBe(TOO_MANY_DIGITS);
    });

    it('refuses a 13th fractional digit', () => {
      expect(decimalStringProblem(`1.${digits(13)}`)).toBe(TOO_MANY_DIGITS);
    });

    it('refuses 19 integer and 13 fractional digits together', () => {
      expect(decimalStringProblem(`${digits(19)}.${digits(13)}`)).toBe(TOO_MANY_DIGITS);
    });

    it('counts leading and trailing zeros as written: the sender wrote them', () => {
      expect(decimalStringProblem(`0${digits(18)}`)).toBe(TOO_MANY_DIGITS);
      expect(decimalStringProblem(`1.${'0'.repeat(13)}`)).toBe(TOO_MANY_DIGITS);
    });

    it('refuses a 400,000-digit quantity as too long, not as malformed', () => {
      expect(decimalStringProblem(digits(400_000))).toBe(TOO_MANY_DIGITS);
      expect(decimalStringProblem(`${digits(200_000)}x`)).toBe(TOO_MANY_DIGITS);
    });

    it('still says what a decimal string is when the value is short but malformed, or not a string', () => {
      for (const value of ['1e5', '.5', '1.', '+1', ' 1', '', 1000]) {
        expect(decimalStringProblem(value)).toMatch(/^must be a decimal string such as "189.25"/);
      }
      expect(decimalStringProblem(undefined)).toBe('is required');
    });
  });

  describe('per field, when a field declares its own bounds', () => {
    class FxRateQuote {
      @DecimalString({ integerDigits: 6, fractionDigits: 10 })
      rate: string;

      @DecimalString({ fractionDigits: 2 })
      amount: string;
    }

    it('accepts what fits the declared bounds', () => {
      expect(fieldErrors(FxRateQuote, { rate: `${digits(6)}.${digits(10)}`, amount: `${digits(18)}.99` })).toEqual([]);
    });

    it('refuses one digit more on either side, naming the field and its bounds', () => {
      expect(fieldErrors(FxRateQuote, { rate: `${digits(7)}.1`, amount: '1.999' })).toEqual([
        { field: 'rate', message: 'must have at most 6 digits before the decimal point and 10 after' },
        { field: 'amount', message: 'must have at most 18 digits before the decimal point and 2 after' },
      ]);
      expect(fieldErrors(FxRateQuote, { rate: `1.${digits(11)}`, amount: '1' })).toEqual([
        { field: 'rate', message: 'must have at most 6 digits before the decimal point and 10 after' },
      ]);
    });
  });

  describe('unsigned, for values that are never negative', () => {
    class LimitRequest {
      @DecimalString({ unsigned: true })
      limit: string;
    }

    it('accepts zero and positive values within the default bounds', () => {
      for (const limit of ['0', '0.00', `${digits(18)}.${digits(12)}`]) expect(fieldErrors(LimitRequest, { limit })).toEqual([]);
    });

    it('refuses a minus sign, "-0" too, naming the field', () => {
      for (const limit of ['-1', '-0']) expect(fieldErrors(LimitRequest, { limit })).toEqual([{ field: 'limit', message: 'must not be negative' }]);
    });

    it('still refuses an overlong value by its length first', () => {
      expect(fieldErrors(LimitRequest, { limit: `-${digits(40)}` })).toEqual([{ field: 'limit', message: TOO_MANY_DIGITS }]);
    });
  });

  describe('on the contracts that carry decimals', () => {
    it('names quantity when a REST submission carries a 400,000-digit one', () => {
      expect(fieldErrors(TradeSubmission, tradeSubmissionBody({ quantity: digits(400_000) }))).toEqual([{ field: 'quantity', message: TOO_MANY_DIGITS }]);
    });

    it('names price when a reported trade on Kafka carries 13 decimals (the consumer dead-letters it)', () => {
      expect(fieldErrors(TradeReported, tradeReportedValue({ price: `189.${digits(13)}` }))).toEqual([{ field: 'price', message: TOO_MANY_DIGITS }]);
    });

    it('still rejects a decimal sent as a JSON number', () => {
      expect(fieldErrors(TradeSubmission, tradeSubmissionBody({ quantity: 1000 }))).toEqual([
        { field: 'quantity', message: 'must be a decimal string such as "189.25" (a JSON string, not a number)' },
      ]);
    });
  });
});
