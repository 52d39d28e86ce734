import { EventTypes } from '../event-types';
import { decodeCustodianRequest, type CustodianRequestView } from './custodian-request.decoder';
import { decodeComplianceDecision, type ComplianceDecisionView } from './compliance-decision.decoder';
import { decodeJournalEntry, type JournalEntryView } from './journal-entry.decoder';
import { decodeMatch, type MatchView } from './match.decoder';
import { decodeCounterparty, decodeInstrument, decodeLegalEntity, decodeSsiUpserted, type CounterpartyView, type InstrumentView, type LegalEntityView, type SsiUpsertedView } from './reference-data.decoders';
import { decodeSettlementEvent, type SettlementEventView } from './settlement-event.decoder';
import { decodeTrade, type TradeView } from './trade.decoder';

/**
 * The decoder of each event type one service consumes from another, by the view it returns. The
 * inbound types (`trade.reported`, `confirmation.received`, `settlement.status-reported`,
 * `statement.received`) come from outside Postrade and are validated by their payload classes.
 */
export interface EventViews {
  [EventTypes.tradeCaptured]: TradeView;
  [EventTypes.tradeAmended]: TradeView;
  [EventTypes.tradeCancelled]: TradeView;
  [EventTypes.tradeEnriched]: TradeView;

  [EventTypes.counterpartyUpserted]: CounterpartyView;
  [EventTypes.instrumentUpserted]: InstrumentView;
  [EventTypes.legalEntityUpserted]: LegalEntityView;
  [EventTypes.ssiUpserted]: SsiUpsertedView;

  [EventTypes.matchMatched]: MatchView;
  [EventTypes.matchMismatched]: MatchView;
  [EventTypes.matchAffirmed]: MatchView;
  [EventTypes.matchAlleged]: MatchView;
  [EventTypes.matchUnmatched]: MatchView;
  [EventTypes.matchCancelled]: MatchView;

  [EventTypes.complianceCleared]: ComplianceDecisionView;
  [EventTypes.complianceHeld]: ComplianceDecisionView;
  [EventTypes.complianceReleased]: ComplianceDecisionView;
  [EventTypes.complianceRejected]: ComplianceDecisionView;

  [EventTypes.settlementInstructed]: SettlementEventView;
  [EventTypes.settlementPartiallySettled]: SettlementEventView;
  [EventTypes.settlementSettled]: SettlementEventView;
  [EventTypes.settlementFailed]: SettlementEventView;
  [EventTypes.settlementCancelled]: SettlementEventView;
  [EventTypes.settlementPenaltyAssessed]: SettlementEventView;

  [EventTypes.settlementHoldRequest]: CustodianRequestView;
  [EventTypes.settlementCancellationRequest]: CustodianRequestView;

  [EventTypes.ledgerEntryPosted]: JournalEntryView;
}

export type DecodedEventType = keyof EventViews;

export const EVENT_DECODERS: { readonly [K in DecodedEventType]: (data: unknown) => EventViews[K] } = Object.freeze({
  [EventTypes.tradeCaptured]: decodeTrade,
  [EventTypes.tradeAmended]: decodeTrade,
  [EventTypes.tradeCancelled]: decodeTrade,
  [EventTypes.tradeEnriched]: decodeTrade,

  [EventTypes.counterpartyUpserted]: decodeCounterparty,
  [EventTypes.instrumentUpserted]: decodeInstrument,
  [EventTypes.legalEntityUpserted]: decodeLegalEntity,
  [EventTypes.ssiUpserted]: decodeSsiUpserted,

  [EventTypes.matchMatched]: decodeMatch,
  [EventTypes.matchMismatched]: decodeMatch,
  [EventTypes.matchAffirmed]: decodeMatch,
  [EventTypes.matchAlleged]: decodeMatch,
  [EventTypes.matchUnmatched]: decodeMatch,
  [EventTypes.matchCancelled]: decodeMatch,

  [EventTypes.complianceCleared]: decodeComplianceDecision,
  [EventTypes.complianceHeld]: decodeComplianceDecision,
  [EventTypes.complianceReleased]: decodeComplianceDecision,
  [EventTypes.complianceRejected]: decodeComplianceDecision,

  [EventTypes.settlementInstructed]: decodeSettlementEvent,
  [EventTypes.settlementPartiallySettled]: decodeSettlementEvent,
  [EventTypes.settlementSettled]: decodeSettlementEvent,
  [EventTypes.settlementFailed]: decodeSettlementEvent,
  [EventTypes.settlementCancelled]: decodeSettlementEvent,
  [EventTypes.settlementPenaltyAssessed]: decodeSettlementEvent,

  [EventTypes.settlementHoldRequest]: decodeCustodianRequest,
  [EventTypes.settlementCancellationRequest]: decodeCustodianRequest,

  [EventTypes.ledgerEntryPosted]: decodeJournalEntry,
});

/** The view an event of `type` carries, decoded from its `data`. */
export function decodeEvent<K extends DecodedEventType>(type: K, data: unknown): EventViews[K] {
  return EVENT_DECODERS[type](data);
}
