import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { marketToday } from '@postrade/kernel';
import { API_KEY_SECURITY_SCHEME, ApiProblems, CurrentPrincipal, paged, Roles, type Principal } from '@postrade/platform';
import { CashPenaltyRateChanges, type CashPenaltyRatesView } from '../application/maintain-cash-penalty-rates/cash-penalty-rate-changes';
import { FailsQueries } from '../application/query-settlement/fails-queries';
import type { CashPenaltyRateChange } from '../domain/penalty-rate-change';
import { CashPenaltyRateQuery, FailsViewQuery, ProposeCashPenaltyRateRequest } from './penalties.dto';
import { CashPenaltyRateChangeDto, CashPenaltyRatesDto, FailsViewResponseDto } from './penalties.responses';

const isText = (v: unknown): v is string => typeof v === 'string';

@ApiTags('settlement days, fails and penalties')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/fails')
export class FailsController {
  constructor(private readonly fails: FailsQueries) {}

  /** What failed at a closed day's close: ageing, penalties so far and that day, the next day's forecast. */
  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Fails of a closed settlement day: ageing buckets, penalty cost so far and per day, and a forecast of the next day’s penalties' })
  @ApiOkResponse({ type: FailsViewResponseDto })
  @ApiProblems(400, 401, 403)
  async view(@Query() query: FailsViewQuery) {
    const asOf = query.asOf ?? (await this.fails.defaultAsOf());
    const page = await paged(query, (after, limit) => this.fails.page(asOf, after, limit), { isPosition: isText, positionOf: (f) => f.instructionId });
    return { asOf, summary: await this.fails.summary(asOf), ...page };
  }
}

/** Cash penalty rates per currency, effective-dated, with four eyes: ops or a supervisor proposes, a different supervisor approves or declines. */
@ApiTags('settlement reference data')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/cash-penalty-rates/:currency')
export class CashPenaltyRatesController {
  constructor(private readonly rates: CashPenaltyRateChanges) {}

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'A currency’s cash penalty rate in force on a day, the rates over time, and every change with its history' })
  @ApiOkResponse({ type: CashPenaltyRatesDto })
  @ApiProblems(400, 401, 403, 404)
  view(@Param('currency') currency: string, @Query() query: CashPenaltyRateQuery): Promise<CashPenaltyRatesView> {
    return this.rates.view(currency, query.asOf ?? marketToday('EU'));
  }

  @Post('changes')
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Propose a cash penalty rate from a date (four eyes: in force once another person approves it)' })
  @ApiCreatedResponse({ type: CashPenaltyRateChangeDto })
  @ApiProblems(400, 401, 403, 404)
  propose(@Param('currency') currency: string, @Body() body: ProposeCashPenaltyRateRequest, @CurrentPrincipal() principal: Principal): Promise<CashPenaltyRateChange> {
    return this.rates.propose(currency, { effectiveFrom: body.effectiveFrom, annualPercent: body.annualPercent, reason: body.reason }, principal.id);
  }

  @Post('changes/:changeId/approve')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Approve a proposed cash penalty rate (a supervisor other than the proposer)' })
  @ApiOkResponse({ type: CashPenaltyRateChangeDto })
  @ApiProblems(400, 401, 403, 404, 409)
  approve(@Param('currency') currency: string, @Param('changeId', new ParseUUIDPipe()) changeId: string, @CurrentPrincipal() principal: Principal): Promise<CashPenaltyRateChange> {
    return this.rates.approve(currency, changeId, principal.id);
  }

  @Post('changes/:changeId/decline')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Decline a proposed cash penalty rate' })
  @ApiOkResponse({ type: CashPenaltyRateChangeDto })
  @ApiProblems(400, 401, 403, 404, 409)
  decline(@Param('currency') currency: string, @Param('changeId', new ParseUUIDPipe()) changeId: string, @CurrentPrincipal() principal: Principal): Promise<CashPenaltyRateChange> {
    return this.rates.decline(currency, changeId, principal.id);
  }
}
