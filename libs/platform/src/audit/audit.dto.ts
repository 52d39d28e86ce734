import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQueryDto } from '../pagination/list-query.dto';

/** `GET /api/v1/audit`: one entity's records, a period's, or all, a page at a time. */
export class AuditQuery extends ListQueryDto {
  @ApiPropertyOptional({ description: 'The entity the records are about: a trade id, ISIN, counterparty LEI, list source, …' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  entityId?: string;
  @ApiPropertyOptional({ description: 'Date (from its start) or ISO 8601 instant.' }) @IsOptional() @IsString() from?: string;
  @ApiPropertyOptional({ description: 'Date (to its end, inclusive) or ISO 8601 instant (exclusive).' }) @IsOptional() @IsString() to?: string;
}

/** `GET /api/v1/audit/export`: a period, whole. */
export class AuditExportQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() from?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() to?: string;
}
