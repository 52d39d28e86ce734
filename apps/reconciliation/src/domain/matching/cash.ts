import { Decimal } from '@postrade/kernel';
import type { CashLine, OurCash, ReconciliationOutcome } from '../model';
import { reconcileBalances, sumByKey } from './balances';
import { amountTolerance, type ReconciliationConfig } from './config';
import { MATCH_RULES } from './outcome';

/**
 * Cash statement against our settled cash of the account, per currency (`currency:<CCY>`). The
 * MATCHING tolerance tier is chosen on our balance, or on theirs when we have none.
 */
export function reconcileCash(
  ours: readonly OurCash[],
  theirs: readonly CashLine[],
  config: ReconciliationConfig,
  openBreakKeys: ReadonlySet<string>,
): ReconciliationOutcome {
  const rule = config.CASH.amount;
  return reconcileBalances(
    {
      type: 'CASH',
      keyField: 'currency',
      valueField: 'amount',
      prefix: 'currency:',
      equalRule: MATCH_RULES.CASH_EQUAL,
      toleranceRule: MATCH_RULES.CASH_WITHIN_TOLERANCE,
      tolerance: (our, their) => amountTolerance(rule, our ?? their ?? new Decimal(0)),
    },
    sumByKey(ours, (c) => c.currency, (c) => c.amount),
    sumByKey(theirs, (l) => l.currency, (l) => l.amount),
    theirs.length,
    openBreakKeys,
  );
}
