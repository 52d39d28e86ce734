import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DecimalString } from '@postrade/contracts';
import { ListQueryDto } from '@postrade/platform';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateMessage = { message: 'must be a date as YYYY-MM-DD' };

export class FailsViewQuery extends ListQueryDto {
  @ApiPropertyOptional({ description: 'The closed settlement day whose fails to show (default: the latest day closed).' })
  @IsOptional()
  @Matches(DATE, dateMessage)
  asOf?: string;
}

export class CashPenaltyRateQuery {
  @ApiPropertyOptional({ description: 'The day whose rate in force to show (default: today, EU).' }) @IsOptional() @Matches(DATE, dateMessage) asOf?: string;
}

/** `POST /api/v1/cash-penalty-rates/{currency}/changes`: a proposed rate, in force once another person approves it. */
export class ProposeCashPenaltyRateRequest {
  @ApiProperty({ example: '2025-07-01' }) @Matches(DATE, dateMessage) effectiveFrom: string;
  @ApiProperty({ example: '2.40', description: "The central bank's overnight credit rate, percent a year (floored at 0 when used)." })
  @DecimalString({ integerDigits: 6 })
  annualPercent: string;
  @ApiPropertyOptional({ example: 'ECB decision of 2025-06-05' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}
