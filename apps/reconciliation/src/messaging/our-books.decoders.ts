import { decodeJournalEntry, decodeSettlementEvent, decodeTrade, eventTypesOn, EventTypes, Topics, type EventEnvelope } from '@postrade/contracts';
import { Decimal, DomainError, toDecimalString } from '@postrade/kernel';
import { noChanges, type OurBooksChanges } from '../application/our-books';
import { FREE_OF_PAYMENT_CURRENCY } from '../domain/model';

export const TRADE_EVENT_TYPES = eventTypesOn(Topics.tradeCaptureTrades);
export const LEDGER_EVENT_TYPES = eventTypesOn(Topics.ledgerEvents);
/** Every settlement event type: the ones reconciliation does not use are recorded in the inbox and change nothing. */
export const SETTLEMENT_EVENT_TYPES = eventTypesOn(Topics.settlementEvents);

const SETTLED_POSTING = /^book:.+:(securities|cash)-settled$/;

/** A trade event: the trade's latest terms and the accounts of our SSI (null until enriched). */
export function tradeChanges(envelope: EventEnvelope<unknown>, into: OurBooksChanges = noChanges()): OurBooksChanges {
  const trade = decodeTrade(envelope.data);
  const market = trade.settlementMarket;
  const safekeepingAccount = trade.ssis.ours?.safekeepingAccount ?? null;
  const cashAccount = trade.ssis.ours?.cashAccount ?? null;
  into.trades.push({
    tradeId: trade.tradeId,
    version: trade.version,
    status: trade.status,
    sourceSystem: trade.sourceSystem,
    sourceTradeId: trade.sourceTradeId,
    tradeDate: trade.tradeDate,
    isin: trade.isin,
    side: trade.side,
    quantity: normalized(trade.quantity),
    price: normalized(trade.price),
    currency: trade.currency,
    counterpartyLei: trade.counterparty.lei,
    settlementMarket: market,
    safekeepingAccount,
    cashAccount,
    eventId: envelope.id,
    updatedAt: trade.updatedAt,
  });
  if (safekeepingAccount) into.accountMarkets.push({ account: safekeepingAccount, market });
  if (cashAccount) into.accountMarkets.push({ account: cashAccount, market });
  return into;
}

/** A journal entry: its postings to a book's settled securities or settled cash (settlement-date basis). */
export function ledgerChanges(envelope: EventEnvelope<unknown>, into: OurBooksChanges = noChanges()): OurBooksChanges {
  const entry = decodeJournalEntry(envelope.data);
  entry.postings.forEach((posting, postingNo) => {
    const match = SETTLED_POSTING.exec(posting.account);
    if (!match) return;
    into.ledgerMovements.push({
      entryId: entry.entryId,
      postingNo,
      tradeId: entry.tradeId,
      kind: match[1] === 'securities' ? 'SECURITIES' : 'CASH',
      asset: posting.asset,
      amount: toDecimalString(new Decimal(posting.debit).minus(posting.credit)),
      effectiveDate: entry.effectiveDate,
    });
  });
  return into;
}

/** What reconciliation needs of a settlement event that the event type leaves optional, named by its path when absent. */
function needed<T>(value: T | null, path: string, why: string): T {
  if (value === null) throw DomainError.invalid(path, `is required: ${why}`);
  return value;
}

/** A settlement event: a settled movement of the instruction, or a penalty assessed on it. */
export function settlementChanges(envelope: EventEnvelope<unknown>, into: OurBooksChanges = noChanges()): OurBooksChanges {
  const settled = envelope.type === EventTypes.settlementSettled || envelope.type === EventTypes.settlementPartiallySettled;
  const penalty = envelope.type === EventTypes.settlementPenaltyAssessed;
  if (!settled && !penalty) return into;
  const instruction = decodeSettlementEvent(envelope.data);
  const ours = needed(instruction.ssis.ours, 'ssis.ours', 'our books hold the movement on our safekeeping and cash accounts');
  const account = ours.safekeepingAccount;
  const cashAccount = ours.cashAccount;
  const market = instruction.settlementMarket;
  const { change } = instruction;
  if (settled) {
    // Free of payment moves no cash, whatever amount the instruction was sized at: the custodian
    // reports such a posting with no amount, which reads as 0 in XXX (no currency).
    const freeOfPayment = instruction.type === 'FOP';
    const movement = 'a settled movement is recorded as settled';
    into.settledMovements.push({
      movementId: envelope.id,
      instructionId: instruction.instructionId,
      account,
      cashAccount,
      settlementMarket: market,
      isin: instruction.isin,
      direction: instruction.direction,
      quantity: normalized(needed(change.settledQuantity, 'change.settledQuantity', movement)),
      amount: freeOfPayment ? '0' : normalized(needed(change.settledAmount, 'change.settledAmount', movement)),
      currency: freeOfPayment ? FREE_OF_PAYMENT_CURRENCY : instruction.currency,
      settlementDate: needed(change.effectiveDate, 'change.effectiveDate', movement),
    });
  } else {
    const assessed = needed(change.penalty, 'change.penalty', 'a penalty-assessed event carries its penalty');
    into.penalties.push({
      penaltyId: assessed.penaltyId,
      instructionId: assessed.instructionId,
      date: assessed.date,
      account,
      amount: normalized(assessed.amount),
      currency: assessed.currency,
      direction: assessed.direction,
      eventId: envelope.id,
    });
  }
  into.accountMarkets.push({ account, market }, { account: cashAccount, market });
  return into;
}

/** Decimals are kept in their shortest form ("1000.00" as "1000"), as statements' are. */
const normalized = (value: string): string => toDecimalString(new Decimal(value));
