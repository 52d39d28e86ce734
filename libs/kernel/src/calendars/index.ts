export * from './local-date';
export * from './settlement-calendar';
export * from './currency-calendar';
export * from './settlement-cycle';
export * from './market-time-zone';
