/**
 * Closed sets of values that travel in v1 payloads (API.md, DOMAIN.md). Each is a const array, for
 * validation and OpenAPI enums, and the union type of its values.
 */

export const TRADE_SIDES = ['BUY', 'SELL'] as const;
export type TradeSide = (typeof TRADE_SIDES)[number];

export const SETTLEMENT_TYPES = ['DVP', 'FOP'] as const;
export type SettlementType = (typeof SETTLEMENT_TYPES)[number];

export const TRADE_ACTIONS = ['NEW', 'AMEND', 'CANCEL'] as const;
export type TradeAction = (typeof TRADE_ACTIONS)[number];

export const TRADE_STATUSES = ['CAPTURED', 'AMENDED', 'CANCELLED'] as const;
export type TradeStatus = (typeof TRADE_STATUSES)[number];

export const SETTLEMENT_MARKETS = ['US', 'EU', 'UK', 'CH', 'JP'] as const;
export type SettlementMarket = (typeof SETTLEMENT_MARKETS)[number];

export const ASSET_CLASSES = ['EQUITY', 'ETF', 'GOVT_BOND', 'CORP_BOND'] as const;
export type AssetClass = (typeof ASSET_CLASSES)[number];

/** UNIT: price per share; PERCENT_OF_PAR: quantity is nominal and price a percentage. */
export const PRICE_TYPES = ['UNIT', 'PERCENT_OF_PAR'] as const;
export type PriceType = (typeof PRICE_TYPES)[number];

export const CSDR_CATEGORIES = [
  'LIQUID_SHARE',
  'ILLIQUID_SHARE',
  'SME_SHARE',
  'SOVEREIGN_DEBT',
  'OTHER_DEBT',
  'SME_DEBT',
  'OTHER',
] as const;
export type CsdrCategory = (typeof CSDR_CATEGORIES)[number];

/** Day counts and coupon frequencies of a bond: the kernel computes accrued interest under each. */
export { COUPON_FREQUENCIES, DAY_COUNTS, type CouponFrequency, type DayCount } from '@postrade/kernel';

/** What keeps a captured trade from settling until operations act: an SSI not on file. */
export const TRADE_EXCEPTIONS = ['MISSING_OUR_SSI', 'MISSING_COUNTERPARTY_SSI'] as const;
export type TradeException = (typeof TRADE_EXCEPTIONS)[number];

/** The outcome of a message on `trades.inbound.v1`, as acknowledged on `trade-capture.acks.v1`. */
export const ACK_OUTCOMES = ['ACCEPTED', 'REPLAYED', 'PARKED', 'REJECTED'] as const;
export type AckOutcome = (typeof ACK_OUTCOMES)[number];

export const MATCH_STATUSES = ['UNMATCHED', 'ALLEGED', 'MISMATCHED', 'MATCHED', 'AFFIRMED', 'CANCELLED'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

export const MATCHING_RULES = ['EXACT', 'PERCENT', 'PERCENT_CAPPED', 'ABSOLUTE', 'IGNORE'] as const;
export type MatchingRule = (typeof MATCHING_RULES)[number];

export const COMPLIANCE_OUTCOMES = ['CLEARED', 'HELD', 'RELEASED', 'REJECTED'] as const;
export type ComplianceOutcome = (typeof COMPLIANCE_OUTCOMES)[number];

export const ALERT_RULES = [
  'RESTRICTED_LIST',
  'WATCH_LIST',
  'SANCTIONS',
  'EXPOSURE_LIMIT',
  'SELF_TRADE',
  'WASH_TRADE',
  'LARGE_TRADER',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/**
 * Statuses a custodian reports for an instruction: the settlement facts (MATCHED, SETTLED,
 * PARTIALLY_SETTLED, FAILED, REJECTED), and the answers to what Postrade sent it (issue 17):
 * ACKNOWLEDGED (accepted, sese.024 AckdAccptd), UNMATCHED, HOLD_CONFIRMED / RELEASE_CONFIRMED (the
 * party hold of a sese.030 is in force / lifted), HOLD_REJECTED / RELEASE_REJECTED (sese.031 refused
 * the hold / its release), CANCELLED (a sese.020 cancellation done, sese.027) and
 * CANCELLATION_REJECTED (sese.027 refused it).
 */
export const SETTLEMENT_UPDATE_STATUSES = [
  'MATCHED',
  'SETTLED',
  'PARTIALLY_SETTLED',
  'FAILED',
  'REJECTED',
  'ACKNOWLEDGED',
  'UNMATCHED',
  'HOLD_CONFIRMED',
  'RELEASE_CONFIRMED',
  'CANCELLED',
  'CANCELLATION_REJECTED',
  'HOLD_REJECTED',
  'RELEASE_REJECTED',
] as const;
export type SettlementUpdateStatus = (typeof SETTLEMENT_UPDATE_STATUSES)[number];

export const FAILING_PARTIES = ['US', 'COUNTERPARTY'] as const;
export type FailingParty = (typeof FAILING_PARTIES)[number];

/** MT548 reason codes for a settlement fail: LACK securities, MONY money, CLAC/CMON the counterparty's, OTHR. */
export const FAIL_REASON_CODES = ['LACK', 'MONY', 'CLAC', 'CMON', 'OTHR'] as const;
export type FailReasonCode = (typeof FAIL_REASON_CODES)[number];

export const INSTRUCTION_DIRECTIONS = ['DELIVER', 'RECEIVE'] as const;
export type InstructionDirection = (typeof INSTRUCTION_DIRECTIONS)[number];

/** The three status axes of an instruction, as in ISO 20022 sese.024. */
export const PROCESSING_STATUSES = ['PENDING', 'INSTRUCTED', 'REJECTED', 'CANCELLED'] as const;
export type ProcessingStatus = (typeof PROCESSING_STATUSES)[number];

export const DEPOSITORY_MATCHING_STATUSES = ['UNMATCHED', 'MATCHED'] as const;
export type DepositoryMatchingStatus = (typeof DEPOSITORY_MATCHING_STATUSES)[number];

export const SETTLEMENT_STATUSES = ['PENDING', 'FAILING', 'PARTIALLY_SETTLED', 'SETTLED'] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];

export const PENALTY_DIRECTIONS = ['PAY', 'RECEIVE'] as const;
export type PenaltyDirection = (typeof PENALTY_DIRECTIONS)[number];
