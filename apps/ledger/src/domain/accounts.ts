/**
 * The chart of accounts. Every account belongs to a book, a counterparty or the house; accounts
 * are opened on first use. An account holds any number of assets (each currency, each ISIN is its
 * own ledger), so the same account code carries a balance per asset.
 */
export type AccountOwner = 'BOOK' | 'COUNTERPARTY' | 'HOUSE';

export type AccountKind =
  /** The book's securities bought or sold and not yet settled (trade-date view only). */
  | 'SECURITIES_PENDING'
  /** The book's settled securities (both views). */
  | 'SECURITIES_SETTLED'
  /** The book's cash owed or due on trades not yet settled (trade-date view only). */
  | 'CASH_PENDING'
  /** The book's settled cash (both views); for the house, the cash of the CSDs' penalty collections. */
  | 'CASH_SETTLED'
  /** What is pending settlement with a counterparty, securities and cash. */
  | 'PENDING_SETTLEMENT'
  /** What has changed hands with a counterparty: the other side of every settled movement. */
  | 'SETTLED'
  /** Penalties owed to or by a counterparty (counterparty side) and the house's penalty result. */
  | 'PENALTIES';

export interface Account {
  /** Stable, readable key, e.g. `book:EQ1:securities-pending`, `counterparty:<LEI>:pending-settlement`, `house:penalties`. */
  code: string;
  owner: AccountOwner;
  /** The book, the counterparty LEI, or `HOUSE`. */
  holder: string;
  kind: AccountKind;
}

function account(owner: AccountOwner, holder: string, kind: AccountKind): Account {
  const kindCode = kind.toLowerCase().replace(/_/g, '-');
  const code = owner === 'HOUSE' ? `house:${kindCode}` : `${owner.toLowerCase()}:${holder}:${kindCode}`;
  return { code, owner, holder, kind };
}

export const Accounts = {
  securitiesPending: (book: string) => account('BOOK', book, 'SECURITIES_PENDING'),
  securitiesSettled: (book: string) => account('BOOK', book, 'SECURITIES_SETTLED'),
  cashPending: (book: string) => account('BOOK', book, 'CASH_PENDING'),
  cashSettled: (book: string) => account('BOOK', book, 'CASH_SETTLED'),
  pendingSettlement: (counterpartyLei: string) => account('COUNTERPARTY', counterpartyLei, 'PENDING_SETTLEMENT'),
  settledWith: (counterpartyLei: string) => account('COUNTERPARTY', counterpartyLei, 'SETTLED'),
  penaltiesWith: (counterpartyLei: string) => account('COUNTERPARTY', counterpartyLei, 'PENALTIES'),
  housePenalties: () => account('HOUSE', 'HOUSE', 'PENALTIES'),
  /** The house's own settled cash: what the CSDs' monthly penalty collections pay or receive. */
  houseCash: () => account('HOUSE', 'HOUSE', 'CASH_SETTLED'),
};

/** Account kinds whose balance makes up a book's position or cash on each basis. */
export const BASIS_ACCOUNT_KINDS = {
  TRADE_DATE: { securities: ['SECURITIES_PENDING', 'SECURITIES_SETTLED'], cash: ['CASH_PENDING', 'CASH_SETTLED'] },
  SETTLEMENT_DATE: { securities: ['SECURITIES_SETTLED'], cash: ['CASH_SETTLED'] },
} as const satisfies Record<string, { securities: AccountKind[]; cash: AccountKind[] }>;

export type Basis = keyof typeof BASIS_ACCOUNT_KINDS;
export const BASES = Object.keys(BASIS_ACCOUNT_KINDS) as Basis[];
