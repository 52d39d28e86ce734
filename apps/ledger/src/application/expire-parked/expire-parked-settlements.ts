import { deadLetterInTransaction, type Outbox } from '@postrade/messaging';
import type { TransactionRunner } from '@postrade/persistence';
import { createLogger } from '@postrade/platform';
import type { ParkedSettlementRepository } from '../../persistence/parked-settlement.repository';

const log = createLogger('ledger');

/**
 * Retention of parked settlements: one that waited past its horizon for its trade (or whose trade
 * arrived but could not take it) becomes a dead letter with the reason, in the same transaction as
 * it leaves the parking lot: listed and replayable through `/api/v1/dead-letters`, and copied to
 * the service's DLQ topic through the outbox (a settlement that was replayed from the dead letters
 * and expired again reopens its letter). Nothing parked is dropped without that trace.
 */
export class ExpireParkedSettlements {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly parked: ParkedSettlementRepository,
    private readonly outbox: Outbox,
    private readonly consumer: string,
    private readonly dlqTopic: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Returns how many parked settlements left for the dead letters. */
  async sweep(limit = 500): Promise<number> {
    const now = this.now();
    const expired = await this.transactions.run(async (em) => {
      const taken = await this.parked.takeExpired(em, now, limit);
      for (const p of taken) {
        const reason = `parked settlement expired: ${p.rejection ?? `no trade ${p.waitingFor.join(', ')} arrived within the parking horizon (parked ${p.parkedAt})`}`;
        await deadLetterInTransaction(em, this.outbox, { consumer: this.consumer, dlqTopic: this.dlqTopic, message: p.message, error: reason, attempts: 1 });
      }
      return taken.length;
    });
    if (expired > 0) log.warn({ count: expired }, 'parked settlements expired to the dead letters');
    return expired;
  }
}
