import type { EntityManager } from 'typeorm';
import type { TransactionRunner } from '@postrade/persistence';
import { EventTypes, Topics } from '@postrade/contracts';
import type { Outbox } from '@postrade/messaging';
import { createLogger } from '@postrade/platform';
import type { ParkedAction, ParkedActionRepository } from '../../persistence/parked-action.repository';
import type { RejectedTradeMessages } from '../report-trade/rejected-trade-messages';
import type { TradeAcknowledgements } from '../report-trade/trade-acknowledgements';

const log = createLogger('trade-capture.parked-actions');

/** A parked action as `GET /api/v1/parked-actions` lists it. */
export interface ParkedActionView {
  sourceSystem: string;
  sourceTradeId: string;
  version: number;
  action: string;
  reason: string;
  messageId: string | null;
  parkedAt: string;
  expiresAt: string;
  /** Seconds since it was parked. */
  ageSeconds: number;
}

/** How many expired actions one transaction rejects; the rest wait for the next run. */
const EXPIRY_BATCH = 100;

/**
 * Actions waiting for their trade's NEW: what operations see, and their expiry. An action whose
 * NEW has not come within the timeout is rejected: its message is dead-lettered (`dead_letters`
 * and `trade-capture.dlq.v1`, original key, headers and value, the reason in `dlq_error`) and its
 * sender gets a REJECTED acknowledgement with the reason, in the transaction that removes it from
 * the parking lot.
 */
export class ParkedActions {
  constructor(
    private readonly reads: EntityManager,
    private readonly transactions: TransactionRunner,
    private readonly repository: ParkedActionRepository,
    private readonly outbox: Outbox,
    private readonly acknowledgements: TradeAcknowledgements,
    private readonly rejectedMessages: RejectedTradeMessages,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(page: { after?: [string, string, string, number]; limit: number }): Promise<ParkedActionView[]> {
    const rows = await this.repository.list(this.reads, { after: page.after, limit: page.limit });
    const now = this.now().getTime();
    return rows.map((parked) => ({
      sourceSystem: parked.sourceSystem,
      sourceTradeId: parked.sourceTradeId,
      version: parked.version,
      action: parked.action,
      reason: `waiting for the NEW of ${parked.sourceSystem}/${parked.sourceTradeId}`,
      messageId: parked.eventId,
      parkedAt: parked.parkedAt,
      expiresAt: parked.expiresAt,
      ageSeconds: Math.max(0, Math.floor((now - Date.parse(parked.parkedAt)) / 1000)),
    }));
  }

  /** Rejects every action whose wait is over; returns how many. */
  async expireDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const expired = await this.transactions.run(async (em) => {
        const due = await this.repository.takeExpired(em, EXPIRY_BATCH);
        for (const parked of due) await this.reject(em, parked);
        return due.length;
      });
      total += expired;
      if (expired < EXPIRY_BATCH) return total;
    }
  }

  private async reject(em: EntityManager, parked: ParkedAction): Promise<void> {
    const reason = `no NEW arrived for ${parked.sourceSystem}/${parked.sourceTradeId} by ${parked.expiresAt} (parked at ${parked.parkedAt})`;
    if (parked.message !== null) await this.rejectedMessages.deadLetter(em, parked.message, `parked ${parked.action} expired: ${reason}`);
    else {
      // Parked before the consumed message was kept with it: the reported value is all there is.
      await this.outbox.add(em, {
        topic: Topics.tradeCaptureDlq,
        key: parked.messageKey ?? parked.sourceTradeId,
        type: EventTypes.tradeReported,
        data: parked.payload,
        causationId: parked.eventId ?? undefined,
      });
    }
    await this.acknowledgements.acknowledge(
      em,
      { messageId: parked.eventId ?? '', sourceSystem: parked.sourceSystem, sourceTradeId: parked.sourceTradeId, version: parked.version, action: parked.action },
      'REJECTED',
      null,
      [{ field: 'version', message: `parked ${parked.action} expired: ${reason}` }],
    );
    log.warn({ sourceSystem: parked.sourceSystem, sourceTradeId: parked.sourceTradeId, version: parked.version }, `parked action rejected: ${reason}`);
  }
}
