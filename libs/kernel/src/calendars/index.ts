export * from './local-date';
export * from './settlement-calendar';
export * from './settlement-cycle';
