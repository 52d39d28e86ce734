export * from './service-database';
export * from './data-source';
export * from './transaction';
export * from './provision';
