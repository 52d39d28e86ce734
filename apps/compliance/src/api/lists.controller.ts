import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { assertCurrency, assertIsin, assertLei, LocalDate, parseDecimal } from '@postrade/kernel';
import { CurrentPrincipal, paged, Roles, type Page, type Principal } from '@postrade/platform';
import { ComplianceLists, type ExposureLimit } from '../application/lists/compliance-lists';
import { LoadSanctionsListHandler, type SanctionsListLoaded } from '../application/sanctions/load-sanctions-list.command-handler';
import type { RestrictedListEntry } from '../domain/restricted-list';
import { LoadSanctionsListRequest, PutLimitRequest, PutRestrictionRequest, RestrictedListQuery } from './compliance.dto';

const isIsinPosition = (v: unknown): v is { isin: string } => typeof (v as { isin?: unknown })?.isin === 'string';

@ApiTags('restricted list')
@ApiBearerAuth()
@Controller('api/v1/restricted-list')
export class RestrictedListController {
  constructor(
    private readonly lists: ComplianceLists,
    private readonly db: DataSource,
  ) {}

  @Put(':isin')
  @Roles('ops', 'supervisor')
  put(@Param('isin') isin: string, @Body() body: PutRestrictionRequest, @CurrentPrincipal() principal: Principal): Promise<RestrictedListEntry> {
    return this.lists.putRestriction({ isin: assertIsin(isin), kind: body.kind, from: LocalDate.parse(body.from, 'from'), to: body.to ? LocalDate.parse(body.to, 'to') : null, reason: body.reason }, principal.id);
  }

  @Delete(':isin')
  @HttpCode(204)
  @Roles('ops', 'supervisor')
  delete(@Param('isin') isin: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    return this.lists.deleteRestriction(isin, principal.id);
  }

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
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
@ApiBearerAuth()
@Controller('api/v1/limits')
export class ExposureLimitsController {
  constructor(private readonly lists: ComplianceLists) {}

  @Put(':counterpartyLei/:currency')
  @Roles('ops', 'supervisor')
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
@ApiBearerAuth()
@Controller('api/v1/sanctions-lists')
export class SanctionsListsController {
  constructor(private readonly loader: LoadSanctionsListHandler) {}

  /** Loads a version of a list and re-screens every known counterparty against it. */
  @Post()
  @Roles('ops', 'supervisor')
  load(@Body() body: LoadSanctionsListRequest, @CurrentPrincipal() principal: Principal): Promise<SanctionsListLoaded> {
    return this.loader.execute({ source: body.source, version: body.version, entries: body.entries.map((e) => ({ ...e })) }, principal.id);
  }
}
