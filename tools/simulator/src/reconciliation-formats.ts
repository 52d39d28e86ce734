/**
 * The one door from the simulator into the reconciliation service's code: its model's statement
 * and blotter types and its pure renderers (ISO 20022 XML, CSV, JSON), which its own tests prove
 * read back to the same statement. The lint rules let tools depend on apps; an app has no npm
 * scope to import it by, so the path is relative here, and only here.
 */
/* eslint-disable @nx/enforce-module-boundaries -- tools may use apps (type:tools → type:app); apps have no @scope path */
export {
  FREE_OF_PAYMENT_CURRENCY,
  type Blotter,
  type BlotterTrade,
  type CashLine,
  type HoldingLine,
  type Statement,
  type TransactionLine,
} from '../../../apps/reconciliation/src/domain/model';
export {
  renderBlotterCsv,
  renderBlotterJson,
  renderStatementCsv,
  renderStatementJson,
  renderStatementXml,
  parseStatementXml,
  parseStatementCsv,
  parseStatementJson,
  parseBlotterCsv,
  parseBlotterJson,
} from '../../../apps/reconciliation/src/domain/statements';
export { DEFAULT_RECONCILIATION_CONFIG, reconcileCash, reconcilePositions, reconcileTrades, reconcileTransactions } from '../../../apps/reconciliation/src/domain/matching';
/* eslint-enable @nx/enforce-module-boundaries */
