export * from './errors';
export * from './decimal';
export * from './currency';
export * from './money';
export * from './identifiers';
export * from './calendars';
export * from './accrual';
export * from './time-ordered-uuid';
