import type { EntitySchema } from 'typeorm';

/** TypeORM entity schemas of the `settlement` schema. */
export const settlementEntities: EntitySchema[] = [];
