import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { DomainError } from '@postrade/kernel';
import { CurrentPrincipal, paged, Roles, API_KEY_SECURITY_SCHEME, ApiPageResponse, ApiProblems, type Page, type Principal } from '@postrade/platform';
import type { AlertWithComments } from '../application/alerts/alert-work';
import { AlertWork } from '../application/alerts/alert-work';
import { DecisionQueries, type DecisionView } from '../application/query-decisions/decision-queries';
import { ReleaseRequests } from '../application/release-holds/release-requests';
import type { ReleaseRequest } from '../domain/release-request';
import type { AlertListItem } from '../persistence/decision.repository';
import { AlertsQuery, ProposeReleaseRequest } from './compliance.dto';
import { AlertListItemDto, ReleaseRequestDto } from './compliance.responses';
import { AlertWorkDto, ApproveReleaseRequest, AssignAlertRequest, CommentAlertRequest, ComplianceDecisionViewDto, ReasonRequest } from './controls.dto';

const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

type AlertPosition = { raisedAt: string; alertId: string };
const isAlertPosition = (v: unknown): v is AlertPosition =>
  typeof (v as AlertPosition)?.raisedAt === 'string' && typeof (v as AlertPosition)?.alertId === 'string' && /^[0-9a-f-]{36}$/.test((v as AlertPosition).alertId);

@ApiTags('decisions')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1')
export class DecisionsController {
  constructor(private readonly queries: DecisionQueries) {}

  @Get('decisions/by-trade/:tradeId')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: "A trade's compliance decision with its checks" })
  @ApiOkResponse({ type: ComplianceDecisionViewDto })
  @ApiProblems(400, 401, 403, 404)
  byTrade(@Param('tradeId', new ParseUUIDPipe()) tradeId: string): Promise<DecisionView> {
    return this.queries.byTrade(tradeId);
  }

  @Get('alerts')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Compliance alerts, filtered by status and rule' })
  @ApiPageResponse(AlertListItemDto)
  @ApiProblems(400, 401, 403)
  alerts(@Query() query: AlertsQuery): Promise<Page<AlertListItem>> {
    return paged(query, (after, limit) => this.queries.alerts({ status: query.status, rule: query.rule, assignee: query.assignee, limit, after }), {
      isPosition: isAlertPosition,
      positionOf: (alert) => ({ raisedAt: alert.raisedAt, alertId: alert.alertId }),
    });
  }

  @Get('alerts/:alertId')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'One alert with its work-queue state and comments' })
  @ApiOkResponse({ type: AlertWorkDto })
  @ApiProblems(400, 401, 403, 404)
  alert(@Param('alertId', new ParseUUIDPipe()) alertId: string): Promise<AlertWithComments> {
    return this.queries.alert(alertId);
  }
}

/** The alert work queue: comment, assign, escalate and close alerts that hold no trade; every action audited. */
@ApiTags('alerts')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/alerts/:alertId')
export class AlertWorkController {
  constructor(private readonly work: AlertWork) {}

  @Post('comments')
  @HttpCode(201)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Comment on an alert' })
  @ApiCreatedResponse({ type: AlertWorkDto })
  @ApiProblems(400, 401, 403, 404)
  comment(@Param('alertId', new ParseUUIDPipe()) alertId: string, @Body() body: CommentAlertRequest, @CurrentPrincipal() principal: Principal): Promise<AlertWithComments> {
    return this.work.comment(alertId, body.text, principal.id);
  }

  @Post('assign')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Assign an open alert to someone' })
  @ApiOkResponse({ type: AlertWorkDto })
  @ApiProblems(400, 401, 403, 404, 409)
  assign(@Param('alertId', new ParseUUIDPipe()) alertId: string, @Body() body: AssignAlertRequest, @CurrentPrincipal() principal: Principal): Promise<AlertWithComments> {
    return this.work.assign(alertId, body.assignee, principal.id);
  }

  @Post('escalate')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Escalate an open alert, with a reason' })
  @ApiOkResponse({ type: AlertWorkDto })
  @ApiProblems(400, 401, 403, 404, 409)
  escalate(@Param('alertId', new ParseUUIDPipe()) alertId: string, @Body() body: ReasonRequest, @CurrentPrincipal() principal: Principal): Promise<AlertWithComments> {
    return this.work.escalate(alertId, body.reason, principal.id);
  }

  @Post('close')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Close an open alert that holds no trade (MEDIUM), with a reason; an alert that holds its trade ends by a release request (409)' })
  @ApiOkResponse({ type: AlertWorkDto })
  @ApiProblems(400, 401, 403, 404, 409)
  close(@Param('alertId', new ParseUUIDPipe()) alertId: string, @Body() body: ReasonRequest, @CurrentPrincipal() principal: Principal): Promise<AlertWithComments> {
    return this.work.close(alertId, body.reason, principal.id);
  }
}

/** Four-eyes: ops or a supervisor proposes, a different supervisor approves or declines. */
@ApiTags('holds')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/holds/:tradeId/release-requests')
export class HoldsController {
  constructor(private readonly requests: ReleaseRequests) {}

  @Post()
  @Roles('ops', 'supervisor')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOperation({ summary: 'Propose releasing or rejecting a held trade (four-eyes)' })
  @ApiCreatedResponse({ type: ReleaseRequestDto, description: 'Proposed; a replay of the same Idempotency-Key answers the request it created, nothing done twice.' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  propose(
    @Param('tradeId', new ParseUUIDPipe()) tradeId: string,
    @Body() body: ProposeReleaseRequest,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<ReleaseRequest> {
    if (idempotencyKey !== undefined && (idempotencyKey.trim() === '' || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      throw DomainError.invalid('Idempotency-Key', `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    }
    return this.requests.propose(tradeId, { action: body.action, reason: body.reason }, principal.id, idempotencyKey);
  }

  @Post(':requestId/approve')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Approve a release request (a different supervisor than the requester); 409 if an alert is open that the request (or the approver\'s alertIds) did not include' })
  @ApiOkResponse({ type: ReleaseRequestDto })
  @ApiProblems(400, 401, 403, 404, 409)
  approve(
    @Param('tradeId', new ParseUUIDPipe()) tradeId: string,
    @Param('requestId', new ParseUUIDPipe()) requestId: string,
    @Body() body: ApproveReleaseRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReleaseRequest> {
    return this.requests.approve(tradeId, requestId, principal.id, body?.alertIds);
  }

  @Post(':requestId/decline')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Decline a release request' })
  @ApiOkResponse({ type: ReleaseRequestDto })
  @ApiProblems(400, 401, 403, 404, 409)
  decline(
    @Param('tradeId', new ParseUUIDPipe()) tradeId: string,
    @Param('requestId', new ParseUUIDPipe()) requestId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReleaseRequest> {
    return this.requests.decline(tradeId, requestId, principal.id);
  }
}
