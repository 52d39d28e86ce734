export * from './service-database';
export * from './data-source';
export * from './transaction';
export * from './provision';
export * from './runtime-grants';
export * from './transient-errors';
export * from './session-settings';
export * from './nest/service-database.module';
