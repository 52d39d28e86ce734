import { eventTypesOn, EventTypes, PayloadFields, Topics, type EventEnvelope } from '@postrade/contracts';
import { toDecimalString } from '@postrade/kernel';
import { noChanges, type OurBooksChanges } from '../application/our-books';
import { FREE_OF_PAYMENT_CURRENCY } from '../domain/model';

export const TRADE_EVENT_TYPES = eventTypesOn(Topics.tradeCaptureTrades);
export const LEDGER_EVENT_TYPES = eventTypesOn(Topics.ledgerEvents);
/** Every settlement event type: the ones reconciliation does not use are recorded in the inbox and change nothing. */
export const SETTLEMENT_EVENT_TYPES = eventTypesOn(Topics.settlementEvents);

const SETTLED_POSTING = /^book:.+:(securities|cash)-settled$/;

/** A trade event: the trade's latest terms and the accounts of our SSI (null until enriched). */
export function tradeChanges(envelope: EventEnvelope<unknown>, into: OurBooksChanges = noChanges()): OurBooksChanges {
  const trade = PayloadFields.of(envelope.data);
  const ours = trade.object('ssis').optionalObject('ours');
  const market = trade.text('settlementMarket');
  const safekeepingAccount = ours?.text('safekeepingAccount') ?? null;
  const cashAccount = ours?.text('cashAccount') ?? null;
  into.trades.push({
    tradeId: trade.uuid('tradeId'),
    version: trade.integer('version'),
    status: trade.text('status'),
    sourceSystem: trade.text('sourceSystem'),
    sourceTradeId: trade.text('sourceTradeId'),
    tradeDate: trade.date('tradeDate'),
    isin: trade.text('isin'),
    side: trade.oneOf('side', ['BUY', 'SELL'] as const),
    quantity: toDecimalString(trade.decimal('quantity')),
    price: toDecimalString(trade.decimal('price')),
    currency: trade.currency('currency'),
    counterpartyLei: trade.object('counterparty').text('lei'),
    settlementMarket: market,
    safekeepingAccount,
    cashAccount,
    eventId: envelope.id,
    updatedAt: trade.instant('updatedAt'),
  });
  if (safekeepingAccount) into.accountMarkets.push({ account: safekeepingAccount, market });
  if (cashAccount) into.accountMarkets.push({ account: cashAccount, market });
  return into;
}

/** A journal entry: its postings to a book's settled securities or settled cash (settlement-date basis). */
export function ledgerChanges(envelope: EventEnvelope<unknown>, into: OurBooksChanges = noChanges()): OurBooksChanges {
  const entry = PayloadFields.of(envelope.data);
  const entryId = entry.uuid('entryId');
  const tradeId = entry.optionalUuid('tradeId');
  const effectiveDate = entry.date('effectiveDate');
  entry.objects('postings').forEach((posting, postingNo) => {
    const match = SETTLED_POSTING.exec(posting.text('account'));
    if (!match) return;
    into.ledgerMovements.push({
      entryId,
      postingNo,
      tradeId,
      kind: match[1] === 'securities' ? 'SECURITIES' : 'CASH',
      asset: posting.text('asset'),
      amount: toDecimalString(posting.decimal('debit').minus(posting.decimal('credit'))),
      effectiveDate,
    });
  });
  return into;
}

/** A settlement event: a settled movement of the instruction, or a penalty assessed on it. */
export function settlementChanges(envelope: EventEnvelope<unknown>, into: OurBooksChanges = noChanges()): OurBooksChanges {
  const settled = envelope.type === EventTypes.settlementSettled || envelope.type === EventTypes.settlementPartiallySettled;
  const penalty = envelope.type === EventTypes.settlementPenaltyAssessed;
  if (!settled && !penalty) return into;
  const instruction = PayloadFields.of(envelope.data);
  const ours = instruction.object('ssis').object('ours');
  const account = ours.text('safekeepingAccount');
  const cashAccount = ours.text('cashAccount');
  const market = instruction.text('settlementMarket');
  const change = instruction.object('change');
  if (settled) {
    // Free of payment moves no cash, whatever amount the instruction was sized at: the custodian
    // reports such a posting with no amount, which reads as 0 in XXX (no currency).
    const freeOfPayment = instruction.oneOf('type', ['DVP', 'FOP'] as const) === 'FOP';
    const currency = freeOfPayment ? FREE_OF_PAYMENT_CURRENCY : instruction.currency('currency');
    into.settledMovements.push({
      movementId: envelope.id,
      instructionId: instruction.text('instructionId'),
      account,
      cashAccount,
      settlementMarket: market,
      isin: instruction.text('isin'),
      direction: instruction.oneOf('direction', ['RECEIVE', 'DELIVER'] as const),
      quantity: toDecimalString(change.decimal('settledQuantity')),
      amount: freeOfPayment ? '0' : toDecimalString(change.decimal('settledAmount')),
      currency,
      settlementDate: change.date('effectiveDate'),
    });
  } else {
    const assessed = change.object('penalty');
    into.penalties.push({
      penaltyId: assessed.text('penaltyId'),
      instructionId: assessed.text('instructionId'),
      date: assessed.date('date'),
      account,
      amount: toDecimalString(assessed.decimal('amount')),
      currency: assessed.currency('currency'),
      direction: assessed.oneOf('direction', ['PAY', 'RECEIVE'] as const),
      eventId: envelope.id,
    });
  }
  into.accountMarkets.push({ account, market }, { account: cashAccount, market });
  return into;
}
