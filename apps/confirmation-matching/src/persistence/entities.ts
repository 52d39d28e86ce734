import type { EntitySchema } from 'typeorm';

/** TypeORM entity schemas of the `matching` schema. */
export const confirmationMatchingEntities: EntitySchema[] = [];
