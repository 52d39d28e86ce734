import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CSDR_CATEGORIES, type CsdrCategory, type PenaltyResource } from '@postrade/contracts';
import { DomainError, LocalDate } from '@postrade/kernel';
import { CurrentPrincipal, paged, Roles, type Page, type Principal } from '@postrade/platform';
import { CloseSettlementDayHandler, type SettlementDayClose } from '../application/close-settlement-day/close-settlement-day.command-handler';
import { SettlementReferenceDataHandler } from '../application/maintain-reference-data/settlement-reference-data.command-handler';
import { SettlementQueries, type FailView, type TradeSettlementView } from '../application/query-settlement/settlement-queries';
import type { ParkedStatusUpdate } from '../persistence/status-update.repository';
import {
  FailsQuery,
  MonthlyPenaltiesQuery,
  ParkedUpdatesQuery,
  PenaltiesQuery,
  PutCashPenaltyRateRequest,
  PutNettingAgreementRequest,
  PutPenaltyRateRequest,
  PutReferencePriceRequest,
} from './settlement.dto';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isText = (v: unknown): v is string => typeof v === 'string';
const isPenaltyPosition = (v: unknown): v is { date: string; penaltyId: string } => isObject(v) && isText(v.date) && isText(v.penaltyId);
const isParkedPosition = (v: unknown): v is { parkedAt: string; updateId: string } => isObject(v) && isText(v.parkedAt) && isText(v.updateId);

function dateParam(value: string, field = 'date'): string {
  if (!LocalDate.isValid(value)) throw DomainError.invalid(field, 'must be a date as YYYY-MM-DD');
  return value;
}

@ApiTags('settlement days, fails and penalties')
@ApiBearerAuth()
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
  close(@Param('date') date: string, @CurrentPrincipal() principal: Principal): Promise<SettlementDayClose> {
    return this.closing.close(dateParam(date), principal.id);
  }

  @Get('fails')
  @Roles('ops', 'supervisor', 'auditor')
  async fails(@Query() query: FailsQuery): Promise<Page<FailView> & { asOf: string }> {
    const asOf = query.asOf ?? LocalDate.todayUtc();
    const page = await paged(query, (after, limit) => this.queries.fails(asOf, after, limit), { isPosition: isText, positionOf: (f) => f.instructionId });
    return { asOf, ...page };
  }

  @Get('penalties')
  @Roles('ops', 'supervisor', 'auditor')
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
  async monthly(@Query() query: MonthlyPenaltiesQuery) {
    return { month: query.month, items: await this.queries.monthlyPenalties(query.month) };
  }

  /** Kafka status updates waiting for an instruction we do not know, with when they expire. */
  @Get('parked-status-updates')
  @Roles('ops', 'supervisor', 'auditor')
  parked(@Query() query: ParkedUpdatesQuery): Promise<Page<ParkedStatusUpdate>> {
    return paged(query, (after, limit) => this.queries.parkedUpdates({ expired: query.expired, after, limit }), {
      isPosition: isParkedPosition,
      positionOf: (p) => ({ parkedAt: p.parkedAt, updateId: p.update.updateId }),
    });
  }

  /** What settlement knows of a trade and what it waits for. */
  @Get('trades/:tradeId')
  @Roles('ops', 'supervisor', 'auditor')
  trade(@Param('tradeId', new ParseUUIDPipe()) tradeId: string): Promise<TradeSettlementView> {
    return this.queries.trade(tradeId);
  }
}

@ApiTags('settlement reference data')
@ApiBearerAuth()
@Controller('api/v1')
export class SettlementReferenceDataController {
  constructor(
    private readonly referenceData: SettlementReferenceDataHandler,
    private readonly queries: SettlementQueries,
  ) {}

  @Put('reference-prices/:isin/:date')
  @Roles('ops', 'supervisor')
  referencePrice(@Param('isin') isin: string, @Param('date') date: string, @Body() body: PutReferencePriceRequest) {
    return this.referenceData.setReferencePrice({ isin, date: dateParam(date), price: body.price, currency: body.currency });
  }

  @Put('penalty-rates/:category')
  @Roles('ops', 'supervisor')
  async penaltyRate(@Param('category') category: string, @Body() body: PutPenaltyRateRequest) {
    return { category, rates: await this.referenceData.setPenaltyRate({ category: csdrCategory(category), effectiveFrom: body.effectiveFrom, rateBps: body.rateBps }) };
  }

  @Get('penalty-rates')
  @Roles('ops', 'supervisor', 'auditor')
  async penaltyRates() {
    return { items: await this.queries.penaltyRates() };
  }

  @Put('cash-penalty-rates/:currency')
  @Roles('ops', 'supervisor')
  async cashPenaltyRate(@Param('currency') currency: string, @Body() body: PutCashPenaltyRateRequest) {
    return { currency, rates: await this.referenceData.setCashPenaltyRate({ currency, effectiveFrom: body.effectiveFrom, annualPercent: body.annualPercent }) };
  }

  @Put('netting-agreements/:counterpartyLei')
  @Roles('ops', 'supervisor')
  nettingAgreement(@Param('counterpartyLei') counterpartyLei: string, @Body() body: PutNettingAgreementRequest) {
    return this.referenceData.setNettingAgreement(counterpartyLei, body.enabled);
  }
}

function csdrCategory(value: string): CsdrCategory {
  if (!(CSDR_CATEGORIES as readonly string[]).includes(value)) throw DomainError.invalid('category', `must be one of ${CSDR_CATEGORIES.join(', ')}`);
  return value as CsdrCategory;
}
