import { Client } from 'pg';
import { TOPIC_DEFINITIONS } from '@postrade/contracts';
import { ownerRoleOf } from '@postrade/persistence';
import { createKafka, kafkaConnectionFromEnv } from '@postrade/messaging';
import { startLocalKafka, startLocalPostgres } from '@postrade/local-runtime';
import { SERVICES } from '../services';

describe('the local runtime the tests and npm start share', () => {
  it('reuses the broker already running instead of starting a second one', async () => {
    const [, port] = kafkaConnectionFromEnv('probe').brokers[0].split(':');
    const again = await startLocalKafka({ port: Number(port) });
    expect(again.startedHere).toBe(false);
    await again.stop(); // a no-op for a reused broker
    const admin = createKafka(kafkaConnectionFromEnv('probe')).admin();
    await admin.connect();
    try {
      await expect(admin.describeCluster()).resolves.toMatchObject({ brokers: [expect.objectContaining({ port: Number(port) })] });
    } finally {
      await admin.disconnect();
    }
  });

  it('reuses the database already running', async () => {
    const given = process.env.DATABASE_URL!;
    const embedded = new URL(given).port === (process.env.EMBEDDED_POSTGRES_PORT ?? '54329');
    // The embedded server is found by its port; a server given by DATABASE_URL is used as given.
    if (embedded) delete process.env.DATABASE_URL;
    try {
      const again = await startLocalPostgres();
      expect(again).toMatchObject({ startedHere: false, embedded, adminUrl: given });
    } finally {
      process.env.DATABASE_URL = given;
    }
  });

  it('created every topic of the contract with its partition count', async () => {
    const admin = createKafka(kafkaConnectionFromEnv('probe')).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: TOPIC_DEFINITIONS.map((t) => t.name) });
      for (const definition of TOPIC_DEFINITIONS) {
        expect({ topic: definition.name, partitions: topics.find((t) => t.name === definition.name)?.partitions.length }).toEqual({
          topic: definition.name,
          partitions: definition.partitions,
        });
      }
    } finally {
      await admin.disconnect();
    }
  });

  it('gives each service an owner role for its schema and a runtime role that can neither create there nor read another service schema', async () => {
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      for (const { database } of SERVICES) {
        const { rows } = await admin.query(
          `select pg_get_userbyid(nspowner) as owner, has_schema_privilege($2, $1, 'USAGE') as usage, has_schema_privilege($2, $1, 'CREATE') as create,
                  (select count(*)::int from pg_tables where schemaname = $1 and tableowner <> pg_get_userbyid(nspowner)) as "tablesNotOwned"
             from pg_namespace where nspname = $1`,
          [database.schema, database.role],
        );
        expect({ schema: database.schema, ...rows[0] }).toEqual({ schema: database.schema, owner: ownerRoleOf(database), usage: true, create: false, tablesNotOwned: 0 });
      }
      for (const { database } of SERVICES) {
        for (const other of SERVICES.filter((s) => s !== SERVICES.find((x) => x.database === database))) {
          const { rows } = await admin.query('select has_schema_privilege($1, $2, $3) as usage, has_schema_privilege($1, $2, $4) as create', [
            database.role,
            other.database.schema,
            'USAGE',
            'CREATE',
          ]);
          expect({ role: database.role, schema: other.database.schema, ...rows[0] }).toEqual({
            role: database.role,
            schema: other.database.schema,
            usage: false,
            create: false,
          });
        }
      }
      const roles = SERVICES.flatMap((s) => [s.database.role, ownerRoleOf(s.database)]);
      const { rows } = await admin.query('select rolname, rolsuper, rolcanlogin from pg_roles where rolname = any($1)', [roles]);
      expect(rows).toHaveLength(SERVICES.length * 2);
      expect(rows.every((r: { rolsuper: boolean }) => r.rolsuper === false)).toBe(true);
      // Only the runtime roles log in; owners are reached by an admin that sets its role to migrate.
      expect(rows.filter((r: { rolcanlogin: boolean }) => r.rolcanlogin).map((r: { rolname: string }) => r.rolname).sort()).toEqual(SERVICES.map((s) => s.database.role).sort());
    } finally {
      await admin.end();
    }
  });
});
