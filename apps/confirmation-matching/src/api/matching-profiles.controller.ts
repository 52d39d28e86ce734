import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { DomainError } from '@postrade/kernel';
import { CurrentPrincipal, ListQueryDto, paged, Roles, API_KEY_SECURITY_SCHEME, ApiPageResponse, ApiProblems, type Page, type Principal } from '@postrade/platform';
import { MatchingProfiles, type ProfileView } from '../application/manage-profiles/matching-profiles';
import type { ProfileChange } from '../domain/profile-change';
import { ListProfileChangesQuery, PutMatchingProfileRequest } from './matching.dto';
import { MatchingProfileDto, ProfileChangeDto } from './matching.responses';

const PROFILE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const isName = (v: unknown): v is string => typeof v === 'string';
const isChangePosition = (v: unknown): v is { requestedAt: string; changeId: string } =>
  typeof (v as { requestedAt?: unknown })?.requestedAt === 'string' && /^[0-9a-f-]{36}$/.test(String((v as { changeId?: unknown })?.changeId));

function profileName(name: string): string {
  if (!PROFILE_NAME.test(name)) throw DomainError.invalid('name', 'must be 1 to 64 letters, digits, "-" or "_"');
  return name;
}

@ApiTags('matching profiles')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/matching-profiles')
export class MatchingProfilesController {
  constructor(private readonly profiles: MatchingProfiles) {}

  @Put(':name')
  @HttpCode(202)
  @Roles('ops', 'supervisor')
  @ApiOperation({
    summary: 'Propose a new or replaced matching profile (maker-checker): 202 with the PENDING change, applied once someone else approves it, from effectiveFrom if given',
  })
  @ApiResponse({ status: 202, type: ProfileChangeDto, description: 'Proposed: waits for approval by another ops or a supervisor.' })
  @ApiProblems(400, 401, 403, 404, 409)
  put(@Param('name') name: string, @Body() body: PutMatchingProfileRequest, @CurrentPrincipal() principal: Principal): Promise<ProfileChange> {
    return this.profiles.propose(
      { name: profileName(name), rules: body.rules, autoAffirm: body.autoAffirm, fourEyes: body.fourEyes ?? true, counterparties: body.counterparties ?? [], currencies: body.currencies ?? [] },
      { effectiveFrom: body.effectiveFrom, reason: body.reason, by: principal.id },
    );
  }

  @Get(':name')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'One matching profile as it applies now, with its approved changes still to come (scheduledChanges)' })
  @ApiOkResponse({ type: MatchingProfileDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('name') name: string): Promise<ProfileView> {
    return this.profiles.get(name);
  }

  /**
   * Pages in memory: every matching transaction reads all profiles anyway (they are few by design),
   * and the repository has no keyset read of its own yet.
   */
  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Matching profiles' })
  @ApiPageResponse(MatchingProfileDto)
  @ApiProblems(400, 401, 403)
  list(@Query() query: ListQueryDto): Promise<Page<ProfileView>> {
    return paged(
      query,
      async (after, limit) => (await this.profiles.list()).filter((p) => after === undefined || p.name > after).slice(0, limit),
      { isPosition: isName, positionOf: (p) => p.name },
    );
  }

  @Get(':name/changes/:changeId')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'One change to a matching profile' })
  @ApiOkResponse({ type: ProfileChangeDto })
  @ApiProblems(400, 401, 403, 404)
  change(@Param('name') name: string, @Param('changeId', new ParseUUIDPipe()) changeId: string): Promise<ProfileChange> {
    return this.profiles.change(profileName(name), changeId);
  }

  @Post(':name/changes/:changeId/approve')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  @ApiOperation({
    summary:
      'Approve a PENDING profile change (anyone but its proposer: 403): APPLIED now, open pairs re-evaluated, or SCHEDULED until its effectiveFrom; 409 if the profile changed since it was proposed',
  })
  @ApiOkResponse({ type: ProfileChangeDto })
  @ApiProblems(400, 401, 403, 404, 409)
  approve(@Param('name') name: string, @Param('changeId', new ParseUUIDPipe()) changeId: string, @CurrentPrincipal() principal: Principal): Promise<ProfileChange> {
    return this.profiles.approve(profileName(name), changeId, principal.id);
  }

  @Post(':name/changes/:changeId/decline')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Decline a PENDING profile change, or withdraw a SCHEDULED one before it applies (its proposer may too)' })
  @ApiOkResponse({ type: ProfileChangeDto })
  @ApiProblems(400, 401, 403, 404, 409)
  decline(@Param('name') name: string, @Param('changeId', new ParseUUIDPipe()) changeId: string, @CurrentPrincipal() principal: Principal): Promise<ProfileChange> {
    return this.profiles.decline(profileName(name), changeId, principal.id);
  }
}

@ApiTags('matching profiles')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/matching-profile-changes')
export class MatchingProfileChangesController {
  constructor(private readonly profiles: MatchingProfiles) {}

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Changes to matching profiles, oldest proposal first: status=PENDING is the approver\'s queue' })
  @ApiPageResponse(ProfileChangeDto)
  @ApiProblems(400, 401, 403)
  list(@Query() query: ListProfileChangesQuery): Promise<Page<ProfileChange>> {
    return paged(query, (after, limit) => this.profiles.listChanges({ status: query.status, profile: query.profile, after, limit }), {
      isPosition: isChangePosition,
      positionOf: (c) => ({ requestedAt: c.requestedAt, changeId: c.changeId }),
    });
  }
}
