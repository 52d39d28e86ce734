import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { decodeCursor, pageOf, Roles, type Page } from '@postrade/platform';
import { AuditQueries, type AuditRecordResource, type AuditVerification } from '../application/audit/audit-queries';
import { AuditExportQuery, AuditQuery } from './compliance.dto';

const isSequence = (v: unknown): v is { sequence: number } => Number.isInteger((v as { sequence?: unknown })?.sequence);

/** The audit trail: who did what, when, before and after, hash-chained. Auditors and supervisors. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditQueries) {}

  @Get()
  @Roles('auditor', 'supervisor')
  async list(@Query() query: AuditQuery): Promise<Page<AuditRecordResource>> {
    const afterSequence = query.cursor ? decodeCursor(query.cursor, isSequence).sequence : undefined;
    const rows = await this.audit.list({ entityId: query.entityId, from: query.from, to: query.to, afterSequence, limit: query.limit + 1 });
    return pageOf(rows, query.limit, { positionOf: (record) => ({ sequence: record.sequence }) });
  }

  /** Recomputes every chain; names the first record that was changed, removed or inserted. */
  @Post('verify')
  @HttpCode(200)
  @Roles('auditor', 'supervisor')
  verify(): Promise<AuditVerification> {
    return this.audit.verify();
  }

  @Get('export')
  @Roles('auditor', 'supervisor')
  export(@Query() query: AuditExportQuery): ReturnType<AuditQueries['export']> {
    return this.audit.export({ from: query.from, to: query.to });
  }
}
