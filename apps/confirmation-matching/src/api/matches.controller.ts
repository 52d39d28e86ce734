import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { MatchResource } from '@postrade/contracts';
import { CurrentPrincipal, paged, Roles, type Page, type Principal } from '@postrade/platform';
import { OperateMatchHandler } from '../application/operate-match/operate-match.command-handler';
import { MatchQueries, type MatchPosition, type MatchView } from '../application/query-matches/match-queries';
import { ForceMatchRequest, ListMatchesQuery, UnmatchRequest } from './matching.dto';

const isPosition = (v: unknown): v is MatchPosition =>
  typeof (v as MatchPosition)?.updatedAt === 'string' && /^[0-9a-f-]{36}$/.test(String((v as MatchPosition)?.id));

@ApiTags('matches')
@ApiBearerAuth()
@Controller('api/v1/matches')
export class MatchesController {
  constructor(
    private readonly queries: MatchQueries,
    private readonly operations: OperateMatchHandler,
  ) {}

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  list(@Query() query: ListMatchesQuery): Promise<Page<MatchResource>> {
    return paged(query, (after, limit) => this.queries.list(query.status, after, limit), { isPosition, positionOf: (m) => m.position, toItem: (m) => m.match });
  }

  @Get('by-trade/:tradeId')
  @Roles('ops', 'supervisor', 'auditor')
  byTrade(@Param('tradeId', new ParseUUIDPipe()) tradeId: string): Promise<MatchView> {
    return this.queries.byTrade(tradeId);
  }

  @Get('by-confirmation/:id')
  @Roles('ops', 'supervisor', 'auditor')
  byConfirmation(@Param('id', new ParseUUIDPipe()) id: string): Promise<MatchResource> {
    return this.queries.byConfirmation(id);
  }

  @Post('by-trade/:tradeId/force-match')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  forceMatch(@Param('tradeId', new ParseUUIDPipe()) tradeId: string, @Body() body: ForceMatchRequest, @CurrentPrincipal() principal: Principal): Promise<MatchResource> {
    return this.operations.execute({ kind: 'FORCE_MATCH', tradeId, confirmationId: body.confirmationId, reason: body.reason, actedBy: principal.id });
  }

  @Post('by-trade/:tradeId/unmatch')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  unmatch(@Param('tradeId', new ParseUUIDPipe()) tradeId: string, @Body() body: UnmatchRequest, @CurrentPrincipal() principal: Principal): Promise<MatchResource> {
    return this.operations.execute({ kind: 'UNMATCH', tradeId, reason: body.reason, actedBy: principal.id });
  }

  @Post('by-trade/:tradeId/affirm')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  affirm(@Param('tradeId', new ParseUUIDPipe()) tradeId: string, @CurrentPrincipal() principal: Principal): Promise<MatchResource> {
    return this.operations.execute({ kind: 'AFFIRM', tradeId, actedBy: principal.id });
  }
}
