import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@postrade/kernel';
import type { ComplianceDecisionResource } from '@postrade/contracts';
import { CurrentPrincipal, ListQueryDto, paged, Roles, type Page, type Principal } from '@postrade/platform';
import { DecisionQueries } from '../application/query-decisions/decision-queries';
import { ReleaseRequests } from '../application/release-holds/release-requests';
import type { ReleaseRequest } from '../domain/release-request';
import type { AlertListItem } from '../persistence/decision.repository';
import type { ParkedSettlement } from '../persistence/screened-trade.repository';
import { AlertsQuery, ProposeReleaseRequest } from './compliance.dto';

const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

type ParkedPosition = { parkedAt: string; eventId: string };
const isParkedPosition = (v: unknown): v is ParkedPosition =>
  typeof (v as ParkedPosition)?.parkedAt === 'string' && typeof (v as ParkedPosition)?.eventId === 'string' && /^[0-9a-f-]{36}$/.test((v as ParkedPosition).eventId);

type AlertPosition = { raisedAt: string; alertId: string };
const isAlertPosition = (v: unknown): v is AlertPosition =>
  typeof (v as AlertPosition)?.raisedAt === 'string' && typeof (v as AlertPosition)?.alertId === 'string' && /^[0-9a-f-]{36}$/.test((v as AlertPosition).alertId);

@ApiTags('decisions')
@ApiBearerAuth()
@Controller('api/v1')
export class DecisionsController {
  constructor(private readonly queries: DecisionQueries) {}

  @Get('decisions/by-trade/:tradeId')
  @Roles('ops', 'supervisor', 'auditor')
  byTrade(@Param('tradeId', new ParseUUIDPipe()) tradeId: string): Promise<ComplianceDecisionResource> {
    return this.queries.byTrade(tradeId);
  }

  /** Settlements of trades compliance has not seen yet: they apply when the trade arrives. */
  @Get('parked-settlements')
  @Roles('ops', 'supervisor', 'auditor')
  parkedSettlements(@Query() query: ListQueryDto): Promise<Page<ParkedSettlement>> {
    return paged(query, (after, limit) => this.queries.parkedSettlements(limit, after), {
      isPosition: isParkedPosition,
      positionOf: (row) => ({ parkedAt: row.parkedAt, eventId: row.eventId }),
    });
  }

  @Get('alerts')
  @Roles('ops', 'supervisor', 'auditor')
  alerts(@Query() query: AlertsQuery): Promise<Page<AlertListItem>> {
    return paged(query, (after, limit) => this.queries.alerts({ status: query.status, rule: query.rule, limit, after }), {
      isPosition: isAlertPosition,
      positionOf: (alert) => ({ raisedAt: alert.raisedAt, alertId: alert.alertId }),
    });
  }
}

/** Four-eyes: ops or a supervisor proposes, a different supervisor approves or declines. */
@ApiTags('holds')
@ApiBearerAuth()
@Controller('api/v1/holds/:tradeId/release-requests')
export class HoldsController {
  constructor(private readonly requests: ReleaseRequests) {}

  @Post()
  @Roles('ops', 'supervisor')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
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
  approve(
    @Param('tradeId', new ParseUUIDPipe()) tradeId: string,
    @Param('requestId', new ParseUUIDPipe()) requestId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReleaseRequest> {
    return this.requests.approve(tradeId, requestId, principal.id);
  }

  @Post(':requestId/decline')
  @HttpCode(200)
  @Roles('supervisor')
  decline(
    @Param('tradeId', new ParseUUIDPipe()) tradeId: string,
    @Param('requestId', new ParseUUIDPipe()) requestId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReleaseRequest> {
    return this.requests.decline(tradeId, requestId, principal.id);
  }
}
