// Outage tests run their own broker and database so they can stop and start them; the runtime
// itself is @postrade/local-runtime's (the Jest global setup in tools/jest starts it for a run).
export { startLocalKafka, type LocalKafka, type LocalKafkaOptions, startLocalPostgres, type LocalPostgres, type LocalPostgresOptions, type PlatformRuntime } from '@postrade/local-runtime';
