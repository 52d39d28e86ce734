/**
 * FIX ConfirmRejReason (tag 774) codes, keyed by the API field name a break names. Fields FIX has
 * no code for (gross amount, accrued interest) are 99, "Other". A confirmation addressed to the
 * wrong party (`receiverLei` not the trade's legal entity) is 14, "Incorrect or missing party".
 */
export const CONFIRM_REJ_REASON = {
  isin: 6,
  price: 7,
  commission: 8,
  settlementDate: 9,
  quantity: 11,
  fees: 12,
  receiverLei: 14,
  side: 15,
  netAmount: 16,
  tradeDate: 17,
  other: 99,
} as const;

export function reasonCodeFor(field: string): number {
  return (CONFIRM_REJ_REASON as Record<string, number>)[field] ?? CONFIRM_REJ_REASON.other;
}
