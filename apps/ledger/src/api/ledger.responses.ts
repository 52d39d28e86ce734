import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { AnchorCheckDto } from '@postrade/platform';

// The response bodies of this service's API, as OpenAPI schemas: each mirrors the type its
// handler returns (the JSON is not changed by them; they only describe it).

/** An account of the chart of accounts, opened when first posted to. */
@ApiSchema({ name: 'LedgerAccount' })
export class LedgerAccountDto {
  @ApiProperty({ type: String })
  code!: string;

  @ApiProperty({ enum: ['COUNTERPARTY', 'BOOK', 'HOUSE'] })
  owner!: unknown;

  @ApiProperty({ type: String })
  holder!: string;

  @ApiProperty({ enum: ['SETTLED', 'SECURITIES_PENDING', 'SECURITIES_SETTLED', 'CASH_PENDING', 'CASH_SETTLED', 'PENDING_SETTLEMENT', 'PENALTIES'] })
  kind!: unknown;

  @ApiProperty({ type: String })
  openedAt!: string;
}

@ApiSchema({ name: 'Position' })
export class PositionDto {
  @ApiProperty({ type: String })
  book!: string;

  @ApiProperty({ type: String })
  isin!: string;

  @ApiProperty({ type: String })
  quantity!: string;
}

@ApiSchema({ name: 'CashBalance' })
export class CashBalanceDto {
  @ApiProperty({ type: String })
  book!: string;

  @ApiProperty({ type: String })
  currency!: string;

  @ApiProperty({ type: String })
  amount!: string;
}

/** What is still to settle with a counterparty in one asset, from our side: RECEIVE or DELIVER. */
@ApiSchema({ name: 'PendingSettlement' })
export class PendingSettlementDto {
  @ApiProperty({ type: String })
  counterpartyLei!: string;

  @ApiProperty({ type: String })
  asset!: string;

  @ApiProperty({ enum: ['DELIVER', 'RECEIVE'] })
  direction!: 'DELIVER' | 'RECEIVE';

  @ApiProperty({ type: String })
  amount!: string;
}

/** One leg of a journal entry; debit and credit are decimal strings, one of them "0". */
@ApiSchema({ name: 'Posting' })
export class PostingDto {
  @ApiProperty({ type: String })
  account!: string;

  @ApiProperty({ type: String, description: 'A currency code or an ISIN: each asset is its own balanced ledger.' })
  asset!: string;

  @ApiProperty({ type: String })
  debit!: string;

  @ApiProperty({ type: String })
  credit!: string;
}

/** `postrade.ledger.entry-posted.v1` on `ledger.events.v1`; items of `GET /api/v1/journal`. */
@ApiSchema({ name: 'JournalEntry' })
export class JournalEntryDto {
  @ApiProperty({ type: String })
  entryId!: string;

  @ApiProperty({ type: String, description: 'The `ce_id` of the event that caused the entry.' })
  eventId!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Null only for an entry no single trade caused, e.g. a penalty on a net instruction.' })
  tradeId!: string | null;

  @ApiProperty({ type: String })
  effectiveDate!: string;

  @ApiProperty({ type: String })
  postedAt!: string;

  @ApiProperty({ type: () => [PostingDto] })
  postings!: PostingDto[];

  @ApiProperty({ type: String, description: 'The hash chain the entry belongs to: the partition whose batch booked it (`<topic>:<partition>`), or `main` for entries booked while the journal had one chain.' })
  chain!: string;

  @ApiProperty({ type: String })
  hash!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Null for the first entry of its chain.' })
  previousHash!: string | null;
}

@ApiSchema({ name: 'Item' })
export class ItemDto {
  @ApiProperty({ type: String })
  asset!: string;

  @ApiProperty({ type: String })
  debits!: string;

  @ApiProperty({ type: String })
  credits!: string;

  @ApiProperty({ type: String })
  difference!: string;
}

@ApiSchema({ name: 'TrialBalance' })
export class TrialBalanceDto {
  @ApiProperty({ type: String })
  asOf!: string;

  @ApiProperty({ type: () => [ItemDto] })
  items!: ItemDto[];
}

/** A day's movement of one account in one asset: as the balances hold it, and as the journal sums it. */
@ApiSchema({ name: 'BalanceDifference' })
export class BalanceDifferenceDto {
  @ApiProperty({ type: String })
  account!: string;

  @ApiProperty({ type: String })
  asset!: string;

  @ApiProperty({ type: String })
  effectiveDate!: string;

  @ApiProperty({ type: String, description: 'The movement stored in the daily balances that positions, cash balances, pending settlement and the trial balance read.' })
  balance!: string;

  @ApiProperty({ type: String, description: "The sum of the postings of that day's entries on that account and asset." })
  journal!: string;
}

@ApiSchema({ name: 'JournalVerification' })
export class JournalVerificationDto {
  @ApiProperty({ type: Boolean, description: 'False when a chain does not fit or a balance is not what the journal says.' })
  ok!: boolean;

  @ApiProperty({ type: Number })
  entriesChecked!: number;

  @ApiProperty({ type: String, nullable: true })
  firstBadEntryId!: string | null;

  @ApiProperty({ type: Number, description: 'How many daily balance movements (account, asset, effective date) were compared with the journal.' })
  balancesChecked!: number;

  @ApiProperty({ type: Number, description: 'How many of them differ; the first {@link MAX_LISTED_DIFFERENCES} are listed, in account, asset and date order.' })
  balancesDiffering!: number;

  @ApiProperty({ type: () => [BalanceDifferenceDto] })
  balanceDifferences!: BalanceDifferenceDto[];

  @ApiPropertyOptional({ type: () => AnchorCheckDto, description: 'The chains compared with the latest anchor on audit.anchors.v1 (docs/anchors.md); `ok` is false unless it is ok too.' })
  anchor?: AnchorCheckDto;
}
