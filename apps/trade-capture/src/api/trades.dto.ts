import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { TRADE_STATUSES, TradeSubmission, type TradeStatus } from '@postrade/contracts';
import { ListQueryDto } from '@postrade/platform';

/** `POST /api/v1/trades`: the contract's submission, nothing more (unknown fields are 400). */
export class SubmitTradeRequest extends TradeSubmission {}

/** `PUT /api/v1/trades/{tradeId}`: the full submission and the new version (current + 1). */
export class AmendTradeRequest extends TradeSubmission {
  @IsInt({ message: 'must be a whole number' })
  @Min(2, { message: 'must be at least 2: an amendment follows version 1' })
  version: number;
}

export class CancelTradeRequest {
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @MaxLength(1000)
  reason: string;
}

export class ListTradesQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: TRADE_STATUSES }) @IsOptional() @IsIn([...TRADE_STATUSES]) status?: TradeStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() counterpartyLei?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() isin?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD' }) tradeDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() book?: string;
}
