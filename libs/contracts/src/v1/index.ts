export * from './topics';
export * from './topic-access';
export * from './event-types';
export * from './vocabulary';
export * from './payloads';
export * from './resources';
export * from './event-payloads';
export * from './instruction-reference';
// Consumers read other services' events through the decoders (built on PayloadFields, not exported).
export * from './decoders';
