import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { assertCurrency, assertIsin, assertLei, LocalDate, parseDecimal, toDecimalString } from '@postrade/kernel';
import { CurrentPrincipal, paged, Roles, API_KEY_SECURITY_SCHEME, ApiPageResponse, ApiProblems, type Page, type Principal } from '@postrade/platform';
import { ComplianceLists } from '../application/lists/compliance-lists';
import type { ControlChange, LargeTraderThresholds } from '../domain/control-change';
import { LoadSanctionsListHandler, type SanctionsListLoaded, type SanctionsListLoadPending } from '../application/sanctions/load-sanctions-list.command-handler';
import type { RestrictedListEntry } from '../domain/restricted-list';
import { LoadSanctionsListRequest, PutLimitRequest, PutRestrictionRequest, RestrictedListQuery } from './compliance.dto';
import { RestrictedListListResponseDto, SanctionsListLoadedDto } from './compliance.responses';
import { ControlChangeDto, ControlChangesQuery, LargeTraderThresholdsDto, PutThresholdsRequest, RemoveRestrictionRequest, ThresholdsQuery } from './controls.dto';
import { SanctionsListLoadPendingDto } from './sanctions-reviews.dto';

const isRestrictionPosition = (v: unknown): v is { isin: string; kind: string } =>
  typeof (v as { isin?: unknown })?.isin === 'string' && typeof (v as { kind?: unknown })?.kind === 'string';

type ChangePosition = { proposedAt: string; id: string };
const isChangePosition = (v: unknown): v is ChangePosition =>
  typeof (v as ChangePosition)?.proposedAt === 'string' && typeof (v as ChangePosition)?.id === 'string' && /^[0-9a-f-]{36}$/.test((v as ChangePosition).id);

const FOUR_EYES = 'Proposed (four eyes): applied when a supervisor other than the proposer approves it (POST /api/v1/control-changes/{changeId}/approve).';

@ApiTags('restricted list')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/restricted-list')
export class RestrictedListController {
  constructor(
    private readonly lists: ComplianceLists,
    private readonly db: DataSource,
  ) {}

  @Put(':isin')
  @HttpCode(202)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Propose adding or replacing an ISIN on the restricted or watch list (four eyes)' })
  @ApiAcceptedResponse({ type: ControlChangeDto, description: FOUR_EYES })
  @ApiProblems(400, 401, 403, 404, 409)
  put(@Param('isin') isin: string, @Body() body: PutRestrictionRequest, @CurrentPrincipal() principal: Principal): Promise<ControlChange> {
    const entry = { isin: assertIsin(isin), kind: body.kind, from: LocalDate.parse(body.from, 'from'), to: body.to ? LocalDate.parse(body.to, 'to') : null, reason: body.reason };
    return this.lists.propose({ kind: 'RESTRICTION', entry }, body.reason, principal.id);
  }

  @Delete(':isin')
  @HttpCode(202)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Propose removing an ISIN from the restricted or watch list (four eyes)' })
  @ApiAcceptedResponse({ type: ControlChangeDto, description: FOUR_EYES })
  @ApiProblems(400, 401, 403, 404, 409)
  delete(@Param('isin') isin: string, @Body() body: RemoveRestrictionRequest, @CurrentPrincipal() principal: Principal): Promise<ControlChange> {
    return this.lists.propose({ kind: 'RESTRICTION_REMOVAL', isin: assertIsin(isin) }, body?.reason ?? 'removed from the list', principal.id);
  }

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'The restricted list as of now' })
  @ApiOkResponse({ type: RestrictedListListResponseDto })
  @ApiProblems(400, 401, 403)
  async list(@Query() query: RestrictedListQuery): Promise<Page<RestrictedListEntry> & { asOf: string }> {
    const asOf = query.asOf ? LocalDate.parse(query.asOf, 'asOf') : LocalDate.todayUtc();
    const page = await paged(query, (after, limit) => this.lists.restrictionsInForce(this.db.manager, asOf, limit, after), {
      isPosition: isRestrictionPosition,
      positionOf: (entry) => ({ isin: entry.isin, kind: entry.kind }),
    });
    return { asOf, ...page };
  }
}

@ApiTags('exposure limits')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/limits')
export class ExposureLimitsController {
  constructor(private readonly lists: ComplianceLists) {}

  @Put(':counterpartyLei/:currency')
  @HttpCode(202)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Propose the exposure limit of a counterparty in a currency, from a date (four eyes)' })
  @ApiAcceptedResponse({ type: ControlChangeDto, description: FOUR_EYES })
  @ApiProblems(400, 401, 403, 404, 409)
  put(
    @Param('counterpartyLei') counterpartyLei: string,
    @Param('currency') currency: string,
    @Body() body: PutLimitRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ControlChange> {
    const limit = {
      counterpartyLei: assertLei(counterpartyLei, 'counterpartyLei'),
      currency: assertCurrency(currency),
      limit: toDecimalString(parseDecimal(body.limit, 'limit')),
      effectiveFrom: body.effectiveFrom ? LocalDate.parse(body.effectiveFrom, 'effectiveFrom') : LocalDate.todayUtc(),
    };
    return this.lists.propose({ kind: 'EXPOSURE_LIMIT', limit }, body.reason ?? 'exposure limit', principal.id);
  }
}

@ApiTags('large-trader thresholds')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/large-trader-thresholds')
export class LargeTraderThresholdsController {
  constructor(
    private readonly lists: ComplianceLists,
    private readonly db: DataSource,
  ) {}

