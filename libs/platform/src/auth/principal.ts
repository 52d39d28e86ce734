/** The roles an API key can carry (see API.md "Conventions"). */
export const ROLES = ['upstream', 'counterparty', 'custodian', 'ops', 'supervisor', 'auditor'] as const;

export type Role = (typeof ROLES)[number];

/**
 * Who is calling. `id` is stable per key and safe to store (audit trails, maker-checker): it is
 * never the key itself. A counterparty principal is bound to one LEI.
 */
export interface Principal {
  id: string;
  role: Role;
  lei?: string;
  /** An upstream principal bound to source systems writes and reads only their trades; absent means any. */
  sourceSystems?: readonly string[];
  /** A custodian principal bound to the agent it speaks for (`custodian:<BIC>`): it reaches only instructions whose own-side SSI names that agent. */
  agentBic?: string;
}

/** An LEI as far as key binding cares: 20 alphanumerics (check digits are the kernel's business). */
export const LEI_SHAPE = /^[A-Z0-9]{20}$/;

/** A BIC (ISO 9362): 4-letter institution, 2-letter country, 2 location characters, optional 3-character branch. */
export const BIC_SHAPE = /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
