export * from './test-runtime';
export * from './processes';
export * from './eventually';
export * from './service-boot';
export * from './identifiers';
