import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { assertCurrency, assertIsin, assertLei, LocalDate, parseDecimal } from '@postrade/kernel';
import { CurrentPrincipal, paged, Roles, API_KEY_SECURITY_SCHEME, ApiProblems, type Page, type Principal } from '@postrade/platform';
import { ComplianceLists, type ExposureLimit } from '../application/lists/compliance-lists';
import { LoadSanctionsListHandler, type SanctionsListLoaded, type SanctionsListLoadPending } from '../application/sanctions/load-sanctions-list.command-handler';
import type { RestrictedListEntry } from '../domain/restricted-list';
import { LoadSanctionsListRequest, PutLimitRequest, PutRestrictionRequest, RestrictedListQuery } from './compliance.dto';
import { ExposureLimitDto, RestrictedListEntryDto, RestrictedListListResponseDto, SanctionsListLoadedDto } from './compliance.responses';
import { SanctionsListLoadPendingDto } from './sanctions-reviews.dto';

const isIsinPosition = (v: unknown): v is { isin: string } => typeof (v as { isin?: unknown })?.isin === 'string';

@ApiTags('restricted list')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/restricted-list')
export class RestrictedListController {
  constructor(
    private readonly lists: ComplianceLists,
    private readonly db: DataSource,
  ) {}

  @Put(':isin')
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Add or replace an ISIN on the restricted list' })
  @ApiOkResponse({ type: RestrictedListEntryDto })
  @ApiProblems(400, 401, 403, 404)
  put(@Param('isin') isin: string, @Body() body: PutRestrictionRequest, @CurrentPrincipal() principal: Principal): Promise<RestrictedListEntry> {
    return this.lists.putRestriction({ isin: assertIsin(isin), kind: body.kind, from: LocalDate.parse(body.from, 'from'), to: body.to ? LocalDate.parse(body.to, 'to') : null, reason: body.reason }, principal.id);
  }

  @Delete(':isin')
  @HttpCode(204)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Remove an ISIN from the restricted list' })
  @ApiNoContentResponse({ description: 'Done; no body.' })
  @ApiProblems(400, 401, 403, 404)
  delete(@Param('isin') isin: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    return this.lists.deleteRestriction(isin, principal.id);
  }

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'The restricted list as of now' })
  @ApiOkResponse({ type: RestrictedListListResponseDto })
  @ApiProblems(400, 401, 403)
  async list(@Query() query: RestrictedListQuery): Promise<Page<RestrictedListEntry> & { asOf: string }> {
    const asOf = query.asOf ? LocalDate.parse(query.asOf, 'asOf') : LocalDate.todayUtc();
    const page = await paged(query, (after, limit) => this.lists.restrictionsInForce(this.db.manager, asOf, limit, after?.isin), {
      isPosition: isIsinPosition,
      positionOf: (entry) => ({ isin: entry.isin }),
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
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Set the exposure limit of a counterparty in a currency' })
  @ApiOkResponse({ type: ExposureLimitDto })
  @ApiProblems(400, 401, 403, 404)
  put(
    @Param('counterpartyLei') counterpartyLei: string,
    @Param('currency') currency: string,
    @Body() body: PutLimitRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ExposureLimit> {
    return this.lists.putLimit(assertLei(counterpartyLei, 'counterpartyLei'), assertCurrency(currency), parseDecimal(body.limit, 'limit'), principal.id);
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
