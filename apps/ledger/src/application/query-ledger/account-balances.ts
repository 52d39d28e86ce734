import type { DataSource } from 'typeorm';
import type { AccountOwner } from '../../domain/accounts';
import { amountIn } from '../../domain/legs';
import type { BalanceRepository } from '../../persistence/balance.repository';

/** `GET /api/v1/account-balances`: one account's balance in one asset, signed (debit positive, credit negative). */
export interface AccountBalance {
  account: string;
  asset: string;
  balance: string;
}

/** Balances per account (the penalty payables and receivables, the house's cash, any account), as of a date. */
export class AccountBalances {
  constructor(
    private readonly dataSource: DataSource,
    private readonly balances: BalanceRepository,
  ) {}

  async list(q: { account?: string; owner?: AccountOwner; holder?: string; asOf: string; after?: { account: string; asset: string }; limit: number }): Promise<AccountBalance[]> {
    const rows = await this.balances.perAccountAndAsset(this.dataSource.manager, q);
    return rows.map((r) => ({ account: r.account, asset: r.asset, balance: amountIn(r.asset, r.balance) }));
  }
}
