import { Body, Controller, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError } from '@postrade/kernel';
import { CurrentPrincipal, currentCorrelationId, Roles, API_KEY_SECURITY_SCHEME, ApiCreatedOrReplayed, ApiProblems, type NonJsonBodyRoute, type Principal } from '@postrade/platform';
import type { Applied, StatementSource } from '../application/reconcile/reconcile-statement';
import { StatementIntake } from '../application/reconcile/statement-intake';
import { parseBlotterCsv, parseBlotterJson, parseStatementCsv, parseStatementJson, parseStatementXml } from '../domain/statements';
import type { StatementResult } from '../persistence/statements.repository';
import { BlotterCsvQuery, StatementCsvQuery } from './reconciliation.dto';
import { StatementResultDto } from './reconciliation.responses';

export const XML_CONTENT_TYPES = ['application/xml', 'text/xml'];
export const CSV_CONTENT_TYPES = ['text/csv'];
export const STATEMENTS_PATH = 'api/v1/statements';
export const BLOTTERS_PATH = 'api/v1/blotters';

/** Lets XML and CSV past the platform's JSON-only gate on these two routes (given to `configureApp`). */
export const RECONCILIATION_NON_JSON_ROUTES: NonJsonBodyRoute[] = [
  { method: 'POST', path: `/${STATEMENTS_PATH}`, mediaTypes: [...XML_CONTENT_TYPES, ...CSV_CONTENT_TYPES] },
  { method: 'POST', path: `/${BLOTTERS_PATH}`, mediaTypes: CSV_CONTENT_TYPES },
];

/** A query parameter the CSV form needs: 400 naming it when absent. */
function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw DomainError.invalidFields([{ field, message: 'is required with a text/csv body' }]);
  return value;
}

function textBody(body: unknown, what: string): string {
  if (typeof body !== 'string' || body.trim() === '') throw DomainError.invalidFields([{ field: 'body', message: `must be ${what}` }]);
  return body;
}

/** 201 for a statement applied now, 200 with the first result for the same statement again. */
function answer(applied: Applied, response: Response): StatementResult {
  response.status(applied.created ? 201 : 200);
  return applied.result;
}

@ApiTags('statements')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller()
export class StatementsController {
  constructor(private readonly intake: StatementIntake) {}

  @Post(STATEMENTS_PATH)
  @Roles('custodian', 'ops', 'supervisor')
  @ApiOperation({
    summary: 'Receive a custodian or CSD statement and reconcile it against our books as of its date',
    description:
      'ISO 20022 semt.002 / semt.017 / camt.053 / semt.044 as application/xml (type read from the namespace), the CSV form with ?type=&account=&asOf=, ' +
      'or the JSON form. Applied whole or not at all; the same (statementId, account, asOf) again answers 200 with the first result and changes nothing.',
  })
  @ApiConsumes('application/json', ...XML_CONTENT_TYPES, ...CSV_CONTENT_TYPES)
  @ApiBody({ description: 'The statement: JSON `{ statementId, type, account, asOf, lines }`, ISO 20022 XML or CSV (columns in the README).', schema: { type: 'string' } })
  @ApiCreatedOrReplayed(StatementResultDto, 'statement result')
  @ApiProblems(400, 401, 403)
  async receive(
    @Req() request: Request,
    @Body() body: unknown,
    @Query() query: StatementCsvQuery,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StatementResult> {
    const source = (format: string, content: string): StatementSource => ({ format, content, receivedBy: principal.id, correlationId: currentCorrelationId() });
    if (request.is(XML_CONTENT_TYPES)) {
      const xml = textBody(body, 'an ISO 20022 XML document');
      return answer(await this.intake.statement(parseStatementXml(xml), source('xml', xml)), response);
    }
    if (request.is(CSV_CONTENT_TYPES)) {
      const csv = textBody(body, 'CSV with a header row');
      const header = { type: required(query.type, 'type'), account: required(query.account, 'account'), asOf: required(query.asOf, 'asOf'), statementId: query.statementId };
      return answer(await this.intake.statement(parseStatementCsv(csv, header), source('csv', csv)), response);
    }
    return answer(await this.intake.statement(parseStatementJson(body), source('json', JSON.stringify(body))), response);
  }

  @Post(BLOTTERS_PATH)
  @Roles('upstream', 'ops', 'supervisor')
  @ApiOperation({
    summary: "Receive the OMS end-of-day blotter and reconcile it against the trades captured for that source system and trade date",
    description: 'JSON `{ sourceSystem, tradeDate, trades }` or CSV with ?sourceSystem=&tradeDate=. The same blotter again answers 200 with the first result.',
  })
  @ApiConsumes('application/json', ...CSV_CONTENT_TYPES)
  @ApiBody({ description: 'The blotter: JSON `{ sourceSystem, tradeDate, trades }` or CSV with a header row (columns in the README).', schema: { type: 'string' } })
  @ApiCreatedOrReplayed(StatementResultDto, 'blotter result')
  @ApiProblems(400, 401, 403)
  async blotter(
    @Req() request: Request,
    @Body() body: unknown,
    @Query() query: BlotterCsvQuery,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StatementResult> {
    if (principal.sourceSystems && request.is(CSV_CONTENT_TYPES) && query.sourceSystem && !principal.sourceSystems.includes(query.sourceSystem)) {
      throw DomainError.forbidden(`this key may not send blotters for ${query.sourceSystem}`);
    }
    const source = (format: string, content: string): StatementSource => ({ format, content, receivedBy: principal.id, correlationId: currentCorrelationId() });
    if (request.is(CSV_CONTENT_TYPES)) {
      const csv = textBody(body, 'CSV with a header row');
      const blotter = parseBlotterCsv(csv, { sourceSystem: required(query.sourceSystem, 'sourceSystem'), tradeDate: required(query.tradeDate, 'tradeDate') });
      return answer(await this.intake.blotter(blotter, source('csv', csv)), response);
    }
    const blotter = parseBlotterJson(body);
    if (principal.sourceSystems && !principal.sourceSystems.includes(blotter.sourceSystem)) {
      throw DomainError.forbidden(`this key may not send blotters for ${blotter.sourceSystem}`);
    }
    return answer(await this.intake.blotter(blotter, source('json', JSON.stringify(body))), response);
  }
}
