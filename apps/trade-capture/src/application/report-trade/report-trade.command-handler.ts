import type { EntityManager } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import { TradeReported, validatePayload, type AckOutcome } from '@postrade/contracts';
import type { RawMessage } from '@postrade/messaging';
import { createLogger } from '@postrade/platform';
import { tradeTermsOf } from '../../domain/trade';
import type { CaptureTradeHandler } from '../capture-trade/capture-trade.command-handler';
import type { CaptureOutcome } from '../capture-trade/capture-trade.command';
import type { RejectedTradeMessages } from './rejected-trade-messages';
import { rejectionErrors, rejectionReason, type AcknowledgedMessage, type TradeAcknowledgements } from './trade-acknowledgements';

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

  async execute(message: ReportedMessage, em: EntityManager): Promise<AckOutcome> {
    const raw = (typeof message.data === 'object' && message.data !== null ? message.data : {}) as Record<string, unknown>;
    const acknowledged: AcknowledgedMessage = {
      messageId: message.id,
      sourceSystem: text(raw.sourceSystem),
      sourceTradeId: text(raw.sourceTradeId),
      version: typeof raw.version === 'number' ? raw.version : null,
      action: raw.action === 'NEW' || raw.action === 'AMEND' || raw.action === 'CANCEL' ? raw.action : null,
      correlationId: message.correlationId,
    };
    await em.query('savepoint report_trade');
    try {
      const reported = validatePayload(TradeReported, message.data);
      const result = await this.capture.execute(
        {
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
        },
        em,
      );
      await em.query('release savepoint report_trade');
      const outcome = ACK_OF[result.outcome];
      await this.acknowledgements.acknowledge(em, acknowledged, outcome, result.trade?.tradeId ?? null);
      return outcome;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await em.query('rollback to savepoint report_trade');
      log.warn({ messageId: message.id, sourceSystem: acknowledged.sourceSystem, sourceTradeId: acknowledged.sourceTradeId, err: error.message }, 'trade report rejected');
      await this.acknowledgements.acknowledge(em, acknowledged, 'REJECTED', null, rejectionErrors(error));
      await this.rejectedMessages.deadLetter(em, message.raw, rejectionReason(error));
      return 'REJECTED';
    }
  }
}
