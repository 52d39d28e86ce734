import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, paged, Roles, API_KEY_SECURITY_SCHEME, ApiPageResponse, ApiProblems, type Page, type Principal } from '@postrade/platform';
import { SanctionsFalsePositives } from '../application/sanctions/false-positives';
import { LoadSanctionsListHandler, type SanctionsListLoaded } from '../application/sanctions/load-sanctions-list.command-handler';
import type { PendingSanctionsListLoad, SanctionsFalsePositive } from '../domain/sanctions/sanctions-reviews';
import { SanctionsReviewRepository } from '../persistence/sanctions-review.repository';
import { SanctionsListLoadedDto } from './compliance.responses';
import { PendingSanctionsListLoadDto, ProposeFalsePositiveRequest, ReviewsQuery, SanctionsFalsePositiveDto } from './sanctions-reviews.dto';

type Position = { proposedAt: string; id: string };
const isPosition = (v: unknown): v is Position => typeof (v as Position)?.proposedAt === 'string' && typeof (v as Position)?.id === 'string' && /^[0-9a-f-]{36}$/.test((v as Position).id);

/** The false-positive ("good guy") list: four-eyes decisions that a counterparty is not a listed entry. */
@ApiTags('sanctions')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/sanctions/false-positives')
export class SanctionsFalsePositivesController {
  constructor(
    private readonly falsePositives: SanctionsFalsePositives,
    private readonly reviews: SanctionsReviewRepository,
    private readonly db: DataSource,
  ) {}

  @Post()
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Propose that a counterparty is not an entry of the current version of a sanctions list' })
  @ApiCreatedResponse({ type: SanctionsFalsePositiveDto })
  @ApiProblems(400, 401, 403, 404, 422)
  propose(@Body() body: ProposeFalsePositiveRequest, @CurrentPrincipal() principal: Principal): Promise<SanctionsFalsePositive> {
    return this.falsePositives.propose({ counterpartyLei: body.counterpartyLei, source: body.source, entryId: body.entryId, listVersion: body.listVersion, reason: body.reason }, principal.id);
  }

  @Post(':falsePositiveId/approve')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Approve a false-positive decision (a supervisor other than the proposer)' })
  @ApiOkResponse({ type: SanctionsFalsePositiveDto })
  @ApiProblems(400, 401, 403, 404, 409)
  approve(@Param('falsePositiveId', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal): Promise<SanctionsFalsePositive> {
    return this.falsePositives.approve(id, principal.id);
  }

  @Post(':falsePositiveId/decline')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Decline a false-positive decision' })
  @ApiOkResponse({ type: SanctionsFalsePositiveDto })
  @ApiProblems(400, 401, 403, 404, 409)
  decline(@Param('falsePositiveId', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal): Promise<SanctionsFalsePositive> {
    return this.falsePositives.decline(id, principal.id);
  }

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'The false-positive decisions, oldest first, optionally of one status' })
  @ApiPageResponse(SanctionsFalsePositiveDto)
  @ApiProblems(400, 401, 403)
  list(@Query() query: ReviewsQuery): Promise<Page<SanctionsFalsePositive>> {
    return paged(query, (after: Position | undefined, limit) => this.reviews.falsePositives(this.db.manager, limit, after, query.status), {
      isPosition,
      positionOf: (d) => ({ proposedAt: d.proposedAt, id: d.falsePositiveId }),
    });
  }
}

/** List loads waiting for a supervisor because they would remove too many current entries. */
@ApiTags('sanctions')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/sanctions-lists/loads')
export class SanctionsListLoadsController {
  constructor(
    private readonly loader: LoadSanctionsListHandler,
    private readonly reviews: SanctionsReviewRepository,
    private readonly db: DataSource,
  ) {}

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'List loads held for approval, oldest first, optionally of one status' })
  @ApiPageResponse(PendingSanctionsListLoadDto)
  @ApiProblems(400, 401, 403)
  list(@Query() query: ReviewsQuery): Promise<Page<PendingSanctionsListLoad>> {
    return paged(query, (after: Position | undefined, limit) => this.reviews.loads(this.db.manager, limit, after, query.status), {
      isPosition,
      positionOf: (l) => ({ proposedAt: l.proposedAt, id: l.loadId }),
    });
  }

  @Post(':loadId/approve')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Approve a held list load (a supervisor other than the loader): it becomes current and re-screens' })
  @ApiOkResponse({ type: SanctionsListLoadedDto })
  @ApiProblems(400, 401, 403, 404, 409)
  approve(@Param('loadId', new ParseUUIDPipe()) loadId: string, @CurrentPrincipal() principal: Principal): Promise<SanctionsListLoaded & { load: PendingSanctionsListLoad }> {
    return this.loader.approve(loadId, principal.id);
  }

  @Post(':loadId/decline')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Decline a held list load: the current version stays' })
  @ApiOkResponse({ type: PendingSanctionsListLoadDto })
  @ApiProblems(400, 401, 403, 404, 409)
  decline(@Param('loadId', new ParseUUIDPipe()) loadId: string, @CurrentPrincipal() principal: Principal): Promise<PendingSanctionsListLoad> {
    return this.loader.decline(loadId, principal.id);
  }
}
