import type { HoldingLine, OurPosition, ReconciliationOutcome } from '../model';
import { reconcileBalances, sumByKey } from './balances';
import type { ReconciliationConfig } from './config';
import { MATCH_RULES } from './outcome';

/**
 * Holdings statement against our settled positions of the account, per ISIN (`isin:<ISIN>`).
 * Differences are theirs − ours; a quantity within the POSITION tolerance agrees.
 */
export function reconcilePositions(
  ours: readonly OurPosition[],
  theirs: readonly HoldingLine[],
  config: ReconciliationConfig,
  openBreakKeys: ReadonlySet<string>,
): ReconciliationOutcome {
  const tolerance = config.POSITION.quantity;
  return reconcileBalances(
    {
      type: 'POSITION',
      keyField: 'isin',
      valueField: 'quantity',
      prefix: 'isin:',
      equalRule: MATCH_RULES.POSITION_EQUAL,
      toleranceRule: MATCH_RULES.POSITION_WITHIN_TOLERANCE,
      tolerance: () => tolerance,
    },
    sumByKey(ours, (p) => p.isin, (p) => p.quantity),
    sumByKey(theirs, (l) => l.isin, (l) => l.quantity),
    theirs.length,
    openBreakKeys,
  );
}
