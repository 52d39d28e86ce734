import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { ListQueryDto } from '@postrade/platform';
import { BASES, type AccountOwner, type Basis } from '../domain/accounts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = 'must be a date as YYYY-MM-DD';

export class AsOfQuery extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Balances as of the end of this day; defaults to today (UTC).' })
  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  asOf?: string;
}

export class PositionsQuery extends AsOfQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) book?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(12) isin?: string;
  @ApiPropertyOptional({ enum: BASES, default: 'TRADE_DATE' }) @IsOptional() @IsIn(BASES) basis?: Basis;
}

export class CashBalancesQuery extends AsOfQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) book?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code' }) currency?: string;
  @ApiPropertyOptional({ enum: BASES, default: 'TRADE_DATE' }) @IsOptional() @IsIn(BASES) basis?: Basis;
}

export class PendingSettlementQuery extends AsOfQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Z0-9]{20}$/, { message: 'must be a LEI' }) counterpartyLei?: string;
}

export class JournalQuery extends ListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() tradeId?: string;
  @ApiPropertyOptional({ description: 'Effective date from (inclusive).' }) @IsOptional() @Matches(DATE, { message: DATE_MESSAGE }) from?: string;
  @ApiPropertyOptional({ description: 'Effective date to (inclusive).' }) @IsOptional() @Matches(DATE, { message: DATE_MESSAGE }) to?: string;
}

export class TrialBalanceQuery {
  @ApiPropertyOptional({ description: 'Defaults to today (UTC).' }) @IsOptional() @Matches(DATE, { message: DATE_MESSAGE }) asOf?: string;
}

export class AccountsQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['BOOK', 'COUNTERPARTY', 'HOUSE'] }) @IsOptional() @IsIn(['BOOK', 'COUNTERPARTY', 'HOUSE']) owner?: AccountOwner;
  @ApiPropertyOptional({ description: 'The book, the counterparty LEI, or HOUSE.' }) @IsOptional() @IsString() @MaxLength(200) holder?: string;
}
