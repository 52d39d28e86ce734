import type { EntityManager } from 'typeorm';
import type { AccountKind, AccountOwner } from '../domain/accounts';

export interface HolderAssetBalance {
  holder: string;
  asset: string;
  balance: string;
}

/** A day's movement of one account in one asset that the stored balances and the journal disagree on. */
export interface BalanceDifferenceRow {
  account: string;
  asset: string;
  effective_date: string;
  stored: string;
  journal: string;
}

export interface AccountRow {
  code: string;
  owner_kind: AccountOwner;
  holder: string;
  kind: AccountKind;
  opened_at: Date;
}

/**
 * As-of balances from the daily balance movements: the balance on a date is the sum of the
 * movements effective on or before it (primary key order serves the range scan).
 */
export class BalanceRepository {
  /** Balances per holder and asset over accounts of the given owner and kinds, non-zero only, in (holder, asset) order. */
  async perHolderAndAsset(
    em: EntityManager,
    query: { owner: AccountOwner; kinds: readonly AccountKind[]; asOf: string; holder?: string; asset?: string; after?: { holder: string; asset: string }; limit: number },
  ): Promise<HolderAssetBalance[]> {
    return em.query(
      `select a.holder, b.asset, sum(b.movement)::text as balance
         from daily_balances b join accounts a on a.code = b.account
        where a.owner_kind = $1 and a.kind = any($2::text[]) and b.effective_date <= $3
          and ($4::text is null or a.holder = $4)
          and ($5::text is null or b.asset = $5)
          and ($6::text is null or (a.holder, b.asset) > ($6::text, $7::text))
        group by a.holder, b.asset
       having sum(b.movement) <> 0
        order by a.holder, b.asset
        limit $8`,
      [query.owner, query.kinds, query.asOf, query.holder ?? null, query.asset ?? null, query.after?.holder ?? null, query.after?.asset ?? null, query.limit],
    );
  }

  /** Balances per account and asset (non-zero only, in (account, asset) order), as of a date. */
  async perAccountAndAsset(
    em: EntityManager,
    query: { account?: string; owner?: AccountOwner; holder?: string; asOf: string; after?: { account: string; asset: string }; limit: number },
  ): Promise<{ account: string; asset: string; balance: string }[]> {
    return em.query(
      `select b.account, b.asset, sum(b.movement)::text as balance
         from daily_balances b join accounts a on a.code = b.account
        where b.effective_date <= $1
          and ($2::text is null or b.account = $2)
          and ($3::text is null or a.owner_kind = $3)
          and ($4::text is null or a.holder = $4)
          and ($5::text is null or (b.account, b.asset) > ($5::text, $6::text))
        group by b.account, b.asset
       having sum(b.movement) <> 0
        order by b.account, b.asset
        limit $7`,
      [query.asOf, query.account ?? null, query.owner ?? null, query.holder ?? null, query.after?.account ?? null, query.after?.asset ?? null, query.limit],
    );
  }

  /** Per asset: the sum of debit balances and of credit balances over every account, as of a date. */
  async trialBalance(em: EntityManager, asOf: string): Promise<{ asset: string; debits: string; credits: string; difference: string }[]> {
    return em.query(
      `with balances as (
         select account, asset, sum(movement) as balance from daily_balances where effective_date <= $1 group by account, asset
       )
       select asset,
              coalesce(sum(balance) filter (where balance > 0), 0)::text as debits,
              coalesce(-sum(balance) filter (where balance < 0), 0)::text as credits,
              sum(balance)::text as difference
         from balances
        group by asset
        order by asset`,
      [asOf],
    );
  }

  /**
   * The daily balances against the journal, in one statement (one snapshot, so a batch committing
   * meanwhile is either in both or in neither): every (account, asset, effective date) that either
   * side has, how many there are, and the first `limit` where the stored movement is not the sum
   * of the postings of that day's entries, in key order.
   */
  async differencesFromJournal(em: EntityManager, limit: number): Promise<{ checked: number; differing: number; differences: BalanceDifferenceRow[] }> {
    const [row]: { checked: string; differing: string; differences: BalanceDifferenceRow[] | null }[] = await em.query(
      `with journal as (
         select p.account, p.asset, e.effective_date, sum(p.amount) as movement
           from postings p join journal_entries e on e.entry_id = p.entry_id
          group by p.account, p.asset, e.effective_date
       ),
       compared as (
         select coalesce(j.account, b.account) as account, coalesce(j.asset, b.asset) as asset,
                coalesce(j.effective_date, b.effective_date) as effective_date,
                coalesce(b.movement, 0) as stored, coalesce(j.movement, 0) as journal
           from journal j full join (
                  select account, asset, effective_date, sum(movement) as movement from daily_balances group by account, asset, effective_date
                ) b
             on b.account = j.account and b.asset = j.asset and b.effective_date = j.effective_date
       )
       select (select count(*) from compared) as checked,
              (select count(*) from compared where stored <> journal) as differing,
              (select json_agg(d order by d.account, d.asset, d.effective_date) from (
                 select account, asset, effective_date::text as effective_date, stored::text as stored, journal::text as journal
                   from compared where stored <> journal order by account, asset, effective_date limit $1
               ) d) as differences`,
      [limit],
    );
    return { checked: Number(row.checked), differing: Number(row.differing), differences: row.differences ?? [] };
  }

  /** The chart of accounts, in code order. */
  async accounts(em: EntityManager, query: { owner?: AccountOwner; holder?: string; afterCode?: string; limit: number }): Promise<AccountRow[]> {
    return em.query(
      `select code, owner_kind, holder, kind, opened_at from accounts
        where ($1::text is null or owner_kind = $1) and ($2::text is null or holder = $2) and ($3::text is null or code > $3)
        order by code limit $4`,
      [query.owner ?? null, query.holder ?? null, query.afterCode ?? null, query.limit],
    );
  }
}
