import type { EntityManager } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import { CloudEventHeaders } from '@postrade/contracts';
import { createLogger } from '@postrade/platform';
import type { RawMessage } from '@postrade/messaging';
import { Bookkeeper, type BookingOutcome } from '../../domain/bookkeeper';
import type { LedgerInput, SettlementEvent } from '../../domain/ledger-inputs';
import type { BookedTradeRepository } from '../../persistence/booked-trade.repository';
import type { JournalRepository } from '../../persistence/journal.repository';
import type { ParkedSettlement, ParkedSettlementRepository } from '../../persistence/parked-settlement.repository';
import type { JournalPoster } from './journal-poster';

/** One event to book, with the message it came in (kept when the event must wait). */
export interface ReceivedLedgerEvent {
  input: LedgerInput;
  message: RawMessage;
  correlationId?: string;
}

export interface BookLedgerEventsOptions {
  /** How long a settlement may wait for its trade before it is dead-lettered (LEDGER_PARKED_SETTLEMENT_HOURS, default 72). */
  parkedSettlementHours: number;
  /** Re-reads a parked message as the ledger input it carries. */
  inputOf: (message: RawMessage) => LedgerInput;
}

const log = createLogger('ledger');

function tradeIdsOf(input: LedgerInput): string[] {
  if (input.kind === 'trade') return [input.terms.tradeId];
  if (input.kind === 'settlement') return input.tradeIds;
  return [];
}

/**
 * Books a run of events in the caller's transaction: the path of every consumed event, one at a
 * time or a whole batch. The batch appends to the hash chain of the partition it came from and
 * holds that chain's head from its first read to commit, so batches of one partition apply one
 * after another and "was this event booked?" cannot race (an event is always re-delivered on its
 * own partition), while batches of other partitions go on at the same time. What two partitions
 * share is serialised where they meet: each trade the batch touches is locked (booked or not yet),
 * so a settlement and the capture of its trade never miss each other. Within the batch everything
 * is read and written with a handful of multi-row statements, which is what keeps a hot book from
 * turning the service into single-row commits.
 */
export class BookLedgerEventsHandler {
  constructor(
    private readonly journal: JournalRepository,
    private readonly trades: BookedTradeRepository,
    private readonly parked: ParkedSettlementRepository,
    private readonly poster: JournalPoster,
    private readonly options: BookLedgerEventsOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `chain`: the journal chain the batch appends to, its partition's (`<topic>:<partition>`). */
  async execute(events: ReceivedLedgerEvent[], em: EntityManager, chain: string): Promise<BookingOutcome[]> {
    if (events.length === 0) return [];
    const head = await this.journal.lockChain(em, chain);
    await this.trades.lockTradeIds(em, events.flatMap((e) => tradeIdsOf(e.input)));
    const eventIds = events.map((e) => e.input.eventId);
    const booked = await this.journal.bookedEventIds(em, eventIds);
    // A settlement delivered again while it waits in the parking lot is still waiting, not new.
    const alreadyParked = await this.parked.waitingAmong(em, eventIds);

    // Settlements that were waiting for a trade of this batch get their turn after it.
    const capturedHere = [...new Set(events.flatMap((e) => (e.input.kind === 'trade' ? [e.input.terms.tradeId] : [])))];
    const released = (await this.parked.takeWaitingFor(em, capturedHere)).map((parked) => ({ parked, event: this.receivedFromParking(parked) }));
    const all: { event: ReceivedLedgerEvent; parked?: ParkedSettlement }[] = [...events.map((event) => ({ event })), ...released];
    // A net settlement released here may also wait for a trade of another partition's batch: lock
    // it too. Out of order, so when two batches release net settlements of each other's trades at
    // once, Postgres finds the deadlock and one of them is retried (it then sees the other's work).
    await this.trades.lockTradeIds(em, released.flatMap(({ event }) => tradeIdsOf(event.input)));

    const trades = await this.trades.lockAndLoad(em, all.flatMap(({ event }) => tradeIdsOf(event.input)));
    const bookkeeper = new Bookkeeper(trades, (id) => booked.has(id));
    const toPark: ParkedSettlement[] = [];
    const outcomes: BookingOutcome[] = [];
    const now = this.now();
    for (const { event, parked } of all) {
      const waitingFor = parked === undefined ? alreadyParked.get(event.input.eventId) : undefined;
      if (waitingFor !== undefined) {
        outcomes.push({ kind: 'waiting', forTradeIds: waitingFor });
        continue;
      }
      let outcome: BookingOutcome;
      try {
        outcome = bookkeeper.apply(event.input);
      } catch (error) {
        // A released settlement that breaks a rule must not undo the trade that released it.
        if (parked === undefined || !(error instanceof DomainError) || event.input.kind !== 'settlement') throw error;
        toPark.push(this.parking(event.input, event.message, now, { waitingFor: [], parked, rejection: error.message }));
        continue;
      }
      if (parked === undefined) outcomes.push(outcome);
      if (outcome.kind === 'waiting' && event.input.kind === 'settlement') toPark.push(this.parking(event.input, event.message, now, { waitingFor: outcome.forTradeIds, parked }));
      if (outcome.kind === 'nothing-to-book') log.debug({ eventId: event.input.eventId, reason: outcome.reason }, 'nothing to book');
    }

    await this.trades.save(em, [...bookkeeper.changedTradeIds].map((id) => trades.get(id)!));
    await this.parked.park(em, toPark);
    const causes = new Map(all.map(({ event }) => [event.input.eventId, { correlationId: event.correlationId }]));
    await this.poster.post(em, head, bookkeeper.entries, causes);
    return outcomes;
  }

  private receivedFromParking(parked: ParkedSettlement): ReceivedLedgerEvent {
    return { input: this.options.inputOf(parked.message), message: parked.message, correlationId: parked.message.headers[CloudEventHeaders.correlationId] };
  }

  /** A settlement (back) in the parking lot, keeping when it first parked and its expiry. */
  private parking(
    input: SettlementEvent,
    message: RawMessage,
    now: Date,
    why: { waitingFor: string[]; parked?: ParkedSettlement; rejection?: string },
  ): ParkedSettlement {
    return {
      eventId: input.eventId,
      eventType: input.eventType,
      instructionId: input.instructionId,
      waitingFor: why.waitingFor,
      message,
      rejection: why.rejection ?? null,
      parkedAt: why.parked?.parkedAt ?? now.toISOString(),
      // A rejected settlement leaves at the next expiry sweep, as a dead letter with its reason.
      expiresAt: why.rejection ? now.toISOString() : (why.parked?.expiresAt ?? new Date(now.getTime() + this.options.parkedSettlementHours * 3_600_000).toISOString()),
    };
  }
}
