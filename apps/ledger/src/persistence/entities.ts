import type { EntitySchema } from 'typeorm';

/** TypeORM entity schemas of the `ledger` schema. */
export const ledgerEntities: EntitySchema[] = [];
