import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ListQueryDto, paged, Roles, API_KEY_SECURITY_SCHEME, ApiPageResponse, ApiProblems, type Page } from '@postrade/platform';
import { isParkedPosition, type ParkedPosition } from '@postrade/messaging';
import { ParkedActions, type ParkedActionView } from '../application/parked-actions/parked-actions';
import { ParkedActionViewDto } from './trade-capture.responses';

/**
 * AMEND/CANCEL messages waiting for their NEW, oldest first, with their age and when they expire:
 * the API.md route onto the shared parking lot (`GET /api/v1/parked` lists the same rows).
 */
@ApiTags('trades')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/parked-actions')
export class ParkedActionsController {
  constructor(private readonly parkedActions: ParkedActions) {}

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'AMEND/CANCEL messages waiting for their NEW, oldest first' })
  @ApiPageResponse(ParkedActionViewDto)
  @ApiProblems(400, 401, 403)
  list(@Query() query: ListQueryDto): Promise<Page<ParkedActionView>> {
    return paged(query, (after, limit) => this.parkedActions.list({ after, limit }), {
      isPosition: isParkedPosition,
      positionOf: (p): ParkedPosition => ({ parkedAt: p.parkedAt, id: p.id }),
      toItem: ({ id: _id, ...view }) => view,
    });
  }
}
