import { PayloadFields } from '../payload-fields';
import type { InstructionSsi } from '../resources/reference-data.resource';

/**
 * A decimal field kept as the decimal string it arrived as ("189261.20" stays "189261.20": an
 * instruction or a break shows the amount as the producer wrote it), after PayloadFields has read
 * it as a Decimal (so a JSON number or a malformed string is refused, naming the field).
 */
export function decimalText(fields: PayloadFields, name: string): string {
  fields.decimal(name);
  return fields.text(name);
}

export function optionalDecimalText(fields: PayloadFields, name: string): string | null {
  return fields.has(name) ? decimalText(fields, name) : null;
}

/** A positive decimal string (a trade's quantity). */
export function positiveText(fields: PayloadFields, name: string): string {
  fields.positive(name);
  return fields.text(name);
}

/** An amount of `currency` as its decimal string: no more decimals than the currency's minor unit. */
export function moneyText(fields: PayloadFields, name: string, currency: string): string {
  fields.money(name, currency);
  return fields.text(name);
}

/** A positive amount of `currency` (a trade's net amount) as its decimal string. */
export function positiveMoneyText(fields: PayloadFields, name: string, currency: string): string {
  fields.positiveMoney(name, currency);
  return fields.text(name);
}

export function optionalMoneyText(fields: PayloadFields, name: string, currency: string): string | null {
  return fields.has(name) ? moneyText(fields, name, currency) : null;
}

export function optionalInstant(fields: PayloadFields, name: string): string | null {
  return fields.has(name) ? fields.instant(name) : null;
}

/** One side's SSI as a trade or an instruction carries it: where it settles. */
export function instructionSsi(ssi: PayloadFields): InstructionSsi {
  return {
    agentBic: ssi.text('agentBic'),
    safekeepingAccount: ssi.text('safekeepingAccount'),
    cashAccount: ssi.text('cashAccount'),
    placeOfSettlement: ssi.text('placeOfSettlement'),
  };
}
