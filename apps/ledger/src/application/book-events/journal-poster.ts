import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { appendToChain, toDecimalString, type ChainHead } from '@postrade/kernel';
import { EventTypes, Topics, type JournalEntryResource } from '@postrade/contracts';
import type { Outbox } from '@postrade/messaging';
import type { JournalEntryDraft } from '../../domain/bookkeeper';
import { journalChain, type EntryContent } from '../../domain/journal-chain';
import { debitAndCredit } from '../../domain/legs';
import type { JournalRepository, NewEntryRow, NewPostingRow } from '../../persistence/journal.repository';

/** Where an entry's event came from, for the published event's correlation. */
export interface EntryCause {
  correlationId?: string;
}

/**
 * Appends a batch of entries to one of the journal's hash chains: chain positions and hashes from
 * the locked chain head, then one multi-row insert each for accounts, entries and postings (the
 * database moves the daily balances with the postings), and one `entry-posted` event per entry
 * through the outbox, all in the caller's transaction. The caller must hold the chain's head (see {@link JournalRepository.lockChain}).
 */
export class JournalPoster {
  constructor(
    private readonly journal: JournalRepository,
    private readonly outbox: Outbox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async post(em: EntityManager, head: ChainHead<null>, drafts: JournalEntryDraft[], causes: Map<string, EntryCause>): Promise<JournalEntryResource[]> {
    if (drafts.length === 0) return [];
    const postedAt = this.now().toISOString();
    const postings: NewPostingRow[] = [];
    const contents: EntryContent[] = drafts.map((draft) => ({
      entryId: randomUUID(),
      eventId: draft.eventId,
      eventPart: draft.eventPart,
      eventType: draft.eventType,
      tradeId: draft.tradeId,
      instructionId: draft.instructionId,
      effectiveDate: draft.effectiveDate,
      postedAt,
      postings: draft.legs.map((l) => ({ account: l.account.code, asset: l.asset, amount: l.amount })),
    }));
    const chained = appendToChain(journalChain, head, contents);
    const entries: NewEntryRow[] = chained.records;
    const resources: JournalEntryResource[] = [];

    for (const [n, draft] of drafts.entries()) {
      const { entryId, hash, previousHash, chain } = chained.records[n];
      draft.legs.forEach((l, i) => {
        postings.push({ entryId, leg: i + 1, account: l.account.code, asset: l.asset, amount: toDecimalString(l.amount) });
      });
      resources.push({
        entryId,
        eventId: draft.eventId,
        tradeId: draft.tradeId,
        effectiveDate: draft.effectiveDate,
        postedAt,
        postings: draft.legs.map((l) => ({ account: l.account.code, asset: l.asset, ...debitAndCredit(l.asset, l.amount) })),
        chain,
        hash,
        previousHash,
      });
    }

    await this.journal.openAccounts(em, drafts.flatMap((d) => d.legs.map((l) => l.account)));
    await this.journal.insertEntries(em, entries);
    await this.journal.insertPostings(em, postings);
    await this.journal.advanceChain(em, chained.head);
    await this.outbox.add(
      em,
      resources.map((entry, i) => ({
        topic: Topics.ledgerEvents,
        key: entry.tradeId ?? drafts[i].instructionId ?? entry.entryId,
        type: EventTypes.ledgerEntryPosted,
        data: entry,
        correlationId: causes.get(entry.eventId)?.correlationId ?? entry.eventId,
        causationId: entry.eventId,
      })),
    );
    return resources;
  }
}
