import { Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { DomainError, type ChainAnchor } from '@postrade/kernel';
import { Roles } from '../auth/auth.decorators';
import { paged, type Page } from '../pagination/page';
import { AuditExportQuery, AuditQuery } from './audit.dto';
import { AUDIT_TRAIL_READER, type AuditTrailExport, type AuditTrailReader, type AuditTrailRecord, type AuditTrailVerification } from './audit-trail-reader';
import { ApiPageResponse, ApiProblems } from '../openapi/api-docs.decorators';
import { API_KEY_SECURITY_SCHEME } from '../openapi/openapi';
import { AuditTrailExportDto, AuditTrailRecordDto, AuditTrailVerificationDto } from './audit.responses';
import { ChainAnchorDto } from './anchor.responses';

const isSequence = (v: unknown): v is { sequence: number } => Number.isInteger((v as { sequence?: unknown })?.sequence);

/**
 * The audit trail: who did what, when, before and after, hash-chained. Auditors and supervisors.
 * One controller for every service that keeps a trail, so that the API is the same everywhere; a
 * service lists it in its `controllers` and provides {@link AUDIT_TRAIL_READER}.
 */
@ApiTags('audit')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/audit')
export class AuditController {
  constructor(@Inject(AUDIT_TRAIL_READER) private readonly audit: AuditTrailReader) {}

  @Get()
  @Roles('auditor', 'supervisor')
  @ApiOperation({ summary: 'Audit trail records, filtered by entity and time' })
  @ApiPageResponse(AuditTrailRecordDto)
  @ApiProblems(400, 401, 403)
  list(@Query() query: AuditQuery): Promise<Page<AuditTrailRecord>> {
    return paged(
      query,
      (after, limit) => this.audit.list({ entityId: query.entityId, from: query.from, to: query.to, afterSequence: after?.sequence, limit }),
      { isPosition: isSequence, positionOf: (record) => ({ sequence: record.sequence }) },
    );
  }

  /** Recomputes every chain; names the first record that was changed, removed or inserted. */
  @Post('verify')
  @HttpCode(200)
  @Roles('auditor', 'supervisor')
  @ApiOperation({ summary: 'Recompute every audit chain and name the first record that was changed, removed or inserted' })
  @ApiOkResponse({ type: AuditTrailVerificationDto })
  @ApiProblems(401, 403)
  verify(): Promise<AuditTrailVerification> {
    return this.audit.verify();
  }

  /** Publishes every chain's head now, signed, to audit.anchors.v1 (besides the timer's, AUDIT_ANCHOR_INTERVAL). */
  @Post('anchors')
  @HttpCode(201)
  @Roles('auditor', 'supervisor')
  @ApiOperation({ summary: "Anchor the audit trail: publish every chain's head, signed, to audit.anchors.v1" })
  @ApiCreatedResponse({ type: ChainAnchorDto })
  @ApiProblems(401, 403, [404, 'This service does not anchor its audit trail'])
  async anchor(): Promise<ChainAnchor> {
    if (!this.audit.anchor) throw DomainError.notFound('Audit anchoring', 'audit');
    return this.audit.anchor();
  }

  @Get('export')
  @Roles('auditor', 'supervisor')
  @ApiOperation({ summary: 'Export the audit trail of a period with its chain heads' })
  @ApiOkResponse({ type: AuditTrailExportDto })
  @ApiProblems(400, 401, 403)
  export(@Query() query: AuditExportQuery): Promise<AuditTrailExport> {
    return this.audit.export({ from: query.from, to: query.to });
  }
}
