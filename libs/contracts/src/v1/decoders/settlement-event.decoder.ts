import { PayloadFields } from '../payload-fields';
import type { InstructionSsi } from '../resources/reference-data.resource';
import {
  INSTRUCTION_DIRECTIONS,
  PENALTY_DIRECTIONS,
  SETTLEMENT_MARKETS,
  SETTLEMENT_TYPES,
  type InstructionDirection,
  type PenaltyDirection,
  type SettlementMarket,
  type SettlementType,
} from '../vocabulary';
import { decimalText, instructionSsi, moneyText, optionalDecimalText, optionalMoneyText } from './fields';

/** The penalty of a penalty-assessed event. */
export interface PenaltyView {
  penaltyId: string;
  instructionId: string;
  counterpartyLei: string;
  date: string;
  /** At most the penalty currency's minor unit of decimals. */
  amount: string;
  currency: string;
  direction: PenaltyDirection;
}

/**
 * What the event changed. Which fields are set depends on the event type (SettlementChange): a
 * consumer that needs one for the type it handles says so itself, naming `change.<field>`.
 */
export interface SettlementChangeView {
  settledQuantity: string | null;
  /** At most the instruction currency's minor unit of decimals. */
  settledAmount: string | null;
  effectiveDate: string | null;
  penalty: PenaltyView | null;
}

/**
 * What the consumers of `settlement.events.v1` (ledger, compliance, reconciliation) read of the
 * instruction resource plus its change. Decimals are the decimal strings the producer wrote.
 */
export interface SettlementEventView {
  instructionId: string;
  /** At least one, lower-cased UUIDs. */
  tradeIds: string[];
  type: SettlementType;
  direction: InstructionDirection;
  isin: string;
  settlementAmount: string;
  /** ISO 4217. */
  currency: string;
  intendedSettlementDate: string;
  settlementMarket: SettlementMarket;
  /** Our side's SSI as the instruction carries it; null when the trade had none on file when it was instructed. */
  ssis: { ours: InstructionSsi | null };
  change: SettlementChangeView;
}

export function decodeSettlementEvent(data: unknown): SettlementEventView {
  const i = PayloadFields.of(data);
  const currency = i.currency('currency');
  const change = i.object('change');
  const penalty = change.optionalObject('penalty');
  const ours = i.object('ssis').optionalObject('ours');
  return {
    instructionId: i.text('instructionId'),
    tradeIds: i.uuids('tradeIds'),
    type: i.oneOf('type', SETTLEMENT_TYPES),
    direction: i.oneOf('direction', INSTRUCTION_DIRECTIONS),
    isin: i.text('isin'),
    settlementAmount: decimalText(i, 'settlementAmount'),
    currency,
    intendedSettlementDate: i.date('intendedSettlementDate'),
    settlementMarket: i.oneOf('settlementMarket', SETTLEMENT_MARKETS),
    ssis: { ours: ours && instructionSsi(ours) },
    change: {
      settledQuantity: optionalDecimalText(change, 'settledQuantity'),
      settledAmount: optionalMoneyText(change, 'settledAmount', currency),
      effectiveDate: change.optionalDate('effectiveDate'),
      penalty: penalty && penaltyOf(penalty),
    },
  };
}

function penaltyOf(p: PayloadFields): PenaltyView {
  const currency = p.currency('currency');
  return {
    penaltyId: p.text('penaltyId'),
    instructionId: p.text('instructionId'),
    counterpartyLei: p.text('counterpartyLei'),
    date: p.date('date'),
    amount: moneyText(p, 'amount', currency),
    currency,
    direction: p.oneOf('direction', PENALTY_DIRECTIONS),
  };
}
