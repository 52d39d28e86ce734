export * from './local-runtime';
export * from './processes';
export * from './eventually';
export * from './service-boot';
export * from './identifiers';
export * from './openapi-contract';
export * from './scratch-schema';
