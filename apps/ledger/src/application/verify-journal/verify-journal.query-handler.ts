import type { DataSource } from 'typeorm';
import { verifyChains, type AnchorCheck } from '@postrade/kernel';
import { journalChain, type JournalChainEntry } from '../../domain/journal-chain';
import type { BalanceRepository } from '../../persistence/balance.repository';
import type { JournalRepository } from '../../persistence/journal.repository';

/** A day's movement of one account in one asset: as the balances hold it, and as the journal sums it. */
export interface BalanceDifference {
  account: string;
  asset: string;
  effectiveDate: string;
  /** The movement stored in the daily balances that positions, cash balances, pending settlement and the trial balance read. */
  balance: string;
  /** The sum of the postings of that day's entries on that account and asset. */
  journal: string;
}

export interface JournalVerification {
  /** False when a chain does not fit or a balance is not what the journal says. */
  ok: boolean;
  entriesChecked: number;
  firstBadEntryId: string | null;
  /** How many daily balance movements (account, asset, effective date) were compared with the journal. */
  balancesChecked: number;
  /** How many of them differ; the first {@link MAX_LISTED_DIFFERENCES} are listed, in account, asset and date order. */
  balancesDiffering: number;
  balanceDifferences: BalanceDifference[];
  /**
   * The chains compared with the latest anchor on `audit.anchors.v1` (docs/anchors.md): a rewrite
   * with every hash and head recomputed, or entries removed from a chain's end up to the anchored
   * position, is found there. Present when the journal is anchored (the service always is).
   */
  anchor?: AnchorCheck;
}

/** Compares the journal's chains with the latest anchor (messaging's `ChainAnchors`). */
export interface JournalAnchorCheck {
  check(): Promise<AnchorCheck>;
}

/** How many differing balances a verification lists. */
export const MAX_LISTED_DIFFERENCES = 100;

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
 *
 * It also proves the balances the queries read: every daily movement per account, asset and
 * effective date is compared, in one statement, with the sum of the journal's postings, and any
 * that differs is reported with both figures (and makes `ok` false).
 *
 * With `anchors`, the chains are then compared with the latest signed anchor read from Kafka, and
 * `ok` is false unless that comparison is too (`anchor`).
 */
export class VerifyJournalHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly journal: JournalRepository,
    private readonly balances: BalanceRepository,
    private readonly anchors?: JournalAnchorCheck,
  ) {}

  async execute(): Promise<JournalVerification> {
    const em = this.dataSource.manager;
    const heads = await this.journal.chainHeads(em);
    const result = await verifyChains(journalChain, heads, (chain, after, through, limit) => this.page(chain, after, through, limit), {
      pageSize: PAGE,
      earlier: (a, b) => a.sequence < b.sequence,
    });
    const balances = await this.balances.differencesFromJournal(em, MAX_LISTED_DIFFERENCES);
    const anchor = await this.anchors?.check();
    return {
      ok: result.ok && balances.differing === 0 && (anchor?.ok ?? true),
      entriesChecked: result.checked,
      firstBadEntryId: result.firstBad?.entryId ?? null,
      balancesChecked: balances.checked,
      balancesDiffering: balances.differing,
      balanceDifferences: balances.differences.map((d) => ({ account: d.account, asset: d.asset, effectiveDate: d.effective_date, balance: d.stored, journal: d.journal })),
      ...(anchor ? { anchor } : {}),
    };
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
