import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A migration that keeps timestamp columns to the millisecond (`timestamptz(3)`). A list paged by
 * a cursor of (time, id) carries the time as an ISO instant, to the millisecond; a time stored in
 * microseconds — `now()`, shared by every row of a transaction — is later than its own cursor, so
 * the rows at a page boundary would come back on the next page.
 */
export function millisecondTimesMigration(name: string, table: string, columns: readonly string[]): new () => MigrationInterface {
  const alter = (type: string) => `alter table ${table} ${columns.map((c) => `alter column ${c} type ${type}`).join(', ')}`;
  return class implements MigrationInterface {
    name = name;

    async up(q: QueryRunner): Promise<void> {
      await q.query(alter('timestamptz(3)'));
    }

    async down(q: QueryRunner): Promise<void> {
      await q.query(alter('timestamptz'));
    }
  };
}
