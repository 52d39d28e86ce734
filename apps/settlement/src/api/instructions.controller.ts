import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import { currentCorrelationId, paged, Roles, type Page } from '@postrade/platform';
import { ApplyStatusUpdateHandler } from '../application/apply-status-update/apply-status-update.command-handler';
import type { InstructionView } from '../application/instruction-resource';
import { SettlementQueries } from '../application/query-settlement/settlement-queries';
import type { StatusUpdate } from '../domain/instruction-status';
import { ListInstructionsQuery, StatusUpdateRequest } from './settlement.dto';

type Position = { createdAt: string; instructionId: string };
const isPosition = (v: unknown): v is Position =>
  typeof (v as Position)?.createdAt === 'string' && typeof (v as Position)?.instructionId === 'string' && /^[0-9a-f-]{36}$/.test((v as Position).instructionId);

@ApiTags('instructions')
@ApiBearerAuth()
@Controller('api/v1/instructions')
export class InstructionsController {
  constructor(
    private readonly queries: SettlementQueries,
    private readonly statusUpdates: ApplyStatusUpdateHandler,
  ) {}

  @Get()
  @Roles('ops', 'supervisor', 'auditor')
  list(@Query() query: ListInstructionsQuery): Promise<Page<InstructionView>> {
    const read = (after: Position | undefined, limit: number) =>
      this.queries.instructionList({ settlementStatus: query.status, intendedSettlementDate: query.isd, counterpartyLei: query.counterpartyLei, after, limit });
    return paged(query, read, { isPosition, positionOf: (i) => ({ createdAt: i.createdAt, instructionId: i.instructionId }) });
  }

  @Get(':id')
  @Roles('ops', 'supervisor', 'auditor')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<InstructionView> {
    return this.queries.instruction(id);
  }

  @Get(':id/sese023')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiProduces('application/xml')
  @Header('Content-Type', 'application/xml; charset=utf-8')
  sese023(@Param('id', new ParseUUIDPipe()) id: string): Promise<string> {
    return this.queries.sese023(id);
  }

  /** 200 with the instruction after the update; a replayed updateId returns it unchanged. */
  @Post(':id/status-updates')
  @HttpCode(200)
  @Roles('custodian')
  @ApiConsumes('application/json')
  update(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: StatusUpdateRequest): Promise<InstructionView> {
    return this.statusUpdates.applyNow(id, { ...body } as StatusUpdate, currentCorrelationId());
  }
}
