import type { TradeAction } from '@postrade/contracts';
import type { RawMessage } from '@postrade/messaging';
import type { CapturedTrade, TradeTerms } from '../../domain/trade';

/**
 * One reported lifecycle action on an upstream trade, from REST or from `trades.inbound.v1`.
 * NEW and AMEND carry the full terms; CANCEL only the keys and a reason.
 */
export interface CaptureTradeCommand {
  action: TradeAction;
  /** Absent for a REST cancel: the next version. */
  version?: number;
  sourceSystem: string;
  sourceTradeId: string;
  terms?: TradeTerms;
  reason?: string;
  /** Kafka parks actions for a trade not captured yet; REST refuses them. */
  origin: 'rest' | 'kafka';
  /** The reported payload as received, kept when the action is parked. */
  reported?: Record<string, unknown>;
  /** The Kafka message as consumed, kept with a parked action for the DLQ. */
  message?: RawMessage;
  correlationId?: string;
  causationId?: string;
}

export type CaptureOutcome = 'created' | 'applied' | 'replayed' | 'parked';

export interface CaptureResult {
  outcome: CaptureOutcome;
  /** The trade as it stands after the action; null when the action was parked before any NEW. */
  trade: CapturedTrade | null;
}
