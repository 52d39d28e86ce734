import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { DecimalString } from '@postrade/contracts';
import { ListQueryDto } from '@postrade/platform';
import type { AccountOwner } from '../domain/accounts';
import type { LedgerExceptionKind } from '../domain/bookkeeper';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const BIC = /^[A-Z0-9]{8}([A-Z0-9]{3})?$/;
const EXCEPTION_KINDS: LedgerExceptionKind[] = ['SETTLED_BEFORE_CANCELLATION', 'SETTLED_AFTER_CANCELLATION'];

export class AccountBalancesQuery extends ListQueryDto {
  @ApiPropertyOptional({ description: 'One account, by its code (e.g. `counterparty:<LEI>:penalties`, `house:cash-settled`).' }) @IsOptional() @IsString() @MaxLength(300) account?: string;
  @ApiPropertyOptional({ enum: ['BOOK', 'COUNTERPARTY', 'HOUSE'] }) @IsOptional() @IsIn(['BOOK', 'COUNTERPARTY', 'HOUSE']) owner?: AccountOwner;
  @ApiPropertyOptional({ description: 'The book, the counterparty LEI, or HOUSE.' }) @IsOptional() @IsString() @MaxLength(200) holder?: string;
  @ApiPropertyOptional({ description: 'Balances as of the end of this day; defaults to today (UTC).' }) @IsOptional() @Matches(DATE, { message: 'must be a date as YYYY-MM-DD' }) asOf?: string;
}

@ApiSchema({ name: 'AccountBalance' })
export class AccountBalanceDto {
  @ApiProperty() account!: string;
  @ApiProperty({ description: 'A currency code or an ISIN.' }) asset!: string;
  @ApiProperty({ description: 'Signed: a debit balance positive, a credit balance negative.' }) balance!: string;
}

export class ExceptionsQuery extends ListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() tradeId?: string;
  @ApiPropertyOptional({ enum: EXCEPTION_KINDS }) @IsOptional() @IsIn(EXCEPTION_KINDS) kind?: LedgerExceptionKind;
}

/** `POST /api/v1/penalty-collections`: the CSD's monthly collection of penalties, as it paid or credited it. */
export class PenaltyCollectionBody {
  @ApiProperty({ example: 'DAKVDEFFXXX', description: "The CSD's BIC: the place of settlement the penalised instructions named." })
  @Matches(BIC, { message: 'must be a BIC' })
  csd!: string;

  @ApiProperty({ example: '2026-11', description: 'The month whose penalties were collected.' })
  @Matches(MONTH, { message: 'must be a month as YYYY-MM' })
  month!: string;

  @ApiProperty({ example: 'EUR' }) @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code' }) currency!: string;

  @ApiProperty({ enum: ['PAY', 'RECEIVE'], description: 'PAY: the CSD debited us the net; RECEIVE: it credited us.' })
  @IsIn(['PAY', 'RECEIVE'])
  direction!: 'PAY' | 'RECEIVE';

  @ApiProperty({ example: '11.36', description: 'The net collected, positive (or zero): must equal the net of the penalties accrued for the CSD, month and currency.' })
  @DecimalString({ unsigned: true })
  amount!: string;

  @ApiProperty({ example: '2026-12-10', description: 'The day the cash moved.' }) @Matches(DATE, { message: 'must be a date as YYYY-MM-DD' }) effectiveDate!: string;
}

export class PenaltyCollectionsQuery extends ListQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(BIC, { message: 'must be a BIC' }) csd?: string;
  @ApiPropertyOptional({ example: '2026-11' }) @IsOptional() @Matches(MONTH, { message: 'must be a month as YYYY-MM' }) month?: string;
}

@ApiSchema({ name: 'LedgerException' })
export class LedgerExceptionDto {
  @ApiProperty() exceptionId!: string;
  @ApiProperty({ enum: EXCEPTION_KINDS }) kind!: LedgerExceptionKind;
  @ApiProperty() tradeId!: string;
  @ApiProperty({ type: String, nullable: true }) instructionId!: string | null;
  @ApiProperty() book!: string;
  @ApiProperty() isin!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ description: 'What stays settled: in total before the cancellation, or what the late settlement settled.' }) quantity!: string;
  @ApiProperty() amount!: string;
  @ApiProperty() effectiveDate!: string;
  @ApiProperty({ description: 'The event that raised it.' }) eventId!: string;
  @ApiProperty() detail!: string;
  @ApiProperty() raisedAt!: string;
}

@ApiSchema({ name: 'PenaltyCollection' })
export class PenaltyCollectionDto {
  @ApiProperty() collectionId!: string;
  @ApiProperty() csd!: string;
  @ApiProperty() month!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ enum: ['PAY', 'RECEIVE'] }) direction!: 'PAY' | 'RECEIVE';
  @ApiProperty() amount!: string;
  @ApiProperty() effectiveDate!: string;
  @ApiProperty({ type: Number, description: 'How many accrued penalties it collected.' }) penalties!: number;
  @ApiProperty() recordedBy!: string;
  @ApiProperty() recordedAt!: string;
}
