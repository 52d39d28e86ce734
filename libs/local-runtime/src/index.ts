/**
 * `@postrade/local-runtime`: the real Kafka and Postgres that `npm start` (tools/runtime) and the
 * integration tests (libs/testing, the Jest global setup) both run on. It sits below both: it
 * imports shared libraries only, never tools/, libs/testing or an app; the services whose schemas
 * it provisions are given to it.
 */
export * from './platform-runtime';
export * from './test-runtime';
export { dockerAnswers } from './containers';
export {
  startLocalKafka,
  stopLocalKafka,
  ensureKafkaJars,
  localKafkaPrincipals,
  localKafkaAdminConnection,
  type LocalKafka,
  type LocalKafkaOptions,
} from './kafka/launcher';
export { ensureKafkaAcls, platformAcls } from './kafka/acls';
export { startLocalPostgres, redact, type LocalPostgres, type LocalPostgresOptions } from './postgres/local-postgres';
export { repoRoot, tsEntryProcess } from './ts-entry';
