import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags, ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { DomainError } from '@postrade/kernel';
import { CurrentPrincipal, paged, Roles, API_KEY_SECURITY_SCHEME, ApiPageResponse, ApiProblems, type Page, type Principal } from '@postrade/platform';
import { SubmitConfirmationHandler } from '../application/submit-confirmation/submit-confirmation.command-handler';
import { MatchQueries, type ReceivedPosition, type Reader } from '../application/query-matches/match-queries';
import type { ConfirmationResource } from '../application/rematch/match-resources';
import { confirmationTermsOf } from '../domain/confirmation';
import { CounterpartyActionsHandler } from '../application/counterparty-actions/counterparty-actions.command-handler';
import { CancelConfirmationRequest, ListConfirmationsQuery, SubmitConfirmationRequest } from './matching.dto';
import { ConfirmationDto } from './matching.responses';

const isPosition = (v: unknown): v is ReceivedPosition =>
  typeof (v as ReceivedPosition)?.receivedAt === 'string' && /^[0-9a-f-]{36}$/.test(String((v as ReceivedPosition)?.id));

const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** A counterparty key reads and writes only for its own LEI. */
export function readerOf(principal: Principal): Reader {
  return principal.role === 'counterparty' ? { senderLei: principal.lei } : {};
}

@ApiTags('confirmations')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/confirmations')
export class ConfirmationsController {
  constructor(
    private readonly submissions: SubmitConfirmationHandler,
    private readonly queries: MatchQueries,
    private readonly counterpartyActions: CounterpartyActionsHandler,
  ) {}

  @Post()
  @HttpCode(202)
  @Roles('counterparty', 'ops', 'supervisor')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOperation({ summary: "Submit a counterparty's confirmation of a trade (accepted for matching)" })
  @ApiResponse({ status: 202, type: ConfirmationDto, description: 'Accepted for matching; a replay of the same Idempotency-Key answers the confirmation it created, nothing done twice.' })
  @ApiProblems(400, 401, 403, 422)
  submit(
    @Body() body: SubmitConfirmationRequest,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<ConfirmationResource> {
    if (principal.role === 'counterparty' && body.senderLei !== principal.lei) {
      throw DomainError.forbidden(`senderLei: this key may send confirmations for ${principal.lei} only`);
    }
    if (idempotencyKey !== undefined && (idempotencyKey.trim() === '' || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      throw DomainError.invalid('Idempotency-Key', `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    }
    const terms = confirmationTermsOf(body);
    return this.submissions.submit(terms, idempotencyKey === undefined ? undefined : { principal: principal.id, key: idempotencyKey });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('counterparty', 'ops', 'supervisor')
  @ApiOperation({ summary: 'Cancel a confirmation (its sender, or operations for it): its current version pairs with nothing and is CANCELLED' })
  @ApiOkResponse({ type: ConfirmationDto })
  @ApiProblems(400, 401, 403, 404, 409)
  cancel(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: CancelConfirmationRequest, @CurrentPrincipal() principal: Principal): Promise<ConfirmationResource> {
    return this.counterpartyActions.cancelConfirmation(id, body.reason, { ...readerOf(principal), principalId: principal.id });
  }

  @Get(':id')
  @Roles('counterparty', 'ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'One confirmation' })
  @ApiOkResponse({ type: ConfirmationDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal): Promise<ConfirmationResource> {
    return this.queries.confirmation(id, readerOf(principal));
  }

  @Get()
  @Roles('counterparty', 'ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Confirmations, filtered' })
  @ApiPageResponse(ConfirmationDto)
  @ApiProblems(400, 401, 403)
  list(@Query() query: ListConfirmationsQuery, @CurrentPrincipal() principal: Principal): Promise<Page<ConfirmationResource>> {
    const { cursor: _cursor, limit: _limit, ...filter } = query;
    return paged(query, (after, limit) => this.queries.listConfirmations({ ...filter, after, limit }, readerOf(principal)), {
      isPosition,
      positionOf: (c) => ({ receivedAt: c.receivedAt, id: c.id }),
    });
  }
}
