import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { decodeCursor, ListQueryDto, pageOf, Roles, type Page } from '@postrade/platform';
import { ParkedActions, type ParkedActionView } from '../application/parked-actions/parked-actions';

type Position = [string, string, string, number];
const isPosition = (v: unknown): v is Position =>
  Array.isArray(v) && v.length === 4 && typeof v[0] === 'string' && !Number.isNaN(Date.parse(v[0])) &&
  typeof v[1] === 'string' && typeof v[2] === 'string' && Number.isInteger(v[3]);

/** AMEND/CANCEL messages waiting for their NEW, oldest first, with their age and when they expire. */
@ApiTags('trades')
@ApiBearerAuth()
@Controller('api/v1/parked-actions')
export class ParkedActionsController {
  constructor(private readonly parkedActions: ParkedActions) {}

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  async list(@Query() query: ListQueryDto): Promise<Page<ParkedActionView>> {
    const rows = await this.parkedActions.list({ after: query.cursor ? decodeCursor(query.cursor, isPosition) : undefined, limit: query.limit + 1 });
    return pageOf(rows, query.limit, { positionOf: (p) => [p.parkedAt, p.sourceSystem, p.sourceTradeId, p.version] });
  }
}
