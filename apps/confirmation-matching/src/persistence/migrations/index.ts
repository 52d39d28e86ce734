import { messagingMigrations } from '@postrade/messaging';
import { MatchingCommissionFees1733000000004 } from './matching-commission-fees.migration';
import { MatchingCounterpartyActions1733000000005 } from './matching-counterparty-actions.migration';
import { MatchingFourEyes1733000000006 } from './matching-four-eyes.migration';
import { MatchingTradeMarket1733000000007 } from './matching-trade-market.migration';
import { MatchingProfileChanges1733000000008 } from './matching-profile-changes.migration';
import { MatchingIdempotencyKeys1733000000001 } from './matching-idempotency-keys.migration';
import { MatchingTables1733000000000 } from './matching-tables.migration';
import { MatchingTradeFlags1733000000002 } from './matching-trade-flags.migration';
import { MatchingTradeLegalEntity1733000000003 } from './matching-trade-legal-entity.migration';

/** Every migration of the `matching` schema, in order. The bootstrap step runs them as the schema's owner role. */
export const confirmationMatchingMigrations = [
  ...messagingMigrations,
  MatchingTables1733000000000,
  MatchingIdempotencyKeys1733000000001,
  MatchingTradeFlags1733000000002,
  MatchingTradeLegalEntity1733000000003,
  MatchingCommissionFees1733000000004,
  MatchingCounterpartyActions1733000000005,
  MatchingFourEyes1733000000006,
  MatchingTradeMarket1733000000007,
  MatchingProfileChanges1733000000008,
];
