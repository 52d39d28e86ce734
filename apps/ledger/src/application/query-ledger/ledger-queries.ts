import type { DataSource } from 'typeorm';
import { Decimal, DomainError, toDecimalString } from '@postrade/kernel';
import type { JournalEntryResource } from '@postrade/contracts';
import { BASIS_ACCOUNT_KINDS, type AccountKind, type AccountOwner, type Basis } from '../../domain/accounts';
import { amountIn, debitAndCredit } from '../../domain/legs';
import type { BalanceRepository } from '../../persistence/balance.repository';
import type { JournalRepository } from '../../persistence/journal.repository';

export interface Position {
  book: string;
  isin: string;
  quantity: string;
}

export interface CashBalance {
  book: string;
  currency: string;
  amount: string;
}

/** What is still to settle with a counterparty in one asset, from our side: RECEIVE or DELIVER. */
export interface PendingSettlement {
  counterpartyLei: string;
  asset: string;
  direction: 'RECEIVE' | 'DELIVER';
  amount: string;
}

/** An account of the chart of accounts, opened when first posted to. */
export interface LedgerAccount {
  code: string;
  owner: AccountOwner;
  holder: string;
  kind: AccountKind;
  openedAt: string;
}

export interface TrialBalance {
  asOf: string;
  items: { asset: string; debits: string; credits: string; difference: string }[];
}

/** Where a balance stands in its list: by holder (book or counterparty), then asset. */
export interface BalancePosition {
  holder: string;
  asset: string;
}

/** A journal entry and its place in the journal, which the resource does not show. */
export interface ListedJournalEntry {
  sequence: number;
  entry: JournalEntryResource;
}

/**
 * Reads of the books. Each is one statement on the service's pool: no transaction is opened for
 * a read.
 */
export class LedgerQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly balances: BalanceRepository,
    private readonly journal: JournalRepository,
  ) {}

  async positions(q: { book?: string; isin?: string; asOf: string; basis: Basis; after?: BalancePosition; limit: number }): Promise<Position[]> {
    const rows = await this.balances.perHolderAndAsset(this.dataSource.manager, {
      owner: 'BOOK',
      kinds: BASIS_ACCOUNT_KINDS[q.basis].securities,
      asOf: q.asOf,
      holder: q.book,
      asset: q.isin,
      after: q.after,
      limit: q.limit,
    });
    return rows.map((r) => ({ book: r.holder, isin: r.asset, quantity: toDecimalString(new Decimal(r.balance)) }));
  }

  async cashBalances(q: { book?: string; currency?: string; asOf: string; basis: Basis; after?: BalancePosition; limit: number }): Promise<CashBalance[]> {
    const rows = await this.balances.perHolderAndAsset(this.dataSource.manager, {
      owner: 'BOOK',
      kinds: BASIS_ACCOUNT_KINDS[q.basis].cash,
      asOf: q.asOf,
      holder: q.book,
      asset: q.currency,
      after: q.after,
      limit: q.limit,
    });
    return rows.map((r) => ({ book: r.holder, currency: r.asset, amount: amountIn(r.asset, r.balance) }));
  }

  async pendingSettlement(q: { counterpartyLei?: string; asOf: string; after?: BalancePosition; limit: number }): Promise<PendingSettlement[]> {
    const rows = await this.balances.perHolderAndAsset(this.dataSource.manager, {
      owner: 'COUNTERPARTY',
      kinds: ['PENDING_SETTLEMENT'],
      asOf: q.asOf,
      holder: q.counterpartyLei,
      after: q.after,
      limit: q.limit,
    });
    // A credit on the counterparty's pending account is what it owes us (we receive); a debit, what we owe.
    return rows.map((r) => {
      const balance = new Decimal(r.balance);
      return { counterpartyLei: r.holder, asset: r.asset, direction: balance.isNegative() ? 'RECEIVE' : 'DELIVER', amount: amountIn(r.asset, balance.abs()) };
    });
  }

  async accounts(q: { owner?: AccountOwner; holder?: string; afterCode?: string; limit: number }): Promise<LedgerAccount[]> {
    const rows = await this.balances.accounts(this.dataSource.manager, q);
    return rows.map((r) => ({ code: r.code, owner: r.owner_kind, holder: r.holder, kind: r.kind, openedAt: r.opened_at.toISOString() }));
  }

  async trialBalance(asOf: string): Promise<TrialBalance> {
    const rows = await this.balances.trialBalance(this.dataSource.manager, asOf);
    return {
      asOf,
      items: rows.map((r) => ({ asset: r.asset, debits: amountIn(r.asset, r.debits), credits: amountIn(r.asset, r.credits), difference: toDecimalString(new Decimal(r.difference)) })),
    };
  }

  async journalEntries(q: { tradeId?: string; from?: string; to?: string; afterSequence?: number; limit: number }): Promise<ListedJournalEntry[]> {
    if (q.from && q.to && q.from > q.to) throw DomainError.invalid('from', 'must not be after to');
    const em = this.dataSource.manager;
    const rows = await this.journal.entries(em, q);
    const postings = await this.journal.postingsOf(
      em,
      rows.map((r) => r.entry_id),
    );
    const byEntry = new Map<string, JournalEntryResource['postings']>();
    for (const p of postings) {
      const list = byEntry.get(p.entry_id) ?? [];
      list.push({ account: p.account, asset: p.asset, ...debitAndCredit(p.asset, new Decimal(p.amount)) });
      byEntry.set(p.entry_id, list);
    }
    return rows.map((r) => ({
      sequence: Number(r.sequence),
      entry: {
        entryId: r.entry_id,
        eventId: r.event_id,
        tradeId: r.trade_id,
        effectiveDate: r.effective_date,
        postedAt: r.posted_at.toISOString(),
        postings: byEntry.get(r.entry_id) ?? [],
        chain: r.chain_id,
        hash: r.hash,
        previousHash: r.previous_hash,
      },
    }));
  }
}
