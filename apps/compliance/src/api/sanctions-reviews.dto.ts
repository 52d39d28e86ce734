import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ListQueryDto } from '@postrade/platform';

const NOT_BLANK = /\S/;
const LEI = /^[A-Z0-9]{18}[0-9]{2}$/;
const REVIEW_STATUSES = ['PENDING', 'APPROVED', 'DECLINED'] as const;

export class ProposeFalsePositiveRequest {
  @ApiProperty({ example: '5493001KJTIIGC8Y1R12' }) @IsString() @Matches(LEI, { message: 'must be a 20-character LEI' }) counterpartyLei: string;
  @ApiProperty({ example: 'OFAC-SDN' }) @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(100) source: string;
  @ApiProperty({ example: 'SDN-306' }) @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(100) entryId: string;
  @ApiProperty({ example: '2019-01', description: 'The current version of the list: the decision is about the entry as this version lists it.' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'must not be blank' })
  @MaxLength(100)
  listVersion: string;
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(500) reason: string;
}

export class ReviewsQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: REVIEW_STATUSES }) @IsOptional() @IsIn([...REVIEW_STATUSES], { message: `must be one of ${REVIEW_STATUSES.join(', ')}` }) status?: string;
}

/** Counterparty X is not entry Y of list version V: proposed (maker), approved by a second person (checker). */
@ApiSchema({ name: 'SanctionsFalsePositive' })
export class SanctionsFalsePositiveDto {
  @ApiProperty({ type: String }) falsePositiveId!: string;
  @ApiProperty({ type: String }) counterpartyLei!: string;
  @ApiProperty({ type: String }) source!: string;
  @ApiProperty({ type: String }) entryId!: string;
  @ApiProperty({ type: String }) listVersion!: string;
  @ApiProperty({ type: String, description: "SHA-256 of the counterparty's name and aliases at the proposal: a change ends the decision." }) counterpartyFingerprint!: string;
  @ApiProperty({ type: String, description: 'SHA-256 of the entry (name, aliases, program, country) at the proposal: a change ends the decision.' }) entryFingerprint!: string;
  @ApiProperty({ type: String }) reason!: string;
  @ApiProperty({ type: String }) proposedBy!: string;
  @ApiProperty({ type: String }) proposedAt!: string;
  @ApiProperty({ enum: REVIEW_STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true }) decidedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt!: string | null;
}

/** A list version that would remove more than the configured share of the current entries, waiting for a supervisor. */
@ApiSchema({ name: 'PendingSanctionsListLoad' })
export class PendingSanctionsListLoadDto {
  @ApiProperty({ type: String }) loadId!: string;
  @ApiProperty({ type: String }) source!: string;
  @ApiProperty({ type: String }) version!: string;
  @ApiProperty({ type: Number }) entryCount!: number;
  @ApiProperty({ type: String, description: 'The version current when the load was made; approval fails (409) if it changed since.' }) currentVersion!: string;
  @ApiProperty({ type: Number }) currentCount!: number;
  @ApiProperty({ type: Number, description: 'Current entries (by id) the version does not have.' }) removedCount!: number;
  @ApiProperty({ type: String }) proposedBy!: string;
  @ApiProperty({ type: String }) proposedAt!: string;
  @ApiProperty({ enum: REVIEW_STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true }) decidedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt!: string | null;
}

@ApiSchema({ name: 'SanctionsListLoadPending' })
export class SanctionsListLoadPendingDto {
  @ApiProperty({ type: () => PendingSanctionsListLoadDto }) pending!: PendingSanctionsListLoadDto;
}
