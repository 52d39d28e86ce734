import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ConfirmationReceived, DecimalString, MATCH_STATUSES, MATCHING_RULES, type MatchingRule, type MatchStatus } from '@postrade/contracts';
import { ListQueryDto } from '@postrade/platform';
import { COMPARED_FIELDS, type ComparedField } from '../domain/matching-profile';

/** `POST /api/v1/confirmations`: the contract's confirmation, nothing more (unknown fields are 400). */
export class SubmitConfirmationRequest extends ConfirmationReceived {}

export class ListConfirmationsQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: MATCH_STATUSES }) @IsOptional() @IsIn([...MATCH_STATUSES]) matchStatus?: MatchStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) confirmationId?: string;
}

export class ListMatchesQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: MATCH_STATUSES }) @IsOptional() @IsIn([...MATCH_STATUSES]) status?: MatchStatus;
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
}
