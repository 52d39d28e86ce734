import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  ASSET_CLASSES,
  COUPON_FREQUENCIES,
  CSDR_CATEGORIES,
  DAY_COUNTS,
  DecimalString,
  PRICE_TYPES,
  SETTLEMENT_MARKETS,
  type AssetClass,
  type CouponFrequency,
  type CsdrCategory,
  type DayCount,
  type PriceType,
  type SettlementMarket,
} from '@postrade/contracts';
import { ListQueryDto } from '@postrade/platform';

const NOT_BLANK = /\S/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A coupon rate is percent a year: six integer digits is already absurd. */
const RATE_DIGITS = { integerDigits: 6 };
const TEXT_MAX = 200;

export class PutInstrumentRequest {
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(TEXT_MAX) description: string;
  @ApiProperty({ example: 'USD' }) @IsString() currency: string;
  @ApiProperty({ enum: ASSET_CLASSES }) @IsIn([...ASSET_CLASSES]) assetClass: AssetClass;
  @ApiProperty({ enum: PRICE_TYPES }) @IsIn([...PRICE_TYPES]) priceType: PriceType;
  @ApiProperty({ enum: SETTLEMENT_MARKETS }) @IsIn([...SETTLEMENT_MARKETS]) settlementMarket: SettlementMarket;
  @ApiProperty({ enum: CSDR_CATEGORIES }) @IsIn([...CSDR_CATEGORIES]) csdrCategory: CsdrCategory;

  // Bonds only (GOVT_BOND, CORP_BOND): the domain says which are required and that they agree.
  @ApiPropertyOptional({ example: '4.125', description: 'Percent a year; "0" for a zero coupon.' })
  @IsOptional() @DecimalString(RATE_DIGITS) couponRate?: string;
  @ApiPropertyOptional({ enum: COUPON_FREQUENCIES }) @IsOptional() @IsIn([...COUPON_FREQUENCIES]) couponFrequency?: CouponFrequency;
  @ApiPropertyOptional({ enum: DAY_COUNTS }) @IsOptional() @IsIn([...DAY_COUNTS]) dayCount?: DayCount;
  @ApiPropertyOptional({ example: '2019-01-22' }) @IsOptional() @Matches(DATE, { message: 'must be a date as YYYY-MM-DD' }) @IsISO8601({ strict: true }, { message: 'must be a calendar date that exists' }) issueDate?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(DATE, { message: 'must be a date as YYYY-MM-DD' }) @IsISO8601({ strict: true }, { message: 'must be a calendar date that exists' }) firstCouponDate?: string;
  @ApiPropertyOptional({ example: '2029-07-22' }) @IsOptional() @Matches(DATE, { message: 'must be a date as YYYY-MM-DD' }) @IsISO8601({ strict: true }, { message: 'must be a calendar date that exists' }) maturityDate?: string;
  @ApiPropertyOptional({ example: '100000' }) @IsOptional() @DecimalString() minimumDenomination?: string;
  @ApiPropertyOptional({ example: '1000' }) @IsOptional() @DecimalString() denominationIncrement?: string;
  @ApiPropertyOptional({ example: 7 }) @IsOptional() @IsInt({ message: 'must be a whole number of business days' }) exCouponDays?: number;
}

export class PutCounterpartyRequest {
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(TEXT_MAX) name: string;
  @ApiProperty({ type: [String] }) @IsArray() @IsString({ each: true }) @MaxLength(TEXT_MAX, { each: true }) aliases: string[];
  @ApiProperty({ example: 'US' }) @IsString() country: string;
  @ApiProperty({ example: 'GSCMUS33XXX' }) @IsString() bic: string;
}

export class PutLegalEntityRequest {
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(TEXT_MAX) name: string;
  @ApiProperty() @IsString() bic: string;
}

export class PutSsiRequest {
  @ApiProperty() @IsString() agentBic: string;
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(TEXT_MAX) safekeepingAccount: string;
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(TEXT_MAX) cashAccount: string;
  @ApiProperty({ description: "The CSD's BIC." }) @IsString() placeOfSettlement: string;
}

/** `GET /api/v1/ssis?lei=`. */
export class SsiListQuery extends ListQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Z0-9]{20}$/, { message: 'must be an LEI: 20 upper-case letters and digits' }) lei?: string;
}
