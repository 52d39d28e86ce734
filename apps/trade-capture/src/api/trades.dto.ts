import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { TRADE_EXCEPTIONS, TRADE_STATUSES, TradeSubmission, type TradeException, type TradeStatus } from '@postrade/contracts';
import { ListQueryDto } from '@postrade/platform';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `POST /api/v1/trades`: the contract's submission, nothing more (unknown fields are 400). */
export class SubmitTradeRequest extends TradeSubmission {}

/**
 * `PUT /api/v1/trades/{tradeId}`: the full submission and its version. Any version above the
 * current one applies (gaps allowed); one at or below it is a replay or a 409, decided by the domain.
 */
export class AmendTradeRequest extends TradeSubmission {
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be a version number, 1 or more' })
  version: number;
}

export class CancelTradeRequest {
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @MaxLength(1000)
  reason: string;
}

const DateFilter = (): PropertyDecorator => (target, key) => {
  IsOptional()(target, key);
  Matches(DATE, { message: 'must be a date as YYYY-MM-DD' })(target, key);
  IsISO8601({ strict: true }, { message: 'must be a calendar date that exists' })(target, key);
};

export class ListTradesQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: TRADE_STATUSES }) @IsOptional() @IsIn([...TRADE_STATUSES]) status?: TradeStatus;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Z0-9]{20}$/, { message: 'must be an LEI: 20 upper-case letters and digits' }) counterpartyLei?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Z]{2}[A-Z0-9]{9}[0-9]$/, { message: 'must be an ISIN: 12 characters' }) isin?: string;
  @ApiPropertyOptional({ example: '2026-11-20' }) @DateFilter() tradeDate?: string;
  @ApiPropertyOptional({ example: '2026-11-23' }) @DateFilter() settlementDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) book?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) sourceSystem?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) sourceTradeId?: string;
  @ApiPropertyOptional({ enum: TRADE_EXCEPTIONS }) @IsOptional() @IsIn([...TRADE_EXCEPTIONS]) exception?: TradeException;
}
