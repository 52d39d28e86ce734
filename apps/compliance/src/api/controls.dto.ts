import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { DecimalString } from '@postrade/contracts';
import { ListQueryDto } from '@postrade/platform';
import { CONTROL_CHANGE_KINDS, CONTROL_CHANGE_STATUSES } from '../domain/control-change';
import { ComplianceAlertDto, ComplianceDecisionDto } from './compliance.responses';

const NOT_BLANK = /\S/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TEXT_MAX = 500;

// Requests and responses of the four-eyes controls (list, limit and threshold changes) and the alert work queue.

export class PutThresholdsRequest {
  @ApiProperty({ example: '2000000', description: 'Shares per book and trade date in NMS securities.' }) @DecimalString({ unsigned: true }) shares: string;
  @ApiProperty({ example: '20000000.00', description: 'USD notional per book and trade date in NMS securities.' }) @DecimalString({ unsigned: true }) usdNotional: string;
  @ApiPropertyOptional({ example: '2026-12-01', description: 'From this trade date on; default today; not before today.' })
  @IsOptional()
  @Matches(DATE, { message: 'must be a date as YYYY-MM-DD' })
  effectiveFrom?: string;
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(TEXT_MAX) reason: string;
}

export class RemoveRestrictionRequest {
  @ApiPropertyOptional({ description: 'Why the ISIN comes off the list.' }) @IsOptional() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(TEXT_MAX) reason?: string;
}

export class ThresholdsQuery {
  @ApiPropertyOptional({ description: 'The thresholds in force on this date; default today.' }) @IsOptional() @Matches(DATE, { message: 'must be a date as YYYY-MM-DD' }) asOf?: string;
}

export class ControlChangesQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: CONTROL_CHANGE_STATUSES })
  @IsOptional()
  @IsIn([...CONTROL_CHANGE_STATUSES], { message: `must be one of ${CONTROL_CHANGE_STATUSES.join(', ')}` })
  status?: string;
}

export class ApproveReleaseRequest {
  @ApiPropertyOptional({ type: [String], description: 'The alerts the approver saw; an alert open now and not among them is 409 (never resolved unseen).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'each must be an alert id (UUID)' })
  alertIds?: string[];
}

export class CommentAlertRequest {
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(2000) text: string;
}

export class AssignAlertRequest {
  @ApiProperty({ example: 'dev-ops' }) @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(100) assignee: string;
}

export class ReasonRequest {
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(TEXT_MAX) reason: string;
}

/** A proposed change to the restricted/watch list, an exposure limit or the large-trader thresholds (maker), applied when a second person approves it (checker). */
@ApiSchema({ name: 'ControlChange' })
export class ControlChangeDto {
  @ApiProperty({ type: String }) changeId!: string;
  @ApiProperty({ enum: CONTROL_CHANGE_KINDS }) kind!: string;
  @ApiProperty({ type: String, description: 'restricted-list/{isin}, limits/{lei}/{currency} or large-trader-thresholds: one pending change each.' }) target!: string;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: 'What the change sets (null: a removal).' }) proposed!: unknown;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: 'What was in force when it was proposed.' }) before!: unknown;
  @ApiProperty({ type: String }) effectiveFrom!: string;
  @ApiProperty({ type: String }) reason!: string;
  @ApiProperty({ type: String }) proposedBy!: string;
  @ApiProperty({ type: String }) proposedAt!: string;
  @ApiProperty({ enum: CONTROL_CHANGE_STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true }) decidedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt!: string | null;
}

@ApiSchema({ name: 'LargeTraderThresholds' })
export class LargeTraderThresholdsDto {
  @ApiProperty({ type: String }) shares!: string;
  @ApiProperty({ type: String }) usdNotional!: string;
  @ApiProperty({ type: String }) effectiveFrom!: string;
  @ApiProperty({ type: String }) asOf!: string;
}

@ApiSchema({ name: 'ScreenedAgainst' })
export class ScreenedAgainstDto {
  @ApiProperty({ type: String }) source!: string;
  @ApiProperty({ type: String }) version!: string;
}

/** GET /api/v1/decisions/by-trade/{tradeId}: the decision resource plus the list versions it was screened against. */
@ApiSchema({ name: 'ComplianceDecisionView' })
export class ComplianceDecisionViewDto extends ComplianceDecisionDto {
  @ApiProperty({ type: () => [ScreenedAgainstDto], nullable: true, description: 'The sanctions list versions (source, version) the decision was screened against; null for decisions made before they were recorded.' })
  screenedAgainst!: ScreenedAgainstDto[] | null;
}

@ApiSchema({ name: 'AlertComment' })
export class AlertCommentDto {
  @ApiProperty({ type: String }) commentId!: string;
  @ApiProperty({ type: String }) alertId!: string;
  @ApiProperty({ type: String }) author!: string;
  @ApiProperty({ type: String }) text!: string;
  @ApiProperty({ type: String }) createdAt!: string;
}

@ApiSchema({ name: 'AlertWork' })
export class AlertWorkDto extends ComplianceAlertDto {
  @ApiProperty({ type: String }) tradeId!: string;
  @ApiProperty({ type: Number }) tradeVersion!: number;
  @ApiProperty({ type: String }) raisedAt!: string;
  @ApiProperty({ type: String, nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) closeReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) assignee!: string | null;
  @ApiProperty({ type: String, nullable: true }) escalatedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) escalatedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) closedBy!: string | null;
  @ApiProperty({ type: () => [AlertCommentDto] }) comments!: AlertCommentDto[];
}
