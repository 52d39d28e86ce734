/** `@postrade/contracts/testing`: whole sample payloads of the consumed event types, for tests only. */
export * from './v1/decoders/samples';
