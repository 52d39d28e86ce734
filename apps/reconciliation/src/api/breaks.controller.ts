import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags, ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import type { BreakResource } from '@postrade/contracts';
import { CurrentPrincipal, ListQueryDto, paged, Roles, API_KEY_SECURITY_SCHEME, ApiItemsResponse, ApiPageResponse, ApiProblems, type Page, type Principal } from '@postrade/platform';
import { ReconciliationQueries, type ReconciliationSummary } from '../application/query/reconciliation-queries';
import { BreakWorkflow } from '../application/work-breaks/break-workflow';
import type { WriteOffRequest } from '../persistence/breaks.repository';
import { AccountAsOfQuery, AssignBreakRequest, BreaksQuery, CommentBreakRequest, ReasonRequest, ReconciliationsQuery } from './reconciliation.dto';
import { BreakDto, BreaksCashResponseDto, BreaksMatchesItemDto, BreaksPositionsResponseDto, BreaksUnassignedItemDto, ReconciliationSummaryDto, WriteOffRequestDto } from './reconciliation.responses';

type BreakPosition = { updatedAt: string; breakId: string };
const isBreakPosition = (v: unknown): v is BreakPosition =>
  typeof (v as BreakPosition)?.updatedAt === 'string' && !Number.isNaN(Date.parse((v as BreakPosition).updatedAt)) && /^[0-9a-f-]{36}$/.test(String((v as BreakPosition)?.breakId));

type RunPosition = { asOf: string; account: string; type: string };
const isRunPosition = (v: unknown): v is RunPosition =>
  /^\d{4}-\d{2}-\d{2}$/.test(String((v as RunPosition)?.asOf)) && typeof (v as RunPosition)?.account === 'string' && typeof (v as RunPosition)?.type === 'string';

@ApiTags('breaks')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1')
export class BreaksController {
  constructor(
    private readonly queries: ReconciliationQueries,
    private readonly workflow: BreakWorkflow,
  ) {}

  @Get('breaks')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Breaks by type, account, status, minimum age in business days and date, oldest change first' })
  @ApiPageResponse(BreakDto)
  @ApiProblems(400, 401, 403)
  async list(@Query() query: BreaksQuery): Promise<Page<BreakResource>> {
    return paged(query, (after: BreakPosition | undefined, limit) => this.queries.breaksList({ ...query, after, limit }), {
      isPosition: isBreakPosition,
      positionOf: (b) => ({ updatedAt: b.updatedAt, breakId: b.breakId }),
    });
  }

