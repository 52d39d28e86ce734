import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@postrade/kernel';
import { TransactionRunner } from '@postrade/persistence';
import { CurrentPrincipal, decodeCursor, Roles, type Page, type Principal } from '@postrade/platform';
import { ReceiveConfirmationsHandler } from '../application/receive-confirmations/receive-confirmations.command-handler';
import { MatchQueries, type ReceivedPosition, type Reader } from '../application/query-matches/match-queries';
import type { ConfirmationResource } from '../application/rematch/match-resources';
import { confirmationTermsOf } from '../domain/confirmation';
import { ListConfirmationsQuery, SubmitConfirmationRequest } from './matching.dto';

const isPosition = (v: unknown): v is ReceivedPosition =>
  typeof (v as ReceivedPosition)?.receivedAt === 'string' && /^[0-9a-f-]{36}$/.test(String((v as ReceivedPosition)?.id));

/** A counterparty key reads and writes only for its own LEI. */
export function readerOf(principal: Principal): Reader {
  return principal.role === 'counterparty' ? { senderLei: principal.lei } : {};
}

@ApiTags('confirmations')
@ApiBearerAuth()
@Controller('api/v1/confirmations')
export class ConfirmationsController {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly receive: ReceiveConfirmationsHandler,
    private readonly queries: MatchQueries,
  ) {}

  @Post()
  @HttpCode(202)
  @Roles('counterparty', 'ops', 'supervisor')
  async submit(@Body() body: SubmitConfirmationRequest, @CurrentPrincipal() principal: Principal): Promise<ConfirmationResource> {
    if (principal.role === 'counterparty' && body.senderLei !== principal.lei) {
      throw DomainError.forbidden(`senderLei: this key may send confirmations for ${principal.lei} only`);
    }
    const terms = confirmationTermsOf(body);
    const [resource] = await this.transactions.run((em) => this.receive.execute(em, [{ terms }]));
    return resource;
  }

  @Get(':id')
  @Roles('counterparty', 'ops', 'supervisor', 'auditor')
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal): Promise<ConfirmationResource> {
    return this.queries.confirmation(id, readerOf(principal));
  }

  @Get()
  @Roles('counterparty', 'ops', 'supervisor', 'auditor')
  list(@Query() query: ListConfirmationsQuery, @CurrentPrincipal() principal: Principal): Promise<Page<ConfirmationResource>> {
    const { cursor, limit, ...filter } = query;
    return this.queries.listConfirmations({ ...filter, limit, after: cursor ? decodeCursor(cursor, isPosition) : undefined }, readerOf(principal));
  }
}
