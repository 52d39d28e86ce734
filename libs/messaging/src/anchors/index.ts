export * from './anchor-config';
export * from './anchor-reader';
export * from './chain-anchors';
export * from './anchored-audit-trail';
