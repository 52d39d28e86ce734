import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  assertCurrency,
  CYCLE_ASSET_CLASSES,
  DomainError,
  intendedSettlementDate,
  isSettlementMarket,
  LocalDate,
  settlementBusinessDays,
  settlementCycleFor,
  type CycleAssetClass,
  type SettlementMarket,
} from '@postrade/kernel';
import { AnyAuthenticated, API_KEY_SECURITY_SCHEME, ApiProblems } from '@postrade/platform';
import { CalendarsBusinessDaysResponseDto, CalendarsSettlementDateResponseDto } from './trade-capture.responses';

class SettlementDateQuery {
  @IsString() tradeDate: string;
  @ApiPropertyOptional({ enum: CYCLE_ASSET_CLASSES, description: 'The cycle depends on it (EQUITY when absent).' })
  @IsOptional() @IsIn([...CYCLE_ASSET_CLASSES]) assetClass?: CycleAssetClass;
  @ApiPropertyOptional({ description: "When not the market's home currency, its holidays are skipped too." })
  @IsOptional() @IsString() currency?: string;
}

class BusinessDaysQuery {
  @IsString() from: string;
  @IsString() to: string;
}

/** Longest range of business days one call lists: about ten years. */
const MAX_RANGE_DAYS = 3660;

function market(value: string): SettlementMarket {
  if (!isSettlementMarket(value)) throw DomainError.invalid('settlementMarket', `"${value}" is not one of US, EU, UK, CH, JP`);
  return value;
}

/** Settlement calendars: open to every valid key. */
@ApiTags('calendars')
@ApiBearerAuth(API_KEY_SECURITY_SCHEME)
@Controller('api/v1/calendars')
export class CalendarsController {
  @Get(':settlementMarket/settlement-date')
  @AnyAuthenticated()
  @ApiOperation({ summary: 'The intended settlement date of a trade date in a settlement market' })
  @ApiOkResponse({ type: CalendarsSettlementDateResponseDto })
  @ApiProblems(400, 401, 404)
  settlementDate(@Param('settlementMarket') settlementMarket: string, @Query() query: SettlementDateQuery) {
    const m = market(settlementMarket);
    const tradeDate = LocalDate.parse(query.tradeDate, 'tradeDate');
    const currency = query.currency === undefined ? undefined : assertCurrency(query.currency);
    return {
      tradeDate,
      settlementMarket: m,
      cycle: settlementCycleFor(m, tradeDate, query.assetClass).label,
      settlementDate: intendedSettlementDate(m, tradeDate, { assetClass: query.assetClass, currency }),
    };
  }

  @Get(':settlementMarket/business-days')
  @AnyAuthenticated()
  @ApiOperation({ summary: "A settlement market's business days between two dates" })
  @ApiOkResponse({ type: CalendarsBusinessDaysResponseDto })
  @ApiProblems(400, 401, 404)
  businessDays(@Param('settlementMarket') settlementMarket: string, @Query() query: BusinessDaysQuery): { days: string[] } {
    const m = market(settlementMarket);
    const from = LocalDate.parse(query.from, 'from');
    const to = LocalDate.parse(query.to, 'to');
    if (LocalDate.daysBetween(from, to) > MAX_RANGE_DAYS) throw DomainError.invalid('to', `must be at most ${MAX_RANGE_DAYS} days after from`);
    return { days: settlementBusinessDays(m, from, to) };
  }
}
