export * from './day-count';
export * from './coupon-schedule';
export * from './accrued-interest';
