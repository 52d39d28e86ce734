import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** `GET /api/v1/parked`'s item, as an OpenAPI schema (it mirrors `ParkedInputView`; the JSON is not changed by it). */
@ApiSchema({ name: 'ParkedInput' })
export class ParkedInputDto {
  @ApiProperty({ type: String, format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, description: 'What waits, e.g. SETTLEMENT, STATUS_UPDATE, AMEND, CANCEL.' })
  kind!: string;

  @ApiProperty({ type: String, description: 'Its identity within its kind.' })
  inputKey!: string;

  @ApiProperty({ type: [String], description: 'The keys of the counterparts it waits for; any one arriving re-applies it.' })
  waitingFor!: string[];

  @ApiProperty({ type: String, example: 'waiting for trade 5f0c…' })
  reason!: string;

  @ApiProperty({ type: String, nullable: true })
  eventId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  eventType!: string | null;

  @ApiProperty({ type: String, nullable: true })
  topic!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'What re-applying it needs.' })
  payload!: unknown;

  @ApiProperty({ type: String, format: 'date-time' })
  parkedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'When it goes to the dead letters, with the reason, if its counterpart has not come.' })
  expiresAt!: string;

  @ApiProperty({ type: Number, description: 'Seconds since it was parked.' })
  ageSeconds!: number;
}
