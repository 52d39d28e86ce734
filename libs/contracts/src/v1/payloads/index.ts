export * from './trade-submission.payload';
export * from './trade-reported.payload';
export * from './confirmation-received.payload';
export * from './settlement-status-reported.payload';
