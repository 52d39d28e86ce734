import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CSDR_CATEGORIES, type CsdrCategory, type PenaltyResource } from '@postrade/contracts';
import { DomainError, LocalDate } from '@postrade/kernel';
import { CurrentPrincipal, paged, Roles, API_KEY_SECURITY_SCHEME, ApiItemsResponse, ApiPageResponse, ApiProblems, type Page, type Principal } from '@postrade/platform';
import { CloseSettlementDayHandler, type SettlementDayClose } from '../application/close-settlement-day/close-settlement-day.command-handler';
import { SettlementReferenceDataHandler } from '../application/maintain-reference-data/settlement-reference-data.command-handler';
import { SettlementQueries, type TradeSettlementView } from '../application/query-settlement/settlement-queries';
import {
  MonthlyPenaltiesQuery,
  PenaltiesQuery,
  PutNettingAgreementRequest,
  PutPenaltyRateRequest,
  PutReferencePriceRequest,
} from './settlement.dto';
import { PenaltyDto, PenaltyRateDto, ReferencePriceDto, SettlementDayCloseDto, SettlementDaysMonthlyResponseDto, SettlementReferenceDataNettingAgreementResponseDto, SettlementReferenceDataPenaltyRateResponseDto, TradeSettlementViewDto } from './settlement.responses';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isText = (v: unknown): v is string => typeof v === 'string';
const isPenaltyPosition = (v: unknown): v is { date: string; penaltyId: string } => isObject(v) && isText(v.date) && isText(v.penaltyId);

function dateParam(value: string, field = 'date'): string {
  if (!LocalDate.isValid(value)) throw DomainError.invalid(field, 'must be a date as YYYY-MM-DD');
  return value;
}

@ApiTags('settlement days, fails and penalties')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1')
export class SettlementDaysController {
  constructor(
    private readonly closing: CloseSettlementDayHandler,
    private readonly queries: SettlementQueries,
  ) {}

  /** End of settlement day: fail marking and penalties for `date`; safe to repeat. */
  @Post('settlement-days/:date/close')
  @HttpCode(200)
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Close a settlement day: fails are computed and penalties accrued' })
  @ApiOkResponse({ type: SettlementDayCloseDto })
  @ApiProblems(400, 401, 403, 404, 422)
  close(@Param('date') date: string, @CurrentPrincipal() principal: Principal): Promise<SettlementDayClose> {
    return this.closing.close(dateParam(date), principal.id);
  }

  @Get('penalties')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'CSDR cash penalties, filtered' })
  @ApiPageResponse(PenaltyDto)
  @ApiProblems(400, 401, 403)
  penalties(@Query() query: PenaltiesQuery): Promise<Page<PenaltyResource>> {
    return paged(
      query,
      (after, limit) => this.queries.penaltyList({ from: query.from, to: query.to, counterpartyLei: query.counterpartyLei, instructionId: query.instructionId, after, limit }),
      {
        isPosition: isPenaltyPosition,
        positionOf: (p) => ({ date: p.date, penaltyId: p.penaltyId }),
      },
    );
  }

  @Get('penalties/monthly')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'CSDR penalties of a month, netted per counterparty and currency' })
  @ApiOkResponse({ type: SettlementDaysMonthlyResponseDto })
  @ApiProblems(400, 401, 403)
  async monthly(@Query() query: MonthlyPenaltiesQuery) {
    return { month: query.month, items: await this.queries.monthlyPenalties(query.month) };
  }

  /** What settlement knows of a trade and what it waits for. */
  @Get('trades/:tradeId')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'What settlement knows of a trade and what it waits for' })
  @ApiOkResponse({ type: TradeSettlementViewDto })
  @ApiProblems(400, 401, 403, 404)
  trade(@Param('tradeId', new ParseUUIDPipe()) tradeId: string): Promise<TradeSettlementView> {
    return this.queries.trade(tradeId);
  }
}

@ApiTags('settlement reference data')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1')
export class SettlementReferenceDataController {
  constructor(
    private readonly referenceData: SettlementReferenceDataHandler,
    private readonly queries: SettlementQueries,
  ) {}

  @Put('reference-prices/:isin/:date')
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Set the reference price of an ISIN on a date' })
  @ApiOkResponse({ type: ReferencePriceDto })
  @ApiProblems(400, 401, 403, 404)
  referencePrice(@Param('isin') isin: string, @Param('date') date: string, @Body() body: PutReferencePriceRequest) {
    return this.referenceData.setReferencePrice({ isin, date: dateParam(date), price: body.price, currency: body.currency });
  }

  @Put('penalty-rates/:category')
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Set the penalty rates of a CSDR category' })
  @ApiOkResponse({ type: SettlementReferenceDataPenaltyRateResponseDto })
  @ApiProblems(400, 401, 403, 404)
  async penaltyRate(@Param('category') category: string, @Body() body: PutPenaltyRateRequest) {
    return { category, rates: await this.referenceData.setPenaltyRate({ category: csdrCategory(category), effectiveFrom: body.effectiveFrom, rateBps: body.rateBps }) };
  }

  @Get('penalty-rates')
  @Roles('ops', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'Penalty rates of every CSDR category' })
  @ApiItemsResponse(PenaltyRateDto)
  @ApiProblems(401, 403)
  async penaltyRates() {
    return { items: await this.queries.penaltyRates() };
  }

  @Put('netting-agreements/:counterpartyLei')
  @Roles('ops', 'supervisor')
  @ApiOperation({ summary: 'Enable or disable settlement netting with a counterparty' })
  @ApiOkResponse({ type: SettlementReferenceDataNettingAgreementResponseDto })
  @ApiProblems(400, 401, 403, 404)
  nettingAgreement(@Param('counterpartyLei') counterpartyLei: string, @Body() body: PutNettingAgreementRequest) {
    return this.referenceData.setNettingAgreement(counterpartyLei, body.enabled);
  }
}

function csdrCategory(value: string): CsdrCategory {
  if (!(CSDR_CATEGORIES as readonly string[]).includes(value)) throw DomainError.invalid('category', `must be one of ${CSDR_CATEGORIES.join(', ')}`);
  return value as CsdrCategory;
}
