import type { DataSource } from 'typeorm';
import { ChainVerifier } from '../../domain/journal-chain';
import type { JournalRepository } from '../../persistence/journal.repository';

export interface JournalVerification {
  ok: boolean;
  entriesChecked: number;
  firstBadEntryId: string | null;
}

const PAGE = 2000;

/**
 * Recomputes the hash chain from the first entry to the chain head as it stood when verification
 * began, page by page, and names the first entry that does not fit.
 */
export class VerifyJournalHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly journal: JournalRepository,
  ) {}

  async execute(): Promise<JournalVerification> {
    const em = this.dataSource.manager;
    const through = await this.journal.chainHeadSequence(em);
    const verifier = new ChainVerifier();
    let after = 0;
    let expectedSequence = 1;
    for (;;) {
      const rows = await this.journal.chainAfter(em, after, through, PAGE);
      if (rows.length === 0) break;
      const postings = await this.journal.postingsOf(
        em,
        rows.map((r) => r.entry_id),
      );
      const byEntry = new Map<string, { account: string; asset: string; amount: string; leg: number }[]>();
      for (const p of postings) byEntry.set(p.entry_id, [...(byEntry.get(p.entry_id) ?? []), p]);
      for (const row of rows) {
        // A deleted entry leaves a gap in the sequence: the entry after it is the first that does not fit.
        const gap = Number(row.sequence) !== expectedSequence++;
        const fits =
          !gap &&
          verifier.check({
            entryId: row.entry_id,
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
          });
        if (!fits) {
          return { ok: false, entriesChecked: gap ? verifier.checked + 1 : verifier.checked, firstBadEntryId: verifier.firstBadEntryId ?? row.entry_id };
        }
      }
      after = Number(rows[rows.length - 1].sequence);
    }
    if (after !== through) return { ok: false, entriesChecked: verifier.checked, firstBadEntryId: null };
    return { ok: true, entriesChecked: verifier.checked, firstBadEntryId: null };
  }
}
