import { DomainError, isDecimalString, LocalDate, type FieldError } from '@postrade/kernel';
import type { TradeResource } from '@postrade/contracts';
import type { TradeForMatching } from '../domain/matching';

/**
 * The fields matching needs from a trade event of `trade-capture.trades.v1`. The event carries the
 * whole trade resource; only these fields are checked, and a missing or malformed one is a
 * permanent error (dead-lettered with the field named), never a guess.
 */
export function tradeForMatchingOf(data: unknown): TradeForMatching {
  const trade = (typeof data === 'object' && data !== null ? data : {}) as Partial<TradeResource> & Record<string, unknown>;
  const errors: FieldError[] = [];
  const text = (field: string, value: unknown): string => {
    if (typeof value !== 'string' || value === '') errors.push({ field, message: 'is required as a string' });
    return value as string;
  };
  const decimal = (field: string, value: unknown): string => {
    if (!isDecimalString(value)) errors.push({ field, message: 'must be a decimal string' });
    return value as string;
  };
  const date = (field: string, value: unknown): string => {
    if (!LocalDate.isValid(value)) errors.push({ field, message: 'must be a date as YYYY-MM-DD' });
    return value as string;
  };
  const result: TradeForMatching = {
    tradeId: text('tradeId', trade.tradeId),
    sourceTradeId: text('sourceTradeId', trade.sourceTradeId),
    version: trade.version as number,
    cancelled: trade.status === 'CANCELLED',
    counterpartyLei: text('counterparty.lei', trade.counterparty?.lei),
    isin: text('isin', trade.isin),
    tradeDate: date('tradeDate', trade.tradeDate),
    currency: text('currency', trade.currency),
    quantity: decimal('quantity', trade.quantity),
    side: trade.side as TradeForMatching['side'],
    settlementDate: date('settlementDate', trade.settlementDate),
    price: decimal('price', trade.price),
    grossAmount: decimal('grossAmount', trade.grossAmount),
    netAmount: decimal('netAmount', trade.netAmount),
    accruedInterest: trade.accruedInterest === undefined || trade.accruedInterest === null ? null : decimal('accruedInterest', trade.accruedInterest),
  };
  if (!Number.isInteger(trade.version) || (trade.version as number) < 1) errors.push({ field: 'version', message: 'must be a whole number of at least 1' });
  if (trade.side !== 'BUY' && trade.side !== 'SELL') errors.push({ field: 'side', message: 'must be BUY or SELL' });
  if (!['CAPTURED', 'AMENDED', 'CANCELLED'].includes(trade.status as string)) errors.push({ field: 'status', message: 'must be CAPTURED, AMENDED or CANCELLED' });
  if (errors.length > 0) throw DomainError.invalidFields(errors);
  return result;
}
