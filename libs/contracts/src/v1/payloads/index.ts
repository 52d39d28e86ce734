export * from './trade-submission.payload';
export * from './trade-reported.payload';
export * from './confirmation-received.payload';
export * from './settlement-status-reported.payload';
// Services validate their own REST bodies' decimals with the same bounds as the events'.
export { DecimalString, decimalStringProblem } from './fields';
