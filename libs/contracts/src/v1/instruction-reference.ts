/**
 * How an instruction is named to the outside world. Settlement renders its instruction id (a UUID)
 * as the sese.023 transaction id without dashes, upper case (ISO 20022 Max35Text, and what
 * custodians echo as AcctOwnrTxId); whoever reads a custodian's message turns it back here, so
 * that settlement's status intake and reconciliation's statements agree on one instruction.
 */
export function instructionReference(instructionId: string): string {
  return instructionId.replace(/-/g, '').toUpperCase();
}

/** The instruction id a custodian's reference names (with or without dashes, any case), or null when it names none of ours. */
export function instructionIdOfReference(reference: string): string | null {
  const hex = reference.trim().replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
