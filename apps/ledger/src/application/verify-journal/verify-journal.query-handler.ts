import type { DataSource } from 'typeorm';
import { verifyChains } from '@postrade/kernel';
import { journalChain, type JournalChainEntry } from '../../domain/journal-chain';
import type { JournalRepository } from '../../persistence/journal.repository';

export interface JournalVerification {
  ok: boolean;
  entriesChecked: number;
  firstBadEntryId: string | null;
}

const PAGE = 2000;

/** A stored entry and its place in the journal's global order (to say which of several bad entries came first). */
type StoredEntry = JournalChainEntry & { sequence: number };

/**
 * Recomputes every chain of the journal (one per partition that booked, and `main` from before),
 * each on its own in its own order, from its first entry to its head as it stood when verification
 * began, page by page. `entriesChecked` counts the entries of all chains; `firstBadEntryId` names
 * the earliest-booked entry that does not fit (an edited, removed or inserted entry shows as the
 * entry itself or the one after it), and `ok` is also false, with no entry to name, when a chain
 * lost its last entries.
 */
export class VerifyJournalHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly journal: JournalRepository,
  ) {}

  async execute(): Promise<JournalVerification> {
    const em = this.dataSource.manager;
    const heads = await this.journal.chainHeads(em);
    const result = await verifyChains(journalChain, heads, (chain, after, through, limit) => this.page(chain, after, through, limit), {
      pageSize: PAGE,
      earlier: (a, b) => a.sequence < b.sequence,
    });
    return { ok: result.ok, entriesChecked: result.checked, firstBadEntryId: result.firstBad?.entryId ?? null };
  }

  private async page(chain: string, after: number, through: number, limit: number): Promise<StoredEntry[]> {
    const em = this.dataSource.manager;
    const rows = await this.journal.chainPage(em, chain, after, through, limit);
    const postings = await this.journal.postingsOf(
      em,
      rows.map((r) => r.entry_id),
    );
    const byEntry = new Map<string, { account: string; asset: string; amount: string; leg: number }[]>();
    for (const p of postings) byEntry.set(p.entry_id, [...(byEntry.get(p.entry_id) ?? []), p]);
    return rows.map((row) => ({
      entryId: row.entry_id,
      sequence: Number(row.sequence),
      chain: row.chain_id,
      chainSequence: Number(row.chain_sequence),
      eventId: row.event_id,
      eventPart: row.event_part,
      eventType: row.event_type,
      tradeId: row.trade_id,
      instructionId: row.instruction_id,
      effectiveDate: row.effective_date,
      postedAt: row.posted_at.toISOString(),
      postings: (byEntry.get(row.entry_id) ?? []).sort((a, b) => a.leg - b.leg),
      previousHash: row.previous_hash,
      hash: row.hash,
    }));
  }
}
