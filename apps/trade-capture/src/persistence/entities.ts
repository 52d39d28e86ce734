import type { EntitySchema } from 'typeorm';

/** TypeORM entity schemas of the `trade_capture` schema. */
export const tradeCaptureEntities: EntitySchema[] = [];