  @Get('breaks/:breakId')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'One break: both sides, the difference, age, status, comments' })
  @ApiResponse({ status: 404, description: 'No such break.' })
  @ApiOkResponse({ type: BreakDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('breakId', new ParseUUIDPipe()) breakId: string): Promise<BreakResource> {
    return this.queries.break(breakId);
  }

  @Post('breaks/:breakId/assign')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Assign a live break to someone (status ASSIGNED)' })
  @ApiResponse({ status: 422, description: 'The break is closed.' })
  @ApiOkResponse({ type: BreakDto })
  @ApiProblems(400, 401, 403, 404, 422)
  assign(@Param('breakId', new ParseUUIDPipe()) breakId: string, @Body() body: AssignBreakRequest, @CurrentPrincipal() principal: Principal): Promise<BreakResource> {
    return this.workflow.assign(breakId, body.assignee, principal.id);
  }

  @Post('breaks/:breakId/comments')
  @HttpCode(201)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Comment on a break' })
  @ApiCreatedResponse({ type: BreakDto })
  @ApiProblems(400, 401, 403, 404, 422)
  comment(@Param('breakId', new ParseUUIDPipe()) breakId: string, @Body() body: CommentBreakRequest, @CurrentPrincipal() principal: Principal): Promise<BreakResource> {
    return this.workflow.comment(breakId, body.text, principal.id);
  }

  @Post('breaks/:breakId/resolve')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Resolve a live break with the reason it is explained (status RESOLVED)' })
  @ApiResponse({ status: 422, description: 'The break is closed.' })
  @ApiOkResponse({ type: BreakDto })
  @ApiProblems(400, 401, 403, 404, 422)
  resolve(@Param('breakId', new ParseUUIDPipe()) breakId: string, @Body() body: ReasonRequest, @CurrentPrincipal() principal: Principal): Promise<BreakResource> {
    return this.workflow.resolve(breakId, body.reason, principal.id);
  }

  @Post('breaks/:breakId/write-off-requests')
  @HttpCode(201)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Propose writing a break off; a different supervisor approves or declines' })
  @ApiResponse({ status: 409, description: 'A write-off request is already pending.' })
  @ApiResponse({ status: 422, description: 'The break is closed.' })
  @ApiCreatedResponse({ type: WriteOffRequestDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  proposeWriteOff(@Param('breakId', new ParseUUIDPipe()) breakId: string, @Body() body: ReasonRequest, @CurrentPrincipal() principal: Principal): Promise<WriteOffRequest> {
    return this.workflow.proposeWriteOff(breakId, body.reason, principal.id);
  }

  @Post('breaks/:breakId/write-off-requests/:requestId/approve')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Approve a write-off (not the proposer: 403); the break becomes WRITTEN_OFF' })
  @ApiResponse({ status: 403, description: 'The proposer cannot approve.' })
  @ApiOkResponse({ type: WriteOffRequestDto })
  @ApiProblems(400, 401, 403, 404, 422)
  approve(
    @Param('breakId', new ParseUUIDPipe()) breakId: string,
    @Param('requestId', new ParseUUIDPipe()) requestId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WriteOffRequest> {
    return this.workflow.approveWriteOff(breakId, requestId, principal.id);
  }

  @Post('breaks/:breakId/write-off-requests/:requestId/decline')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Decline a write-off (not the proposer: 403); the break stays as it was' })
  @ApiOkResponse({ type: WriteOffRequestDto })
  @ApiProblems(400, 401, 403, 404, 422)
  decline(
    @Param('breakId', new ParseUUIDPipe()) breakId: string,
    @Param('requestId', new ParseUUIDPipe()) requestId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WriteOffRequest> {
    return this.workflow.declineWriteOff(breakId, requestId, principal.id);
  }

  @Get('reconciliations')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Per account, type and date: lines compared, matched, breaks open on that date by age bucket' })
  @ApiPageResponse(ReconciliationSummaryDto)
  @ApiProblems(400, 401, 403)
  async reconciliations(@Query() query: ReconciliationsQuery): Promise<Page<ReconciliationSummary>> {
    return paged(query, (after: RunPosition | undefined, limit) => this.queries.summaries({ account: query.account, asOf: query.asOf, type: query.type, after, limit }), {
      isPosition: isRunPosition,
      positionOf: (s) => ({ asOf: s.asOf, account: s.account, type: s.type }),
    });
  }

  @Get('reconciliations/:runId/matches')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: "A run's matches in order: which of our items stood against which of theirs, and the rule that paired them" })
  @ApiPageResponse(BreaksMatchesItemDto)
  @ApiProblems(400, 401, 403, 404)
  async matches(@Param('runId', new ParseUUIDPipe()) runId: string, @Query() query: ListQueryDto): Promise<Page<{ ord: number; rule: string; ours: string[]; theirs: string[] }>> {
    return paged(query, (after: { ord: number } | undefined, limit) => this.queries.matches(runId, after?.ord ?? 0, limit), {
      isPosition: (v: unknown): v is { ord: number } => Number.isInteger((v as { ord?: unknown })?.ord),
      positionOf: (m) => ({ ord: m.ord }),
    });
  }

  @Get('our-books/positions')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Our settled positions of a safekeeping account as of a date, as reconciliation holds them' })
  @ApiOkResponse({ type: BreaksPositionsResponseDto })
  @ApiProblems(400, 401, 403)
  async positions(@Query() query: AccountAsOfQuery) {
    const rows = await this.queries.positions(query.account, query.asOf);
    return { account: query.account, asOf: query.asOf, items: rows.map((r) => ({ isin: r.isin, quantity: r.quantity.toFixed() })) };
  }

  @Get('our-books/cash')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Our settled cash of a cash account as of a date, as reconciliation holds it' })
  @ApiOkResponse({ type: BreaksCashResponseDto })
  @ApiProblems(400, 401, 403)
  async cash(@Query() query: AccountAsOfQuery) {
    const rows = await this.queries.cash(query.account, query.asOf);
    return { account: query.account, asOf: query.asOf, items: rows.map((r) => ({ currency: r.currency, amount: r.amount.toFixed() })) };
  }

  @Get('our-books/unassigned')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Settled postings no account can be named for yet (trade or our SSI not seen): waiting, not lost' })
  @ApiItemsResponse(BreaksUnassignedItemDto)
  @ApiProblems(401, 403)
  async unassigned() {
    return { items: await this.queries.unassigned(500) };
  }
}
