import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { DomainError } from '@postrade/kernel';
import { ListQueryDto, paged, Roles, API_KEY_SECURITY_SCHEME, ApiPageResponse, ApiProblems, type Page } from '@postrade/platform';
import { MatchingProfiles } from '../application/manage-profiles/matching-profiles';
import type { MatchingProfile } from '../domain/matching-profile';
import { PutMatchingProfileRequest } from './matching.dto';
import { MatchingProfileDto } from './matching.responses';

const PROFILE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const isName = (v: unknown): v is string => typeof v === 'string';

@ApiTags('matching profiles')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/matching-profiles')
export class MatchingProfilesController {
  constructor(private readonly profiles: MatchingProfiles) {}

  @Put(':name')
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Create or replace a matching profile (tolerances and rules)' })
  @ApiOkResponse({ type: MatchingProfileDto })
  @ApiProblems(400, 401, 403, 404)
  put(@Param('name') name: string, @Body() body: PutMatchingProfileRequest): Promise<MatchingProfile> {
    if (!PROFILE_NAME.test(name)) throw DomainError.invalid('name', 'must be 1 to 64 letters, digits, "-" or "_"');
    return this.profiles.put({ name, rules: body.rules, autoAffirm: body.autoAffirm, fourEyes: body.fourEyes ?? true, counterparties: body.counterparties ?? [], currencies: body.currencies ?? [] });
  }

  @Get(':name')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'One matching profile' })
  @ApiOkResponse({ type: MatchingProfileDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('name') name: string): Promise<MatchingProfile> {
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
  list(@Query() query: ListQueryDto): Promise<Page<MatchingProfile>> {
    return paged(
      query,
      async (after, limit) => (await this.profiles.list()).filter((p) => after === undefined || p.name > after).slice(0, limit),
      { isPosition: isName, positionOf: (p) => p.name },
    );
  }
}
