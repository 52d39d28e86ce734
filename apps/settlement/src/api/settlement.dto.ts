import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { DecimalString, SETTLEMENT_STATUSES, SettlementStatusUpdate, type SettlementStatus } from '@postrade/contracts';
import { ListQueryDto } from '@postrade/platform';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateMessage = { message: 'must be a date as YYYY-MM-DD' };
/** Rates (basis points a day, percent a year) are small: six integer digits is already absurd. */
const RATE_DIGITS = { integerDigits: 6 };

/** `POST /api/v1/instructions/{id}/status-updates`: the contract's status update, nothing more. */
export class StatusUpdateRequest extends SettlementStatusUpdate {}

export class ListInstructionsQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: SETTLEMENT_STATUSES, description: 'Settlement status.' }) @IsOptional() @IsIn([...SETTLEMENT_STATUSES]) status?: SettlementStatus;
  @ApiPropertyOptional({ description: 'Intended settlement date.' }) @IsOptional() @Matches(DATE, dateMessage) isd?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Z0-9]{20}$/, { message: 'must be an LEI' }) counterpartyLei?: string;
}

export class FailsQuery extends ListQueryDto {
  @ApiPropertyOptional({ description: 'The settlement day whose fails to list (default: today, UTC).' }) @IsOptional() @Matches(DATE, dateMessage) asOf?: string;
}

export class PenaltiesQuery extends ListQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(DATE, dateMessage) from?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(DATE, dateMessage) to?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Z0-9]{20}$/, { message: 'must be an LEI' }) counterpartyLei?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() instructionId?: string;
}

export class MonthlyPenaltiesQuery {
  @ApiProperty({ example: '2026-11' }) @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month as YYYY-MM' }) month: string;
}

export class PutReferencePriceRequest {
  @ApiProperty({ example: '189.25' }) @DecimalString() price: string;
  @ApiProperty({ example: 'EUR' }) @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code' }) currency: string;
}

export class PutPenaltyRateRequest {
  @ApiProperty({ example: '2026-01-01' }) @Matches(DATE, dateMessage) effectiveFrom: string;
  @ApiProperty({ example: '1.0', description: 'Daily rate in basis points.' }) @DecimalString(RATE_DIGITS) rateBps: string;
}

export class PutCashPenaltyRateRequest {
  @ApiProperty({ example: '2026-01-01' }) @Matches(DATE, dateMessage) effectiveFrom: string;
  @ApiProperty({ example: '3.65', description: 'Central-bank overnight credit rate, percent a year.' }) @DecimalString(RATE_DIGITS) annualPercent: string;
}

export class PutNettingAgreementRequest {
  @ApiProperty() @IsBoolean() enabled: boolean;
}
