import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { ASSET_CLASSES, CSDR_CATEGORIES, PRICE_TYPES, SETTLEMENT_MARKETS, type AssetClass, type CsdrCategory, type PriceType, type SettlementMarket } from '@postrade/contracts';

const NOT_BLANK = /\S/;
const TEXT_MAX = 200;

export class PutInstrumentRequest {
  @ApiProperty() @IsString() @Matches(NOT_BLANK, { message: 'must not be blank' }) @MaxLength(TEXT_MAX) description: string;
  @ApiProperty({ example: 'USD' }) @IsString() currency: string;
  @ApiProperty({ enum: ASSET_CLASSES }) @IsIn([...ASSET_CLASSES]) assetClass: AssetClass;
  @ApiProperty({ enum: PRICE_TYPES }) @IsIn([...PRICE_TYPES]) priceType: PriceType;
  @ApiProperty({ enum: SETTLEMENT_MARKETS }) @IsIn([...SETTLEMENT_MARKETS]) settlementMarket: SettlementMarket;
  @ApiProperty({ enum: CSDR_CATEGORIES }) @IsIn([...CSDR_CATEGORIES]) csdrCategory: CsdrCategory;
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
