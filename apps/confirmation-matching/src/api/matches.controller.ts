import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { MatchResource } from '@postrade/contracts';
import { CurrentPrincipal, paged, Roles, API_KEY_SECURITY_SCHEME, ApiPageResponse, ApiProblems, type Page, type Principal } from '@postrade/platform';
import { OperateMatchHandler, type OperationOutcome } from '../application/operate-match/operate-match.command-handler';
import type { MatchRequest } from '../persistence/trade.repository';
import { MatchQueries, type MatchPosition, type MatchView, type QueuedMatch } from '../application/query-matches/match-queries';
import { CounterpartyActionsHandler } from '../application/counterparty-actions/counterparty-actions.command-handler';
import { readerOf } from './confirmations.controller';
import { DkRequest, durationMs, ForceMatchRequest, ListMatchesQuery, UnmatchRequest } from './matching.dto';
import { MatchDto, MatchRequestDto, MatchViewDto } from './matching.responses';

const isPosition = (v: unknown): v is MatchPosition =>
  typeof (v as MatchPosition)?.updatedAt === 'string' && /^[0-9a-f-]{36}$/.test(String((v as MatchPosition)?.id));

@ApiTags('matches')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/matches')
export class MatchesController {
  constructor(
    private readonly queries: MatchQueries,
    private readonly operations: OperateMatchHandler,
    private readonly counterpartyActions: CounterpartyActionsHandler,
  ) {}

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({
    summary: 'Match queues: by status, counterparty, trade date, age and break field, oldest first, with the same-day affirmation cutoff of US trades (SEC 15c6-2)',
  })
  @ApiPageResponse(MatchDto)
  @ApiProblems(400, 401, 403)
  list(@Query() query: ListMatchesQuery): Promise<Page<QueuedMatch>> {
    const { counterpartyLei, tradeDate, breakField, cutoff, minAge } = query;
    const filter = { counterpartyLei, tradeDate, breakField, cutoff, minAgeMs: minAge === undefined ? undefined : durationMs(minAge) };
    return paged(query, (after, limit) => this.queries.list(query.status, after, limit, filter), { isPosition, positionOf: (m) => m.position, toItem: (m) => m.match });
  }

  @Get('by-trade/:tradeId')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: "A trade's match: status, confirmation, breaks and the actions taken" })
  @ApiOkResponse({ type: MatchViewDto })
  @ApiProblems(400, 401, 403, 404)
  byTrade(@Param('tradeId', new ParseUUIDPipe()) tradeId: string): Promise<MatchView> {
    return this.queries.byTrade(tradeId);
  }

  @Get('by-confirmation/:id')
  @Roles('counterparty', 'ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: "A confirmation's match, with its breaks (a counterparty: its own confirmations only)" })
  @ApiOkResponse({ type: MatchDto })
  @ApiProblems(400, 401, 403, 404)
  byConfirmation(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal): Promise<MatchResource> {
    return this.queries.byConfirmation(id, readerOf(principal));
  }

  @Post('by-trade/:tradeId/dk')
  @HttpCode(200)
  @Roles('counterparty')
  @ApiOperation({ summary: "DK (\"don't know\") a trade alleged against the calling counterparty: it stays UNMATCHED, the DK on its action trail" })
  @ApiOkResponse({ type: MatchViewDto })
  @ApiProblems(400, 401, 403, 404, 409)
  dk(@Param('tradeId', new ParseUUIDPipe()) tradeId: string, @Body() body: DkRequest, @CurrentPrincipal() principal: Principal): Promise<MatchView> {
    return this.counterpartyActions.dk(tradeId, body.reason, { ...readerOf(principal), principalId: principal.id });
  }

  @Post('by-trade/:tradeId/force-match')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Force-match a MISMATCHED or UNMATCHED trade with a confirmation (under a four-eyes profile: proposed, 202, for someone else to approve)' })
  @ApiOkResponse({ type: MatchViewDto })
  @ApiResponse({ status: 202, type: MatchRequestDto, description: 'Proposed: waits for approval by another ops or a supervisor.' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async forceMatch(
    @Param('tradeId', new ParseUUIDPipe()) tradeId: string,
    @Body() body: ForceMatchRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MatchView | MatchRequest> {
    return answer(await this.operations.execute({ kind: 'FORCE_MATCH', tradeId, confirmationId: body.confirmationId, reason: body.reason, actedBy: principal.id }), res);
  }

  @Post('by-trade/:tradeId/unmatch')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Unmatch a trade from its confirmation' })
  @ApiOkResponse({ type: MatchDto })
  @ApiProblems(400, 401, 403, 404, 409)
  async unmatch(@Param('tradeId', new ParseUUIDPipe()) tradeId: string, @Body() body: UnmatchRequest, @CurrentPrincipal() principal: Principal): Promise<MatchView> {
    const outcome = await this.operations.execute({ kind: 'UNMATCH', tradeId, reason: body.reason, actedBy: principal.id });
    if (outcome.kind !== 'DONE') throw new Error('an unmatch is never proposed');
    return outcome.match;
  }

  @Post('by-trade/:tradeId/affirm')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Affirm a MATCHED trade (under a four-eyes profile: proposed, 202, for someone else to approve)' })
  @ApiOkResponse({ type: MatchViewDto })
  @ApiResponse({ status: 202, type: MatchRequestDto, description: 'Proposed: waits for approval by another ops or a supervisor.' })
  @ApiProblems(400, 401, 403, 404, 409)
  async affirm(@Param('tradeId', new ParseUUIDPipe()) tradeId: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<MatchView | MatchRequest> {
    return answer(await this.operations.execute({ kind: 'AFFIRM', tradeId, actedBy: principal.id }), res);
  }

  @Post('by-trade/:tradeId/requests/:requestId/approve')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Approve a proposed force-match or affirm (anyone but its proposer: 403); it applies at the versions proposed (409 if either side changed)' })
  @ApiOkResponse({ type: MatchViewDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  approve(
    @Param('tradeId', new ParseUUIDPipe()) tradeId: string,
    @Param('requestId', new ParseUUIDPipe()) requestId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MatchView> {
    return this.operations.approve(tradeId, requestId, principal.id);
  }

  @Post('by-trade/:tradeId/requests/:requestId/decline')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Decline (or, by its proposer, withdraw) a proposed force-match or affirm' })
  @ApiOkResponse({ type: MatchRequestDto })
  @ApiProblems(400, 401, 403, 404, 409)
  decline(
    @Param('tradeId', new ParseUUIDPipe()) tradeId: string,
    @Param('requestId', new ParseUUIDPipe()) requestId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MatchRequest> {
    return this.operations.decline(tradeId, requestId, principal.id);
  }
}

/** Done: 200 with the match; proposed under a four-eyes profile: 202 with the request. */
function answer(outcome: OperationOutcome, res: Response): MatchView | MatchRequest {
  if (outcome.kind === 'DONE') return outcome.match;
  res.status(202);
  return outcome.request;
}
