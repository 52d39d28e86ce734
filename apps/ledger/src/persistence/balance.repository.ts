import type { EntityManager } from 'typeorm';
import type { AccountKind, AccountOwner } from '../domain/accounts';

export interface HolderAssetBalance {
  holder: string;
  asset: string;
  balance: string;
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
