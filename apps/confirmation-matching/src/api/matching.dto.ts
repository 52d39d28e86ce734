import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ConfirmationReceived, DecimalString, MATCH_STATUSES, MATCHING_RULES, type MatchingRule, type MatchStatus } from '@postrade/contracts';
import { ListQueryDto } from '@postrade/platform';
import { COMPARED_FIELDS, type ComparedField } from '../domain/matching-profile';
import { CUTOFF_STATUSES, type CutoffStatus } from '../domain/affirmation-cutoff';
import { PROFILE_CHANGE_STATUSES, type ProfileChangeStatus } from '../domain/profile-change';

/** `POST /api/v1/confirmations`: the contract's confirmation, nothing more (unknown fields are 400). */
export class SubmitConfirmationRequest extends ConfirmationReceived {}

export class ListConfirmationsQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: MATCH_STATUSES }) @IsOptional() @IsIn([...MATCH_STATUSES]) matchStatus?: MatchStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) confirmationId?: string;
}

export class ListMatchesQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: MATCH_STATUSES }) @IsOptional() @IsIn([...MATCH_STATUSES]) status?: MatchStatus;
  @ApiPropertyOptional({ description: "The trade's counterparty (an alleged confirmation's sender)." })
  @IsOptional()
  @Matches(/^[A-Z0-9]{18}[0-9]{2}$/, { message: 'must be an LEI' })
  counterpartyLei?: string;
  @ApiPropertyOptional({ example: '2026-11-23' }) @IsOptional() @IsISO8601({ strict: true }, { message: 'must be a date YYYY-MM-DD' }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' }) tradeDate?: string;
  @ApiPropertyOptional({ description: 'Only items unchanged in their status for at least this long: minutes, hours or days, e.g. 30m, 4h, 2d.', example: '4h' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,5}[mhd]$/, { message: 'must be a duration like 30m, 4h or 2d' })
  minAge?: string;
  @ApiPropertyOptional({ enum: [...COMPARED_FIELDS, 'receiverLei'], description: 'Only trades with a break on this field.' })
  @IsOptional()
  @IsIn([...COMPARED_FIELDS, 'receiverLei'], { message: `must be one of ${[...COMPARED_FIELDS, 'receiverLei'].join(', ')}` })
  breakField?: string;
  @ApiPropertyOptional({ enum: CUTOFF_STATUSES, description: 'US trades by where they stand against the same-day affirmation cutoff (9 pm New York on the trade date).' })
  @IsOptional()
  @IsIn([...CUTOFF_STATUSES])
  cutoff?: CutoffStatus;
  @ApiPropertyOptional({ enum: ['age'], description: 'Oldest first (the only order): by time in the current status.' })
  @IsOptional()
  @IsIn(['age'])
  sort?: 'age';
}

const DURATION_UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30m`, `4h`, `2d` in milliseconds (the shape is validated by ListMatchesQuery). */
export function durationMs(text: string): number {
  return Number(text.slice(0, -1)) * DURATION_UNIT_MS[text.slice(-1) as keyof typeof DURATION_UNIT_MS];
}

class Reason {
  @ApiProperty()
  @IsString({ message: 'is required as a string' })
  @Matches(/\S/, { message: 'must not be blank' })
  @MaxLength(1000)
  reason: string;
}

export class ForceMatchRequest extends Reason {
  @ApiProperty({ description: "The sender's confirmation id." })
  @IsString({ message: 'is required as a string' })
  @Matches(/\S/, { message: 'must not be blank' })
  @MaxLength(100)
  confirmationId: string;
}

export class UnmatchRequest extends Reason {}

/** `POST /api/v1/confirmations/{id}/cancel` (the sender, or operations for it). */
export class CancelConfirmationRequest extends Reason {}

/** `POST /api/v1/matches/by-trade/{tradeId}/dk` (the trade's counterparty: "don't know"). */
export class DkRequest extends Reason {}

// Tolerances, caps and tier thresholds are percentages or amounts, never negative: amount bounds, no sign.
export class ToleranceTierDto {
  @ApiProperty({ example: '100000' }) @DecimalString({ unsigned: true }) above: string;
  @ApiProperty({ example: '25' }) @DecimalString({ unsigned: true }) tolerance: string;
}

export class FieldRuleDto {
  @ApiProperty({ enum: COMPARED_FIELDS }) @IsIn([...COMPARED_FIELDS], { message: `must be one of ${COMPARED_FIELDS.join(', ')}` }) field: ComparedField;
  @ApiProperty({ enum: MATCHING_RULES }) @IsIn([...MATCHING_RULES], { message: `must be one of ${MATCHING_RULES.join(', ')}` }) rule: MatchingRule;
  @ApiPropertyOptional({ description: 'Percent for PERCENT and PERCENT_CAPPED, an amount for ABSOLUTE.' })
  @IsOptional()
  @DecimalString({ unsigned: true })
  tolerance?: string;
  @ApiPropertyOptional({ description: 'PERCENT_CAPPED: the most the percentage may allow.' })
  @IsOptional()
  @DecimalString({ unsigned: true })
  cap?: string;
  @ApiPropertyOptional({ type: [ToleranceTierDto], description: 'ABSOLUTE: a larger tolerance above a net amount.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ToleranceTierDto)
  tiers?: ToleranceTierDto[];
}

export class PutMatchingProfileRequest {
  @ApiProperty({ type: [FieldRuleDto] }) @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => FieldRuleDto) rules: FieldRuleDto[];
  @ApiProperty() @IsBoolean({ message: 'must be true or false' }) autoAffirm: boolean;
  @ApiPropertyOptional({ description: 'Maker-checker for force-match and manual affirm (default true): a second person approves.' })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  fourEyes?: boolean;
  @ApiPropertyOptional({ description: 'LEIs of the counterparties this profile applies to.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(/^[A-Z0-9]{18}[0-9]{2}$/, { each: true, message: 'must be LEIs' })
  counterparties?: string[];
  @ApiPropertyOptional({ description: 'Currencies this profile applies to.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(/^[A-Z]{3}$/, { each: true, message: 'must be ISO 4217 currency codes' })
  currencies?: string[];
  @ApiPropertyOptional({ description: 'When the change applies once approved (an instant with its offset); absent or past: as soon as it is approved.', example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'must be an ISO 8601 instant' })
  @Matches(/T.*(Z|[+-]\d{2}:\d{2})$/, { message: 'must be an instant with its offset (Z or ±hh:mm)' })
  effectiveFrom?: string;
  @ApiPropertyOptional({ description: 'Why the profile changes, for the approver and the audit trail.' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @MaxLength(1000)
  reason?: string;
}

/** `GET /api/v1/matching-profile-changes`: changes to matching profiles, oldest proposal first. */
export class ListProfileChangesQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: PROFILE_CHANGE_STATUSES })
  @IsOptional()
  @IsIn([...PROFILE_CHANGE_STATUSES], { message: `must be one of ${PROFILE_CHANGE_STATUSES.join(', ')}` })
  status?: ProfileChangeStatus;
  @ApiPropertyOptional({ description: 'A profile name.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be a profile name' })
  profile?: string;
}
