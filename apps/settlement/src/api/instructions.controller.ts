import { DomainError } from '@postrade/kernel';
import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiProduces, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { currentCorrelationId, CurrentPrincipal, paged, Roles, API_KEY_SECURITY_SCHEME, ApiPageResponse, ApiProblems, type Page, type Principal } from '@postrade/platform';
import { ApplyStatusUpdateHandler } from '../application/apply-status-update/apply-status-update.command-handler';
import type { InstructionView } from '../application/instruction-resource';
import { SettlementQueries } from '../application/query-settlement/settlement-queries';
import type { StatusUpdate } from '../domain/instruction-status';
import { ListInstructionsQuery, StatusUpdateRequest } from './settlement.dto';
import { InstructionViewDto } from './settlement.responses';

type Position = { createdAt: string; instructionId: string };
const isPosition = (v: unknown): v is Position =>
  typeof (v as Position)?.createdAt === 'string' && typeof (v as Position)?.instructionId === 'string' && /^[0-9a-f-]{36}$/.test((v as Position).instructionId);

@ApiTags('instructions')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/instructions')
export class InstructionsController {
  constructor(
    private readonly queries: SettlementQueries,
    private readonly statusUpdates: ApplyStatusUpdateHandler,
  ) {}

  @Get()
  @Roles('ops', 'supervisor', 'auditor', 'custodian')
  @ApiOperation({ summary: 'Settlement instructions, filtered by status, settlement date and counterparty (a custodian key bound to an agent lists only that agent\'s)' })
  @ApiPageResponse(InstructionViewDto)
  @ApiProblems(400, 401, 403)
  list(@Query() query: ListInstructionsQuery, @CurrentPrincipal() by?: Principal): Promise<Page<InstructionView>> {
    const read = (after: Position | undefined, limit: number) =>
      this.queries.instructionList({
        settlementStatus: query.status,
        intendedSettlementDate: query.isd,
        counterpartyLei: query.counterpartyLei,
        ourAgentBic: by?.role === 'custodian' ? by.agentBic : undefined,
        after,
        limit,
      });
    return paged(query, read, { isPosition, positionOf: (i) => ({ createdAt: i.createdAt, instructionId: i.instructionId }) });
  }

  @Get(':id')
  @Roles('ops', 'supervisor', 'auditor', 'custodian')
  @ApiOperation({ summary: 'One settlement instruction with its status history (a custodian key bound to an agent reads only that agent\'s: another is 404)' })
  @ApiOkResponse({ type: InstructionViewDto })
  @ApiProblems(400, 401, 403, 404)
  async get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by?: Principal): Promise<InstructionView> {
    const instruction = await this.queries.instruction(id);
    const agentBic = by?.role === 'custodian' ? by.agentBic : undefined;
    if (agentBic !== undefined && (instruction.ssis.ours as { agentBic?: string } | null)?.agentBic !== agentBic) throw DomainError.notFound('Instruction', id);
    return instruction;
  }

  @Get(':id/sese023')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiProduces('application/xml')
  @Header('Content-Type', 'application/xml; charset=utf-8')
  @ApiOperation({ summary: 'A settlement instruction as ISO 20022 sese.023 XML' })
  @ApiOkResponse({ description: 'The ISO 20022 XML document.', content: { 'application/xml': { schema: { type: 'string' } } } })
  // 409 SSI_MISSING: an instruction without both SSIs is never rendered (the problem names the missing one).
  @ApiProblems(400, 401, 403, 404, 409)
  sese023(@Param('id', new ParseUUIDPipe()) id: string): Promise<string> {
    return this.queries.sese023(id);
  }

  /** 200 with the instruction after the update; a replayed updateId returns it unchanged. */
  @Post(':id/status-updates')
  @HttpCode(200)
  @Roles('custodian')
  @ApiConsumes('application/json')
  @ApiOperation({ summary: 'Apply a custodian status update to an instruction (a replayed updateId answers the instruction unchanged)' })
  @ApiOkResponse({ type: InstructionViewDto, description: 'The instruction after the update; a replayed updateId answers it unchanged.' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  update(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: StatusUpdateRequest, @CurrentPrincipal() by?: Principal): Promise<InstructionView> {
    // A custodian key bound to an agent reaches only that agent's instructions (another one is 404); the sender is recorded with the update.
    const sender = by === undefined ? undefined : { id: by.id, agentBic: by.agentBic };
    return this.statusUpdates.applyNow(id, { ...body } as StatusUpdate, currentCorrelationId(), sender);
  }
}
