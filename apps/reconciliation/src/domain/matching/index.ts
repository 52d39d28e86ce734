/**
 * The reconciliation matching engine: pure functions from our books and their statement to
 * matches, breaks and agreed keys. No database, no Kafka, no framework: the service loads both
 * sides and stores what comes out.
 */
export {
  amountTolerance,
  DEFAULT_RECONCILIATION_CONFIG,
  MAX_SETTLEMENT_DATE_BUSINESS_DAYS,
  parseReconciliationConfig,
  reconciliationConfigToJson,
  TRADE_FIELDS,
  TRANSACTION_MATCH_KEYS,
  type AmountTolerance,
  type CashTolerances,
  type PenaltyTolerances,
  type PositionTolerances,
  type ReconciliationConfig,
  type TradeField,
  type TradeTolerances,
  type TransactionMatchKey,
  type TransactionTolerances,
} from './config';
export { AGE_BUCKETS, ageBucket, ageInBusinessDays, SettlementDateWindow, type AgeBucket } from './business-days';
export { MATCH_RULES, type MatchRule } from './outcome';
export { reconcilePositions } from './positions';
export { reconcileCash } from './cash';
export { MAX_ATTRIBUTE_CANDIDATES, reconcileTransactions } from './transactions';
export { reconcilePenalties } from './penalties';
export { reconcileTrades } from './trades';
