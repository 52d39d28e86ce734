import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * `?limit=&cursor=` of every list endpoint. Extend it with the endpoint's filters:
 * `class ListTradesQuery extends ListQueryDto { @IsOptional() @IsString() book?: string }`.
 */
export class ListQueryDto {
  @ApiPropertyOptional({ description: 'Items per page.', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page; opaque.' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;
}
