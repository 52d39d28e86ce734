import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '@postrade/kernel';
import { CurrentPrincipal, paged, Roles, API_KEY_SECURITY_SCHEME, ApiCreatedOrReplayed, ApiItemsResponse, ApiPageResponse, ApiProblems, type Page, type Principal } from '@postrade/platform';
import { tradeTermsOf, type CapturedTrade } from '../domain/trade';
import { SubmitTradeHandler } from '../application/capture-trade/submit-trade.command-handler';
import type { SourceSystemScope } from '../application/capture-trade/source-system-access';
import { TradeQueries } from '../application/query-trades/trade-queries';
import { AmendTradeRequest, CancelTradeRequest, ListTradesQuery, SubmitTradeRequest } from './trades.dto';
import { TradeDto } from './trade-capture.responses';

type Position = { createdAt: string; tradeId: string };
const isPosition = (v: unknown): v is Position =>
  typeof (v as Position)?.createdAt === 'string' &&
  !Number.isNaN(Date.parse((v as Position).createdAt)) &&
  typeof (v as Position)?.tradeId === 'string' &&
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test((v as Position).tradeId);

const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** An upstream key reaches only its own source systems' trades; every other role reaches all. */
const scopeOf = (principal: Principal): SourceSystemScope => (principal.role === 'upstream' ? principal.sourceSystems : undefined);

@ApiTags('trades')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/trades')
export class TradesController {
  constructor(
    private readonly submissions: SubmitTradeHandler,
    private readonly queries: TradeQueries,
  ) {}

  @Post()
  @Roles('upstream', 'ops')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOperation({ summary: 'Submit a new trade (201; a replay of the same trade or Idempotency-Key answers 200)' })
  @ApiCreatedOrReplayed(TradeDto, 'trade')
  @ApiProblems(400, 401, 403, 409, 422)
  async submit(
    @Body() body: SubmitTradeRequest,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    if (idempotencyKey !== undefined && (idempotencyKey.trim() === '' || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      throw DomainError.invalid('Idempotency-Key', `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    }
    const terms = tradeTermsOf(body);
    const response = await this.submissions.submit(
      { action: 'NEW', version: 1, sourceSystem: terms.sourceSystem, sourceTradeId: terms.sourceTradeId, terms, origin: 'rest' },
      scopeOf(principal),
      idempotencyKey === undefined ? undefined : { principal: principal.id, key: idempotencyKey, body: terms },
    );
    res.status(response.status);
    return response.body;
  }

  @Put(':tradeId')
  @Roles('upstream', 'ops')
  @ApiOperation({ summary: 'Amend a trade with its next version' })
  @ApiOkResponse({ type: TradeDto })
  @ApiProblems(400, 401, 403, 404, 409)
  async amend(
    @Param('tradeId', new ParseUUIDPipe()) tradeId: string,
    @Body() body: AmendTradeRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<unknown> {
    const terms = tradeTermsOf(body);
    const response = await this.submissions.onTrade(tradeId, scopeOf(principal), (trade) => {
      if (trade.sourceSystem !== terms.sourceSystem || trade.sourceTradeId !== terms.sourceTradeId) {
        throw DomainError.invalidFields([
          { field: 'sourceTradeId', message: `must be the trade's own source keys ${trade.sourceSystem}/${trade.sourceTradeId}` },
        ]);
      }
      return { action: 'AMEND', version: body.version, sourceSystem: trade.sourceSystem, sourceTradeId: trade.sourceTradeId, terms, origin: 'rest' };
    });
    return response.body;
  }

  @Post(':tradeId/cancel')
  @HttpCode(200)
  @Roles('upstream', 'ops')
  @ApiOperation({ summary: 'Cancel a trade' })
  @ApiOkResponse({ type: TradeDto })
  @ApiProblems(400, 401, 403, 404, 409)
  async cancel(
    @Param('tradeId', new ParseUUIDPipe()) tradeId: string,
    @Body() body: CancelTradeRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<unknown> {
    const response = await this.submissions.onTrade(tradeId, scopeOf(principal), (trade) => ({
      action: 'CANCEL',
      sourceSystem: trade.sourceSystem,
      sourceTradeId: trade.sourceTradeId,
      reason: body.reason,
      origin: 'rest',
    }));
    return response.body;
  }

  @Get()
  @Roles('ops', 'supervisor', 'auditor', 'upstream')
  @ApiOperation({ summary: 'Trades, newest first, filtered' })
  @ApiPageResponse(TradeDto)
  @ApiProblems(400, 401, 403)
  list(@Query() query: ListTradesQuery, @CurrentPrincipal() principal: Principal): Promise<Page<CapturedTrade>> {
    const { cursor: _cursor, limit: _limit, ...filters } = query;
    return paged(query, (after, limit) => this.queries.list({ ...filters, after, limit }, scopeOf(principal)), {
      isPosition,
      positionOf: (row) => ({ createdAt: row.createdAt, tradeId: row.trade.tradeId }),
      toItem: (row) => row.trade,
    });
  }

  @Get(':tradeId')
  @Roles('ops', 'supervisor', 'auditor', 'upstream')
  @ApiOperation({ summary: 'One trade, at its current version' })
  @ApiOkResponse({ type: TradeDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('tradeId', new ParseUUIDPipe()) tradeId: string, @CurrentPrincipal() principal: Principal): Promise<CapturedTrade> {
    return this.queries.get(tradeId, scopeOf(principal));
  }

  @Get(':tradeId/versions')
  @Roles('ops', 'supervisor', 'auditor', 'upstream')
  @ApiOperation({ summary: 'Every captured version of a trade' })
  @ApiItemsResponse(TradeDto)
  @ApiProblems(400, 401, 403, 404)
  async versions(@Param('tradeId', new ParseUUIDPipe()) tradeId: string, @CurrentPrincipal() principal: Principal): Promise<{ items: CapturedTrade[] }> {
    return { items: await this.queries.versions(tradeId, scopeOf(principal)) };
  }
}
