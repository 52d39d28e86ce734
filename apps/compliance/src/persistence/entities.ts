import type { EntitySchema } from 'typeorm';

/** TypeORM entity schemas of the `compliance` schema. */
export const complianceEntities: EntitySchema[] = [];
