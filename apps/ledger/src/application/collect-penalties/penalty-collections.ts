import { randomUUID } from 'node:crypto';
import { Decimal, minorUnits, toDecimalString } from '@postrade/kernel';
import type { TransactionRunner } from '@postrade/persistence';
import { currentCorrelationId } from '@postrade/platform';
import type { JournalEntryDraft } from '../../domain/bookkeeper';
import { penaltyCollection } from '../../domain/penalty-collection';
import type { JournalRepository } from '../../persistence/journal.repository';
import type { PenaltyCollectionRow, PenaltyRepository } from '../../persistence/penalty.repository';
import type { JournalPoster } from '../book-events/journal-poster';

/** The journal chain the collections append to: operations record them by hand, a few a month. */
export const PENALTY_COLLECTIONS_CHAIN = 'ledger:penalty-collections';
/** The `event_type` of a collection's journal entry (the entry's `event_id` is the collection's id). */
export const PENALTY_COLLECTION_EVENT_TYPE = 'postrade.ledger.penalty-collection-recorded.v1';

/** What operations record: the CSD's monthly collection of penalties, as the CSD paid or credited it. */
export interface PenaltyCollectionRequest {
  /** The CSD's BIC (the place of settlement the instructions named). */
  csd: string;
  /** YYYY-MM: the month whose penalties the CSD collected. */
  month: string;
  currency: string;
  direction: 'PAY' | 'RECEIVE';
  /** Positive or zero, at the currency's minor unit. */
  amount: string;
  /** The day the cash moved. */
  effectiveDate: string;
}

export interface PenaltyCollection extends PenaltyCollectionRequest {
  collectionId: string;
  /** How many accrued penalties it collected. */
  penalties: number;
  recordedBy: string;
  recordedAt: string;
}

/**
 * Records a CSD's monthly penalty collection: the penalties of that CSD, month and currency that
 * were booked and not collected yet move from the counterparties' penalty accounts to the house's
 * cash, in one journal entry on the collections' own chain, and each is marked collected (a
 * collection item). The stated amount and direction must equal their net; otherwise nothing is
 * booked and the answer (422) names the accrued net. Collections take turns on the chain's head,
 * so two cannot collect the same penalty.
 */
export class PenaltyCollections {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly journal: JournalRepository,
    private readonly penalties: PenaltyRepository,
    private readonly poster: JournalPoster,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(request: PenaltyCollectionRequest, recordedBy: string): Promise<PenaltyCollection> {
    return this.transactions.run(async (em) => {
      const head = await this.journal.lockChain(em, PENALTY_COLLECTIONS_CHAIN);
      const accrued = await this.penalties.uncollected(em, request);
      const { legs } = penaltyCollection({ currency: request.currency, direction: request.direction, amount: new Decimal(request.amount) }, accrued);
      const collectionId = randomUUID();
      const draft: JournalEntryDraft = {
        eventId: collectionId,
        eventPart: 0,
        eventType: PENALTY_COLLECTION_EVENT_TYPE,
        tradeId: null,
        instructionId: null,
        effectiveDate: request.effectiveDate,
        legs,
      };
      if (legs.length > 0) await this.poster.post(em, head, [draft], new Map([[collectionId, { correlationId: currentCorrelationId() ?? collectionId }]]));
      const amount = toDecimalString(new Decimal(request.amount), minorUnits(request.currency));
      await this.penalties.recordCollection(em, { ...request, amount, collectionId, penaltyIds: accrued.map((p) => p.penaltyId), recordedBy });
      return { collectionId, ...request, amount, penalties: accrued.length, recordedBy, recordedAt: this.now().toISOString() };
    });
  }

  async list(q: { csd?: string; month?: string; afterId?: string; limit: number }): Promise<PenaltyCollection[]> {
    const rows = await this.transactions.run((em) => this.penalties.collections(em, q));
    return rows.map(collectionOf);
  }
}

function collectionOf(r: PenaltyCollectionRow): PenaltyCollection {
  return {
    collectionId: r.collection_id,
    csd: r.csd,
    month: r.month,
    currency: r.currency,
    direction: r.direction,
    amount: toDecimalString(new Decimal(r.amount), minorUnits(r.currency)),
    effectiveDate: r.effective_date,
    penalties: r.penalties,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at.toISOString(),
  };
}
