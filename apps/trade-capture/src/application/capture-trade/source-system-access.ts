import { DomainError } from '@postrade/kernel';

/** The source systems a caller may write and read trades for; undefined means every system (ops, dev-upstream). */
export type SourceSystemScope = readonly string[] | undefined;

export function mayUse(scope: SourceSystemScope, sourceSystem: string): boolean {
  return scope === undefined || scope.includes(sourceSystem);
}

/** An upstream key writing for a system it is not bound to: 403. */
export function assertMayWriteFor(scope: SourceSystemScope, sourceSystem: string): void {
  if (!mayUse(scope, sourceSystem)) {
    throw DomainError.forbidden(`this key may not submit trades for source system ${sourceSystem} (it is bound to ${scope!.join(', ')})`);
  }
}
