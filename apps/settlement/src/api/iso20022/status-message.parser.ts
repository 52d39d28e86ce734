import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { checkDecimalString, DEFAULT_DECIMAL_DIGITS, DomainError, LocalDate } from '@postrade/kernel';
import type { FailReasonCode, FailingParty } from '@postrade/contracts';
import type { StatusUpdate } from '../../domain/instruction-status';

/** A custodian's ISO 20022 status message, read into the updates it reports on one instruction. */
export interface ParsedStatusMessage {
  messageType: 'sese.024' | 'sese.025';
  /** The account owner's transaction id: our instruction reference. */
  instructionReference: string;
  updates: StatusUpdate[];
}

type XmlNode = Record<string, unknown>;

// Values stay strings (a quantity must never pass through a JS number); no entity expansion.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  trimValues: true,
});

/** MT548 reason codes that say who failed; other codes leave the failing party unknown. */
const FAILING_PARTY_OF: Partial<Record<string, { party: FailingParty; code: FailReasonCode }>> = {
  LACK: { party: 'US', code: 'LACK' },
  MONY: { party: 'US', code: 'MONY' },
  CLAC: { party: 'COUNTERPARTY', code: 'CLAC' },
  CMON: { party: 'COUNTERPARTY', code: 'CMON' },
};

const invalid = (message: string) => DomainError.invalid('body', message);

function child(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const name of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as XmlNode)[name];
  }
  return current;
}

function text(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  const inner = child(node, '#text');
  return typeof inner === 'string' ? inner : undefined;
}

/** Finds the first element of this name anywhere below `node` (depth first). */
function find(node: unknown, name: string): unknown {
  if (node === null || typeof node !== 'object') return undefined;
  if (name in (node as XmlNode)) return (node as XmlNode)[name];
  for (const value of Object.values(node as XmlNode)) {
    const found = find(value, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * A quantity or amount as written, bounded like every decimal that enters (the kernel's check
 * refuses an overlong one by its length, before reading it, and the message does not echo it).
 */
function decimal(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  switch (checkDecimalString(value)) {
    case 'ok':
      return value;
    case 'too-many-digits':
      throw invalid(`${field} must have at most ${DEFAULT_DECIMAL_DIGITS.integerDigits} digits before the decimal point and ${DEFAULT_DECIMAL_DIGITS.fractionDigits} after`);
    case 'not-a-decimal-string':
      throw invalid(`${field} "${value}" is not a decimal`);
  }
}

function dateOf(node: unknown): string | undefined {
  const value = text(child(node, 'Dt', 'Dt')) ?? text(child(node, 'Dt', 'DtTm')) ?? text(child(node, 'Dt'));
  if (value === undefined) return undefined;
  const date = value.slice(0, 10);
  if (!LocalDate.isValid(date)) throw invalid(`date "${value}" is not an ISO date`);
  return date;
}

/**
 * Reads a sese.025 (settlement confirmation) or sese.024 (status advice), bare or wrapped in a
 * head.003 RequestPayload with its head.001 AppHdr. The update id is the AppHdr's business message
 * id, or else a hash of the message, so a re-sent message is recognised. DTDs are refused outright.
 */
export function parseStatusMessage(xml: string): ParsedStatusMessage {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw invalid('DTDs and entity declarations are not accepted');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw invalid(`is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const root = parser.parse(xml) as XmlNode;
  const document = child(root, 'Document') ?? child(root, 'RequestPayload', 'Document');
  if (document === undefined) throw invalid('has no ISO 20022 Document element');
  const messageId = text(child(root, 'RequestPayload', 'AppHdr', 'BizMsgIdr')) ?? createHash('sha256').update(xml).digest('hex').slice(0, 32);

  const confirmation = child(document, 'SctiesSttlmTxConf');
  if (confirmation !== undefined) return parseSese025(confirmation, messageId);
  const advice = child(document, 'SctiesSttlmTxStsAdvc');
  if (advice !== undefined) return parseSese024(advice, messageId);
  throw invalid('is neither a sese.025 settlement confirmation (SctiesSttlmTxConf) nor a sese.024 status advice (SctiesSttlmTxStsAdvc)');
}

function reference(node: unknown): string {
  const value = text(child(node, 'AcctOwnrTxId'));
  if (value === undefined || value === '') throw invalid('names no AcctOwnrTxId (our instruction reference)');
  return value;
}

/** sese.025: what settled. PrtlSttlm PAIN marks a partial settlement; otherwise it settles the remainder. */
function parseSese025(conf: unknown, messageId: string): ParsedStatusMessage {
  const quantityNode = child(conf, 'QtyAndAcctDtls', 'SttldQty', 'Qty');
  const settledQuantity = decimal(text(child(quantityNode, 'Unit')) ?? text(child(quantityNode, 'FaceAmt')), 'SttldQty');
  const amount = child(conf, 'SttldAmt', 'Amt');
  const partial = text(find(conf, 'PrtlSttlm')) === 'PAIN';
  const effectiveDate = dateOf(child(conf, 'TradDtls', 'FctvSttlmDt'));
  const update: StatusUpdate = {
    updateId: messageId,
    status: partial ? 'PARTIALLY_SETTLED' : 'SETTLED',
    settledQuantity,
    settledAmount: decimal(text(amount), 'SttldAmt'),
    effectiveDate,
    isin: text(child(conf, 'FinInstrmId', 'ISIN')),
    currency: text(child(amount, '@_Ccy')),
  };
  if (partial && (update.settledQuantity === undefined || update.settledAmount === undefined)) {
    throw invalid('a partial settlement confirmation must carry SttldQty and SttldAmt');
  }
  if (effectiveDate === undefined) throw invalid('a settlement confirmation must carry FctvSttlmDt');
  return { messageType: 'sese.025', instructionReference: reference(child(conf, 'TxIdDtls')), updates: [strip(update)] };
}

/** sese.024: matching, failing (with its MT548 reason) and rejection, each an update of its own. */
function parseSese024(advice: unknown, messageId: string): ParsedStatusMessage {
  const updates: StatusUpdate[] = [];
  if (child(advice, 'MtchgSts', 'Mtchd') !== undefined) updates.push({ updateId: `${messageId}:MATCHED`, status: 'MATCHED' });
  if (child(advice, 'PrcgSts', 'Rjctd') !== undefined) updates.push({ updateId: `${messageId}:REJECTED`, status: 'REJECTED' });
  const failing = child(advice, 'SttlmSts', 'Flng');
  if (failing !== undefined) {
    // Rsn/Cd/Cd: the reason is a code choice (Cd) holding the code itself (Cd).
    const reason = find(failing, 'Cd');
    const code = text(child(reason, 'Cd')) ?? text(reason);
    const known = code === undefined ? undefined : FAILING_PARTY_OF[code];
    if (known === undefined) {
      throw invalid(`failing reason ${code ?? '(none)'} does not say which party failed (LACK, MONY, CLAC or CMON): report it as JSON with failingParty`);
    }
    updates.push({ updateId: `${messageId}:FAILED`, status: 'FAILED', failingParty: known.party, reasonCode: known.code });
  }
  if (updates.length === 0) throw invalid('reports no matching, settlement failing or rejection status that settlement applies');
  return { messageType: 'sese.024', instructionReference: reference(child(advice, 'TxId')), updates };
}

function strip(update: StatusUpdate): StatusUpdate {
  return Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)) as unknown as StatusUpdate;
}
