import { ApiProperty, ApiSchema } from '@nestjs/swagger';

// The response bodies of this service's API, as OpenAPI schemas: each mirrors the type its
// handler returns (the JSON is not changed by them; they only describe it).

@ApiSchema({ name: 'DeadLetter' })
export class DeadLetterDto {
  @ApiProperty({ type: String })
  id!: string;

  @ApiProperty({ type: String })
  consumer!: string;

  @ApiProperty({ type: String })
  topic!: string;

  @ApiProperty({ type: Number })
  partition!: number;

  @ApiProperty({ type: String })
  offset!: string;

  @ApiProperty({ type: String, nullable: true })
  key!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  headers!: unknown;

  @ApiProperty({ type: String })
  payload!: string;

  @ApiProperty({ type: String })
  error!: string;

  @ApiProperty({ type: Number })
  attempts!: number;

  @ApiProperty({ enum: ['PENDING', 'REPLAYED'] })
  status!: 'PENDING' | 'REPLAYED';

  @ApiProperty({ type: String })
  createdAt!: string;

  @ApiProperty({ type: String, nullable: true })
  replayedAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  replayError!: string | null;
}
