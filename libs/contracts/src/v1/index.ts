export * from './topics';
export * from './event-types';
export * from './vocabulary';
export * from './payloads';
export * from './resources';
export * from './event-payloads';
export * from './payload-fields';
export * from './instruction-reference';