  @Put()
  @HttpCode(202)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Propose the large-trader thresholds (SEC 13h-1, per book and trade date) from a date (four eyes)' })
  @ApiAcceptedResponse({ type: ControlChangeDto, description: FOUR_EYES })
  @ApiProblems(400, 401, 403, 409)
  put(@Body() body: PutThresholdsRequest, @CurrentPrincipal() principal: Principal): Promise<ControlChange> {
    const thresholds = {
      shares: toDecimalString(parseDecimal(body.shares, 'shares')),
      usdNotional: toDecimalString(parseDecimal(body.usdNotional, 'usdNotional')),
      effectiveFrom: body.effectiveFrom ? LocalDate.parse(body.effectiveFrom, 'effectiveFrom') : LocalDate.todayUtc(),
    };
    return this.lists.propose({ kind: 'LARGE_TRADER_THRESHOLDS', thresholds }, body.reason, principal.id);
  }

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'The large-trader thresholds in force on a date' })
  @ApiOkResponse({ type: LargeTraderThresholdsDto })
  @ApiProblems(400, 401, 403)
  async get(@Query() query: ThresholdsQuery): Promise<LargeTraderThresholds & { asOf: string }> {
    const asOf = query.asOf ? LocalDate.parse(query.asOf, 'asOf') : LocalDate.todayUtc();
    return { ...(await this.lists.largeTraderThresholds(this.db.manager, asOf)), asOf };
  }
}

/** Four eyes on lists, limits and thresholds: the pending changes, and a second person's approval or decline. */
@ApiTags('control changes')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/control-changes')
export class ControlChangesController {
  constructor(
    private readonly lists: ComplianceLists,
    private readonly db: DataSource,
  ) {}

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Proposed changes to the restricted/watch list, exposure limits and large-trader thresholds, oldest first, optionally of one status' })
  @ApiPageResponse(ControlChangeDto)
  @ApiProblems(400, 401, 403)
  list(@Query() query: ControlChangesQuery): Promise<Page<ControlChange>> {
    return paged(query, (after: ChangePosition | undefined, limit) => this.lists.changesList(this.db.manager, limit, after, query.status), {
      isPosition: isChangePosition,
      positionOf: (c) => ({ proposedAt: c.proposedAt, id: c.changeId }),
    });
  }

  @Post(':changeId/approve')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Approve a proposed change (a supervisor other than the proposer: 403): it applies now, audited with before and after' })
  @ApiOkResponse({ type: ControlChangeDto })
  @ApiProblems(400, 401, 403, 404, 409)
  approve(@Param('changeId', new ParseUUIDPipe()) changeId: string, @CurrentPrincipal() principal: Principal): Promise<ControlChange> {
    return this.lists.approve(changeId, principal.id);
  }

  @Post(':changeId/decline')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Decline a proposed change: nothing changes' })
  @ApiOkResponse({ type: ControlChangeDto })
  @ApiProblems(400, 401, 403, 404, 409)
  decline(@Param('changeId', new ParseUUIDPipe()) changeId: string, @CurrentPrincipal() principal: Principal): Promise<ControlChange> {
    return this.lists.decline(changeId, principal.id);
  }
}

@ApiTags('sanctions')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/sanctions-lists')
export class SanctionsListsController {
  constructor(private readonly loader: LoadSanctionsListHandler) {}

  /**
   * Loads a version of a list and re-screens every known counterparty against it; a version that
   * removes more than COMPLIANCE_LIST_REMOVAL_APPROVAL_SHARE of the current entries is held (202)
   * for a supervisor's approval (POST /api/v1/sanctions-lists/loads/{loadId}/approve).
   */
  @Post()
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Load a sanctions list (replacing the previous one of its source)' })
  @ApiCreatedResponse({ type: SanctionsListLoadedDto })
  @ApiAcceptedResponse({ type: SanctionsListLoadPendingDto, description: 'Held: it would remove too many current entries; a supervisor other than the loader must approve it.' })
  @ApiProblems(400, 401, 403)
  async load(
    @Body() body: LoadSanctionsListRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SanctionsListLoaded | SanctionsListLoadPending> {
    const result = await this.loader.execute({ source: body.source, version: body.version, entries: body.entries.map((e) => ({ ...e })) }, principal.id);
    if ('pending' in result) response.status(202);
    return result;
  }
}
