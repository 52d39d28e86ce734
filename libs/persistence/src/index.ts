export * from './service-database';
export * from './data-source';
export * from './transaction';
export * from './provision';
export * from './runtime-grants';
