import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ListQueryDto } from '@postrade/platform';
import { BREAK_TYPES, STATEMENT_TYPES, type BreakType, type StatementType } from '../domain/model';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = 'must be a date as YYYY-MM-DD';
const BREAK_STATUSES = ['OPEN', 'ASSIGNED', 'RESOLVED', 'WRITTEN_OFF'] as const;

/** `POST /statements?type=&account=&asOf=` for a CSV statement (the XML and JSON forms carry these themselves). */
export class StatementCsvQuery {
  @ApiPropertyOptional({ enum: STATEMENT_TYPES, description: 'Required with text/csv.' }) @IsOptional() @IsIn(STATEMENT_TYPES) type?: StatementType;
  @ApiPropertyOptional({ description: 'Required with text/csv: the safekeeping or cash account.' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) account?: string;
  @ApiPropertyOptional({ description: 'Required with text/csv.' }) @IsOptional() @Matches(DATE, { message: DATE_MESSAGE }) asOf?: string;
  @ApiPropertyOptional({ description: 'The statement id; by default derived from account, type, date and content.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  statementId?: string;
}

/** `POST /blotters?sourceSystem=&tradeDate=` for a CSV blotter. */
export class BlotterCsvQuery {
  @ApiPropertyOptional({ description: 'Required with text/csv.' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) sourceSystem?: string;
  @ApiPropertyOptional({ description: 'Required with text/csv.' }) @IsOptional() @Matches(DATE, { message: DATE_MESSAGE }) tradeDate?: string;
}

export class BreaksQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: BREAK_TYPES }) @IsOptional() @IsIn(BREAK_TYPES) type?: BreakType;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) account?: string;
  @ApiPropertyOptional({ enum: BREAK_STATUSES }) @IsOptional() @IsIn(BREAK_STATUSES) status?: (typeof BREAK_STATUSES)[number];
  @ApiPropertyOptional({ description: 'At least this many business days old (of the account’s market).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(2600)
  minAgeDays?: number;
  @ApiPropertyOptional({ description: 'Live on this date: first seen on or before it and not closed by then.' })
  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  asOf?: string;
}

export class ReconciliationsQuery extends ListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) account?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(DATE, { message: DATE_MESSAGE }) asOf?: string;
  @ApiPropertyOptional({ enum: BREAK_TYPES }) @IsOptional() @IsIn(BREAK_TYPES) type?: BreakType;
}

export class AccountAsOfQuery {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) account!: string;
  @ApiProperty() @Matches(DATE, { message: DATE_MESSAGE }) asOf!: string;
}

export class AssignBreakRequest {
  @ApiProperty({ description: 'Who will work the break.' }) @IsString() @IsNotEmpty() @MaxLength(200) assignee!: string;
}

export class CommentBreakRequest {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) text!: string;
}

export class ReasonRequest {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}
