import type { EntityManager } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import { CloudEventHeaders } from '@postrade/contracts';
import { createLogger } from '@postrade/platform';
import type { ParkedInput, ParkingLot, ParkOrder, RawMessage } from '@postrade/messaging';
import { Bookkeeper, type BookingOutcome } from '../../domain/bookkeeper';
import type { LedgerInput, SettlementEvent } from '../../domain/ledger-inputs';
import type { BookedTradeRepository } from '../../persistence/booked-trade.repository';
import type { JournalRepository } from '../../persistence/journal.repository';
import type { LedgerExceptionRepository } from '../../persistence/ledger-exception.repository';
import type { PenaltyRepository } from '../../persistence/penalty.repository';
import type { JournalPoster } from './journal-poster';

/** One event to book, with the message it came in (kept when the event must wait). */
export interface ReceivedLedgerEvent {
  input: LedgerInput;
  message: RawMessage;
  correlationId?: string;
}

export interface BookLedgerEventsOptions {
  /** How long a settlement may wait for its trade before it is dead-lettered, in ms (LEDGER_PARKED_EXPIRY, default 72h). */
  parkedExpiryMs: number;
  /** Re-reads a parked message as the ledger input it carries. */
  inputOf: (message: RawMessage) => LedgerInput;
}

const log = createLogger('ledger');

/** The kind of a settlement waiting in the parking lot for the trades it settles. */
export const PARKED_SETTLEMENT = 'SETTLEMENT';

/** What a parked settlement keeps besides its message. */
interface ParkedSettlementPayload {
  instructionId: string;
}
type ParkedSettlement = ParkedInput<ParkedSettlementPayload>;

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
    private readonly parking: ParkingLot,
    private readonly poster: JournalPoster,
    private readonly options: BookLedgerEventsOptions,
    /** What the batch raises for operations (settled before or after a cancellation). */
    private readonly exceptions: LedgerExceptionRepository,
    /** Assessed penalties, kept until the CSD's monthly collection. */
    private readonly penalties: PenaltyRepository,
  ) {}

  /** `chain`: the journal chain the batch appends to, its partition's (`<topic>:<partition>`). */
  async execute(events: ReceivedLedgerEvent[], em: EntityManager, chain: string): Promise<BookingOutcome[]> {
    if (events.length === 0) return [];
    const head = await this.journal.lockChain(em, chain);
    await this.trades.lockTradeIds(em, events.flatMap((e) => tradeIdsOf(e.input)));
    const eventIds = events.map((e) => e.input.eventId);
    const booked = await this.journal.bookedEventIds(em, eventIds);
    // A settlement delivered again while it waits in the parking lot is still waiting, not new.
    const alreadyParked = new Map((await this.parking.find(em, PARKED_SETTLEMENT, eventIds)).map((p) => [p.inputKey, p.waitingFor]));

    // Settlements that were waiting for a trade of this batch get their turn after it.
    const capturedHere = [...new Set(events.flatMap((e) => (e.input.kind === 'trade' ? [e.input.terms.tradeId] : [])))];
    const taken = await this.parking.takeFor<ParkedSettlementPayload>(em, capturedHere.map((id) => id.toLowerCase()), [PARKED_SETTLEMENT]);
    const released = taken.map((parked) => ({ parked, event: this.receivedFromParking(parked) }));
    const all: { event: ReceivedLedgerEvent; parked?: ParkedSettlement }[] = [...events.map((event) => ({ event })), ...released];
    // A net settlement released here may also wait for a trade of another partition's batch: lock
    // it too. Out of order, so when two batches release net settlements of each other's trades at
    // once, Postgres finds the deadlock and one of them is retried (it then sees the other's work).
    await this.trades.lockTradeIds(em, released.flatMap(({ event }) => tradeIdsOf(event.input)));

    const trades = await this.trades.lockAndLoad(em, all.flatMap(({ event }) => tradeIdsOf(event.input)));
    const bookkeeper = new Bookkeeper(trades, (id) => booked.has(id));
    const toPark: ParkOrder<ParkedSettlementPayload>[] = [];
    const outcomes: BookingOutcome[] = [];
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
        // A released settlement that breaks a rule must not undo the trade that released it: it
        // leaves the parking lot for the dead letters, with the reason, in this transaction.
        if (parked === undefined || !(error instanceof DomainError) || event.input.kind !== 'settlement') throw error;
        await this.parking.deadLetter(em, parked, `parked settlement rejected when its trade arrived: ${error.message}`);
        continue;
      }
      if (parked === undefined) outcomes.push(outcome);
      if (outcome.kind === 'waiting' && event.input.kind === 'settlement') toPark.push(this.parkingOrder(event.input, event.message, outcome.forTradeIds, parked));
      if (outcome.kind === 'nothing-to-book') log.debug({ eventId: event.input.eventId, reason: outcome.reason }, 'nothing to book');
    }

    await this.trades.save(em, [...bookkeeper.changedTradeIds].map((id) => trades.get(id)!));
    await this.parking.park(em, toPark);
    const causes = new Map(all.map(({ event }) => [event.input.eventId, { correlationId: event.correlationId }]));
    await this.poster.post(em, head, bookkeeper.entries, causes);
    await this.exceptions.raise(em, bookkeeper.exceptions);
    await this.penalties.accrue(em, bookkeeper.penalties);
    return outcomes;
  }

  private receivedFromParking(parked: ParkedSettlement): ReceivedLedgerEvent {
    // Every settlement the ledger parks keeps its message (it parks nothing else).
    const message = parked.message!;
    return { input: this.options.inputOf(message), message, correlationId: message.headers[CloudEventHeaders.correlationId] };
  }

  /** A settlement (back) in the parking lot, keeping when it first parked and its expiry. */
  private parkingOrder(input: SettlementEvent, message: RawMessage, waitingFor: string[], parked?: ParkedSettlement): ParkOrder<ParkedSettlementPayload> {
    const tradeIds = waitingFor.map((id) => id.toLowerCase());
    return {
      kind: PARKED_SETTLEMENT,
      inputKey: input.eventId,
      waitingFor: tradeIds,
      reason: `waiting for trade ${tradeIds.join(', ')}`,
      payload: { instructionId: input.instructionId },
      message,
      eventId: input.eventId,
      eventType: input.eventType,
      ...(parked ? { parkedAt: parked.parkedAt, expiresAt: parked.expiresAt } : { expiresInMs: this.options.parkedExpiryMs }),
    };
  }
}
