import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { AnchorCheckDto } from './anchor.responses';

// The response bodies of this service's API, as OpenAPI schemas: each mirrors the type its
// handler returns (the JSON is not changed by them; they only describe it).

/** One record of a trail as the API shows it: the entry, its place in the global order and in its chain, and its hashes. */
@ApiSchema({ name: 'AuditTrailRecord' })
export class AuditTrailRecordDto {
  @ApiProperty({ type: String })
  recordId!: string;

  @ApiProperty({ type: Number, description: "The trail's global order: listing, export, and the cursor of a page." })
  sequence!: number;

  @ApiProperty({ type: String })
  recordedAt!: string;

  @ApiProperty({ type: String })
  actor!: string;

  @ApiProperty({ type: String })
  action!: string;

  @ApiProperty({ type: String })
  entityType!: string;

  @ApiProperty({ type: String })
  entityId!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  before!: unknown;

  @ApiProperty({ type: 'object', additionalProperties: true })
  after!: unknown;

  @ApiProperty({ type: String })
  chain!: string;

  @ApiProperty({ type: String })
  previousHash!: string;

  @ApiProperty({ type: String })
  hash!: string;
}

/** What verifying every chain found: `firstBadRecordId` names the earliest record edited, removed (the one after it) or inserted. */
@ApiSchema({ name: 'AuditTrailVerification' })
export class AuditTrailVerificationDto {
  @ApiProperty({ type: Boolean })
  ok!: boolean;

  @ApiProperty({ type: Number })
  recordsChecked!: number;

  @ApiProperty({ type: String, nullable: true })
  firstBadRecordId!: string | null;

  @ApiPropertyOptional({ type: () => AnchorCheckDto, description: 'The comparison with the latest anchor on audit.anchors.v1 (docs/anchors.md); `ok` is false unless it is ok too.' })
  anchor?: AnchorCheckDto;
}

/** Every record of a period, with chains and hashes, so that it can be checked chain by chain on its own. */
@ApiSchema({ name: 'AuditTrailExport' })
export class AuditTrailExportDto {
  @ApiProperty({ type: String, nullable: true })
  from!: string | null;

  @ApiProperty({ type: String, nullable: true })
  to!: string | null;

  @ApiProperty({ type: String })
  exportedAt!: string;

  @ApiProperty({ type: () => [AuditTrailRecordDto] })
  records!: AuditTrailRecordDto[];
}
