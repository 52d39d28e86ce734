import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { FAIL_AGE_BUCKETS } from '../domain/penalty';

@ApiSchema({ name: 'PayReceive' })
export class PayReceiveDto {
  @ApiProperty({ type: String }) pay!: string;
  @ApiProperty({ type: String }) receive!: string;
}

@ApiSchema({ name: 'PenaltiesToDate' })
export class PenaltiesToDateDto extends PayReceiveDto {
  @ApiProperty({ type: Number }) penalties!: number;
}

@ApiSchema({ name: 'PenaltyForecast' })
export class PenaltyForecastDto {
  @ApiProperty({ type: String, description: 'The next settlement business day of the market.' }) date!: string;
  @ApiProperty({ type: String }) amount!: string;
  @ApiProperty({ type: String, enum: ['PAY', 'RECEIVE'] }) direction!: string;
  @ApiProperty({ type: String }) rateBps!: string;
  @ApiProperty({ type: String, description: 'The latest reference price on file up to the day.' }) referencePrice!: string;
}

@ApiSchema({ name: 'FailsViewItem' })
export class FailsViewItemDto {
  @ApiProperty({ type: String }) instructionId!: string;
  @ApiProperty({ type: String }) day!: string;
  @ApiProperty({ type: String }) intendedSettlementDate!: string;
  @ApiProperty({ type: String }) settlementMarket!: string;
  @ApiProperty({ type: String }) counterpartyLei!: string;
  @ApiProperty({ type: String }) isin!: string;
  @ApiProperty({ type: String }) unsettledQuantity!: string;
  @ApiProperty({ type: String }) currency!: string;
  @ApiProperty({ type: String, nullable: true }) failingParty!: string | null;
  @ApiProperty({ type: String, nullable: true }) reasonCode!: string | null;
  @ApiProperty({ type: Boolean, description: 'Matched at the depository at the day’s close.' }) matched!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'The day’s penalty.' }) penaltyAmount!: string | null;
  @ApiProperty({ type: String, nullable: true }) penaltyDirection!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['SETTLEMENT_FAIL', 'LATE_MATCHING'] }) penaltyKind!: string | null;
  @ApiProperty({ type: () => PenaltiesToDateDto }) penaltiesToDate!: PenaltiesToDateDto;
  @ApiProperty({ type: () => PenaltyForecastDto, nullable: true }) forecast!: PenaltyForecastDto | null;
  @ApiProperty({ type: Number, description: 'Settlement business days failed by the end of `day`, the ISD counting 1.' }) ageInBusinessDays!: number;
  @ApiProperty({ type: String, enum: FAIL_AGE_BUCKETS }) ageBucket!: string;
}

@ApiSchema({ name: 'FailsBucket' })
export class FailsBucketDto {
  @ApiProperty({ type: String, enum: FAIL_AGE_BUCKETS }) bucket!: string;
  @ApiProperty({ type: Number }) count!: number;
}

@ApiSchema({ name: 'FailsCurrencySummary' })
export class FailsCurrencySummaryDto {
  @ApiProperty({ type: String }) currency!: string;
  @ApiProperty({ type: Number }) failing!: number;
  @ApiProperty({ type: () => PayReceiveDto, description: 'Penalties of the day.' }) day!: PayReceiveDto;
  @ApiProperty({ type: () => PayReceiveDto, description: 'Penalties so far of what is failing.' }) toDate!: PayReceiveDto;
  @ApiProperty({ type: () => PayReceiveDto, description: 'Forecast of the next business day’s penalties for what is failing.' }) forecast!: PayReceiveDto;
}

@ApiSchema({ name: 'FailsSummary' })
export class FailsSummaryDto {
  @ApiProperty({ type: Number }) failing!: number;
  @ApiProperty({ type: () => [FailsBucketDto] }) buckets!: FailsBucketDto[];
  @ApiProperty({ type: () => [FailsCurrencySummaryDto] }) byCurrency!: FailsCurrencySummaryDto[];
}

@ApiSchema({ name: 'FailsViewResponse' })
export class FailsViewResponseDto {
  @ApiProperty({ type: String }) asOf!: string;
  @ApiProperty({ type: () => FailsSummaryDto }) summary!: FailsSummaryDto;
  @ApiProperty({ type: () => [FailsViewItemDto] }) items!: FailsViewItemDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

@ApiSchema({ name: 'CashPenaltyRateChange' })
export class CashPenaltyRateChangeDto {
  @ApiProperty({ type: String }) changeId!: string;
  @ApiProperty({ type: String }) currency!: string;
  @ApiProperty({ type: String }) effectiveFrom!: string;
  @ApiProperty({ type: String }) annualPercent!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, enum: ['PENDING', 'APPROVED', 'DECLINED'] }) status!: string;
  @ApiProperty({ type: String }) proposedBy!: string;
  @ApiProperty({ type: String }) proposedAt!: string;
  @ApiProperty({ type: String, nullable: true }) decidedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt!: string | null;
}

@ApiSchema({ name: 'CashPenaltyRate' })
export class CashPenaltyRateDto {
  @ApiProperty({ type: String }) currency!: string;
  @ApiProperty({ type: String }) effectiveFrom!: string;
  @ApiProperty({ type: String }) annualPercent!: string;
}

@ApiSchema({ name: 'EffectiveCashPenaltyRate' })
export class EffectiveCashPenaltyRateDto extends CashPenaltyRateDto {
  @ApiProperty({ type: String, description: 'annualPercent / 365 in basis points (floored at 0), as a penalty shows it.' }) dailyRateBps!: string;
}

@ApiSchema({ name: 'CashPenaltyRates' })
export class CashPenaltyRatesDto {
  @ApiProperty({ type: String }) currency!: string;
  @ApiProperty({ type: String }) asOf!: string;
  @ApiProperty({ type: () => EffectiveCashPenaltyRateDto, nullable: true }) effective!: EffectiveCashPenaltyRateDto | null;
  @ApiProperty({ type: () => [CashPenaltyRateDto] }) rates!: CashPenaltyRateDto[];
  @ApiProperty({ type: () => [CashPenaltyRateChangeDto] }) history!: CashPenaltyRateChangeDto[];
}
