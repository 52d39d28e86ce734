import type { QueryRunner } from 'typeorm';

/**
 * What the service's runtime role may do with one table. Migrations run as the schema's owner
 * role; the service itself connects as the runtime role, which holds only these grants:
 * - `read-write`: select, insert, update, delete (ordinary tables);
 * - `append-only`: select and insert only (journals, audit trails: rows can never change or go);
 * - `append-and-delete`: select, insert, delete (tables that only grow and are pruned by retention);
 * - `read-only`: select (reference tables the migrations fill).
 */
export type RuntimeAccess = 'read-write' | 'append-only' | 'append-and-delete' | 'read-only';

const PRIVILEGES: Record<RuntimeAccess, string> = {
  'read-write': 'select, insert, update, delete',
  'append-only': 'select, insert',
  'append-and-delete': 'select, insert, delete',
  'read-only': 'select',
};

/** Setting that the migration runner sets to the runtime role's name for the migration session. */
export const RUNTIME_ROLE_SETTING = 'postrade.runtime_role';

/**
 * Grants the runtime role its access to a table (revoking anything else first, so changing a
 * table's access in a later migration narrows it too). Call it in the migration that creates the
 * table, for every table the service touches at run time.
 */
export async function grantRuntime(q: QueryRunner, table: string, access: RuntimeAccess): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`refusing unsafe table name ${JSON.stringify(table)}`);
  await q.query(`
    do $$
    declare runtime_role text := coalesce(nullif(current_setting('${RUNTIME_ROLE_SETTING}', true), ''), current_user);
    begin
      if runtime_role <> current_user then
        execute format('revoke all on %I from %I', '${table}', runtime_role);
      end if;
      execute format('grant ${PRIVILEGES[access]} on %I to %I', '${table}', runtime_role);
    end $$`);
}
