import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@postrade/kernel';
import { decodeCursor, ListQueryDto, pageOf, Roles, type Page } from '@postrade/platform';
import { MatchingProfiles } from '../application/manage-profiles/matching-profiles';
import type { MatchingProfile } from '../domain/matching-profile';
import { PutMatchingProfileRequest } from './matching.dto';

const PROFILE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

@ApiTags('matching profiles')
@ApiBearerAuth()
@Controller('api/v1/matching-profiles')
export class MatchingProfilesController {
  constructor(private readonly profiles: MatchingProfiles) {}

  @Put(':name')
  @Roles('ops', 'supervisor')
  put(@Param('name') name: string, @Body() body: PutMatchingProfileRequest): Promise<MatchingProfile> {
    if (!PROFILE_NAME.test(name)) throw DomainError.invalid('name', 'must be 1 to 64 letters, digits, "-" or "_"');
    return this.profiles.put({ name, rules: body.rules, autoAffirm: body.autoAffirm, counterparties: body.counterparties ?? [], currencies: body.currencies ?? [] });
  }

  @Get(':name')
  @Roles('ops', 'supervisor', 'auditor')
  get(@Param('name') name: string): Promise<MatchingProfile> {
    return this.profiles.get(name);
  }

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  async list(@Query() query: ListQueryDto): Promise<Page<MatchingProfile>> {
    const after = query.cursor ? decodeCursor(query.cursor, (v): v is string => typeof v === 'string') : undefined;
    const rows = (await this.profiles.list()).filter((p) => after === undefined || p.name > after);
    return pageOf(rows, query.limit, { positionOf: (p) => p.name });
  }
}
