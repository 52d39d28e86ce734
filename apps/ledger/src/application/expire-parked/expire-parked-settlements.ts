import type { DataSource } from 'typeorm';
import type { DeadLetterStore } from '@postrade/messaging';
import { createLogger } from '@postrade/platform';
import type { ParkedSettlementRepository } from '../../persistence/parked-settlement.repository';

const log = createLogger('ledger');

/**
 * Retention of parked settlements: one that waited past its horizon for its trade (or whose trade
 * arrived but could not take it) becomes a dead letter with the reason, listed and replayable
 * through `/api/v1/dead-letters`. Nothing parked is dropped without that trace.
 */
export class ExpireParkedSettlements {
  constructor(
    private readonly dataSource: DataSource,
    private readonly parked: ParkedSettlementRepository,
    private readonly deadLetters: DeadLetterStore,
    private readonly consumer: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Returns how many parked settlements left for the dead letters. */
  async sweep(limit = 500): Promise<number> {
    const expired = await this.parked.expired(this.dataSource.manager, this.now(), limit);
    // Dead letter first (an upsert keyed by the message's position, so a repeat after a crash is
    // harmless), then remove it from the parking lot.
    for (const p of expired) {
      const reason = p.rejection ?? `no trade ${p.waitingFor.join(', ')} arrived within the parking horizon (parked ${p.parkedAt})`;
      await this.deadLetters.record(this.consumer, p.message, `parked settlement expired: ${reason}`, 1);
    }
    if (expired.length > 0) {
      await this.dataSource.transaction(async (em) => {
        const ids = expired.map((p) => p.eventId);
        await this.parked.remove(em, ids);
        // The inbox recorded the event when it was parked; forget it so a replay books it.
        await em.query('delete from inbox where consumer = $1 and event_id = any($2::uuid[])', [this.consumer, ids]);
      });
      log.warn({ count: expired.length }, 'parked settlements expired to the dead letters');
    }
    return expired.length;
  }
}
