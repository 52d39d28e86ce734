export * from './test-runtime';
export * from './processes';
export * from './eventually';
