import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ALERT_RULES, DecimalString, type AlertRule } from '@postrade/contracts';
import { ListQueryDto } from '@postrade/platform';
import { RELEASE_ACTIONS, type ReleaseAction } from '../domain/release-request';
import { RESTRICTION_KINDS, type RestrictionKind } from '../domain/restricted-list';

const NOT_BLANK = /\S/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TEXT_MAX = 500;

export class PutRestrictionRequest {
  @ApiProperty({ example: '2026-11-01' }) @Matches(DATE, { message: 'must be a date as YYYY-MM-DD' }) from: string;
  @ApiPropertyOptional({ example: '2026-12-31', description: 'Inclusive; absent or null: until further notice.', nullable: true })
  @IsOptional()
  @Matches(DATE, { message: 'must be a date as YYYY-MM-DD' })
  to?: string | null;
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(TEXT_MAX) reason: string;
  @ApiProperty({ enum: RESTRICTION_KINDS }) @IsIn([...RESTRICTION_KINDS], { message: `must be one of ${RESTRICTION_KINDS.join(', ')}` }) kind: RestrictionKind;
}

export class RestrictedListQuery extends ListQueryDto {
  @ApiPropertyOptional({ description: 'The list as it stands on this date; default today.' })
  @IsOptional()
  @Matches(DATE, { message: 'must be a date as YYYY-MM-DD' })
  asOf?: string;
}

export class PutLimitRequest {
  @ApiProperty({ example: '5000000.00' }) @DecimalString({ unsigned: true }) limit: string;
  @ApiPropertyOptional({ example: '2026-12-01', description: 'From this day on; default today; not before today.' })
  @IsOptional()
  @Matches(DATE, { message: 'must be a date as YYYY-MM-DD' })
  effectiveFrom?: string;
  @ApiPropertyOptional({ description: 'Why the limit changes (audited).' }) @IsOptional() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(TEXT_MAX) reason?: string;
}

export class SanctionsEntryRequest {
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(100) id: string;
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(TEXT_MAX) name: string;
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMaxSize(500) @IsString({ each: true }) @MaxLength(TEXT_MAX, { each: true }) aliases: string[];
  @ApiProperty() @IsString() @MaxLength(TEXT_MAX) program: string;
  @ApiProperty() @IsString() @MaxLength(100) country: string;
}

export class LoadSanctionsListRequest {
  @ApiProperty({ example: 'OFAC-SDN' }) @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(100) source: string;
  @ApiProperty({ example: '2019-01' }) @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(100) version: string;
  @ApiProperty({ type: [SanctionsEntryRequest] })
  @IsArray()
  @ArrayMaxSize(100_000)
  @ValidateNested({ each: true })
  @Type(() => SanctionsEntryRequest)
  entries: SanctionsEntryRequest[];
}

export class ProposeReleaseRequest {
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(TEXT_MAX) reason: string;
  @ApiProperty({ enum: RELEASE_ACTIONS }) @IsIn([...RELEASE_ACTIONS], { message: `must be one of ${RELEASE_ACTIONS.join(', ')}` }) action: ReleaseAction;
}

export class AlertsQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['OPEN', 'RESOLVED', 'CLOSED'] }) @IsOptional() @IsIn(['OPEN', 'RESOLVED', 'CLOSED']) status?: string;
  @ApiPropertyOptional({ enum: ALERT_RULES }) @IsOptional() @IsIn([...ALERT_RULES]) rule?: AlertRule;
  @ApiPropertyOptional({ description: 'Alerts assigned to this principal.' }) @IsOptional() @IsString() @MaxLength(100) assignee?: string;
}
