import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ListQueryDto, paged, Roles, type Page } from '@postrade/platform';
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
  list(@Query() query: ListQueryDto): Promise<Page<ParkedActionView>> {
    return paged(query, (after, limit) => this.parkedActions.list({ after, limit }), {
      isPosition,
      positionOf: (p): Position => [p.parkedAt, p.sourceSystem, p.sourceTradeId, p.version],
    });
  }
}
