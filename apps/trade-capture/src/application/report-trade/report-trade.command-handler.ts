import type { EntityManager } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import { TradeReported, validatePayload, type AckOutcome } from '@postrade/contracts';
import type { RawMessage } from '@postrade/messaging';
import { createLogger } from '@postrade/platform';
import { tradeTermsOf } from '../../domain/trade';
import type { CaptureTradeHandler } from '../capture-trade/capture-trade.command-handler';
import type { CaptureOutcome, CaptureTradeCommand } from '../capture-trade/capture-trade.command';
import type { RejectedTradeMessages } from './rejected-trade-messages';
import { sourceKeyOf } from '../../persistence/trade.repository';
import { rejectionErrors, rejectionReason, type Acknowledgement, type AcknowledgedMessage, type TradeAcknowledgements } from './trade-acknowledgements';

const log = createLogger('trade-capture.report-trade');

/** A message from `trades.inbound.v1` as the consumer received it. */
export interface ReportedMessage {
  id: string;
  /** As consumed: kept with a parked action, dead-lettered verbatim when rejected. */
  raw: RawMessage;
  correlationId?: string;
  /** The JSON value, not yet validated: an invalid one is acknowledged REJECTED too. */
  data: unknown;
}

const ACK_OF: Record<CaptureOutcome, AckOutcome> = { created: 'ACCEPTED', applied: 'ACCEPTED', replayed: 'REPLAYED', parked: 'PARKED' };

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * The asynchronous (Kafka) entry to trade capture. Every message ends in exactly one
 * acknowledgement on `trade-capture.acks.v1`, committed with its outcome: ACCEPTED, REPLAYED,
 * PARKED, or REJECTED with the field errors (invalid payload, broken rule, stale or conflicting
 * version). A rejected message changes nothing else (the capture runs under a savepoint that is
 * rolled back) and is dead-lettered with its reason in the same transaction as its ack.
 */
export class ReportTradeHandler {
  constructor(
    private readonly capture: CaptureTradeHandler,
    private readonly acknowledgements: TradeAcknowledgements,
    private readonly rejectedMessages: RejectedTradeMessages,
  ) {}

  /**
   * Several messages in their order, with the same outcomes and acknowledgements as `execute` one
   * by one, in a number of round trips that does not grow with the NEWs: each valid NEW that is the
   * first message of its trade in the batch is captured together with the others
   * (`CaptureTradeHandler.createAll`); every other message (amends, cancels, a trade's later
   * messages, invalid ones, NEWs of trades captured before) then runs alone in arrival order, so
   * each trade's own messages keep their order.
   */
  async executeAll(messages: readonly ReportedMessage[], em: EntityManager): Promise<void> {
    const seen = new Set<string>();
    const together: { message: ReportedMessage; reported: TradeReported }[] = [];
    const alone: ReportedMessage[] = [];
    for (const message of messages) {
      const reported = validReport(message.data);
      const key = reported && sourceKeyOf(reported.sourceSystem, reported.sourceTradeId);
      if (reported && key && reported.action === 'NEW' && !seen.has(key)) together.push({ message, reported });
      else alone.push(message);
      if (key) seen.add(key);
    }
    const results = together.length > 0 ? await this.capture.createAll(together.map(({ message, reported }) => commandOf(message, reported)), em) : [];
    const acks: Acknowledgement[] = [];
    const rejected: { message: ReportedMessage; error: DomainError }[] = [];
    const again: ReportedMessage[] = [];
    together.forEach(({ message }, k) => {
      const result = results[k];
      if (result === undefined) again.push(message);
      else if (result instanceof DomainError) {
        rejected.push({ message, error: result });
        acks.push({ message: acknowledgedOf(message), outcome: 'REJECTED', tradeId: null, errors: rejectionErrors(result) });
      } else acks.push({ message: acknowledgedOf(message), outcome: ACK_OF[result.outcome], tradeId: result.trade?.tradeId ?? null });
    });
    await this.acknowledgements.acknowledgeAll(em, acks);
    for (const { message, error } of rejected) await this.reject(em, message, error);
    for (const message of [...again, ...alone]) await this.execute(message, em);
  }

  async execute(message: ReportedMessage, em: EntityManager): Promise<AckOutcome> {
    const acknowledged = acknowledgedOf(message);
    await em.query('savepoint report_trade');
    try {
      const reported = validatePayload(TradeReported, message.data);
      const result = await this.capture.execute(commandOf(message, reported), em);
      await em.query('release savepoint report_trade');
      const outcome = ACK_OF[result.outcome];
      await this.acknowledgements.acknowledge(em, acknowledged, outcome, result.trade?.tradeId ?? null);
      return outcome;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await em.query('rollback to savepoint report_trade');
      await this.acknowledgements.acknowledge(em, acknowledged, 'REJECTED', null, rejectionErrors(error));
      await this.reject(em, message, error);
      return 'REJECTED';
    }
  }

  /** A rejected message (its REJECTED acknowledgement written by the caller): logged and dead-lettered with its reason. */
  private async reject(em: EntityManager, message: ReportedMessage, error: DomainError): Promise<void> {
    const { sourceSystem, sourceTradeId } = acknowledgedOf(message);
    log.warn({ messageId: message.id, sourceSystem, sourceTradeId, err: error.message }, 'trade report rejected');
    await this.rejectedMessages.deadLetter(em, message.raw, rejectionReason(error));
  }
}

/** The report, when its payload is valid (an invalid one is rejected by `execute`). */
function validReport(data: unknown): TradeReported | null {
  try {
    return validatePayload(TradeReported, data);
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

function commandOf(message: ReportedMessage, reported: TradeReported): CaptureTradeCommand {
  return {
    action: reported.action,
    version: reported.version,
    sourceSystem: reported.sourceSystem,
    sourceTradeId: reported.sourceTradeId,
    terms: reported.action === 'CANCEL' ? undefined : tradeTermsOf(reported),
    reason: reported.reason,
    origin: 'kafka',
    reported: { ...reported },
    message: message.raw,
    correlationId: message.correlationId,
    causationId: message.id,
  };
}

/** Which message an acknowledgement answers, as far as its payload can be read. */
function acknowledgedOf(message: ReportedMessage): AcknowledgedMessage {
  const raw = (typeof message.data === 'object' && message.data !== null ? message.data : {}) as Record<string, unknown>;
  return {
    messageId: message.id,
    sourceSystem: text(raw.sourceSystem),
    sourceTradeId: text(raw.sourceTradeId),
    version: typeof raw.version === 'number' ? raw.version : null,
    action: raw.action === 'NEW' || raw.action === 'AMEND' || raw.action === 'CANCEL' ? raw.action : null,
    correlationId: message.correlationId,
  };
}
