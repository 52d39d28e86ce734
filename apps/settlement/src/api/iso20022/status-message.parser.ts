import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { checkDecimalString, DEFAULT_DECIMAL_DIGITS, DomainError, LocalDate } from '@postrade/kernel';
import type { FailReasonCode, FailingParty } from '@postrade/contracts';
import type { StatusUpdate } from '../../domain/instruction-status';

/** One status a message reports, on one axis, with the custodian's reason codes as sent (NORE: no reason given). */
export interface ReportedStatus {
  axis: 'processing' | 'matching' | 'settlement' | 'hold';
  /** The ISO 20022 status element, e.g. `AckdAccptd`, `Rjctd`, `Pdg`, `Flng`, `Umtchd`, `Canc`, `Cmpltd`. */
  status: string;
  reasons: string[];
}

interface ParsedCommon {
  /** The account owner's transaction id: our instruction reference. */
  instructionReference: string;
  /** What settlement applies to the instruction, in order (each with its own idempotent update id). */
  updates: StatusUpdate[];
}

/**
 * A custodian's ISO 20022 message about one instruction, read into the updates it reports. `kind`
 * says which answer it is; every kind carries `updates` for the status-update pipeline.
 * - SETTLEMENT_STATUS (sese.024): processing, matching and settlement status with reason codes.
 * - SETTLEMENT_CONFIRMATION (sese.025): what settled, in full or in part.
 * - CANCELLATION_STATUS (sese.027): the answer to our cancellation request (sese.020).
 * - HOLD_STATUS (sese.031): the answer to our hold or release request (sese.030), confirmed or
 *   refused; `hold` is the party hold the request asked for (true: hold, false: release).
 */
export type ParsedStatusMessage =
  | (ParsedCommon & { kind: 'SETTLEMENT_STATUS'; messageType: 'sese.024'; statuses: ReportedStatus[] })
  | (ParsedCommon & { kind: 'SETTLEMENT_CONFIRMATION'; messageType: 'sese.025' })
  | (ParsedCommon & { kind: 'CANCELLATION_STATUS'; messageType: 'sese.027'; requestReference: string; statuses: ReportedStatus[] })
  | (ParsedCommon & { kind: 'HOLD_STATUS'; messageType: 'sese.031'; requestReference: string; hold: boolean; statuses: ReportedStatus[] });

export type StatusMessageKind = ParsedStatusMessage['kind'];

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

/** sese.024 pending/failing reason: our instruction is on (party) hold at the depository. */
const ON_HOLD = 'PREA';

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

const list = (node: unknown): unknown[] => (node === undefined ? [] : Array.isArray(node) ? node : [node]);

/**
 * The reason codes of a status element as sent: each Rsn's code (`Rsn/Cd/Cd`, or a proprietary
 * `Rsn/Cd/Prtry/Id`, or `Rsn/Id` for a proprietary reason), `NORE` for NoSpcfdRsn.
 */
function reasonsOf(status: unknown): string[] {
  const reasons: string[] = [];
  if (child(status, 'NoSpcfdRsn') !== undefined) reasons.push(text(child(status, 'NoSpcfdRsn')) || 'NORE');
  for (const reason of list(child(status, 'Rsn'))) {
    const code = text(child(reason, 'Cd', 'Cd')) ?? text(child(reason, 'Cd', 'Prtry', 'Id')) ?? text(child(reason, 'Id')) ?? text(child(reason, 'Cd'));
    if (code !== undefined && code !== '') reasons.push(code);
  }
  return reasons;
}

/** The status element present in a status choice (e.g. `PrcgSts`), of those this message defines. */
function statusIn(choice: unknown, axis: ReportedStatus['axis'], names: readonly string[]): ReportedStatus | undefined {
  if (choice === undefined) return undefined;
  for (const name of names) {
    const node = child(choice, name);
    if (node !== undefined) return { axis, status: name, reasons: name === 'Prtry' ? proprietaryReasons(node) : reasonsOf(node) };
  }
  const present = choice !== null && typeof choice === 'object' ? Object.keys(choice as XmlNode).join(', ') : String(choice);
  throw invalid(`reports a ${axis} status (${present || 'empty'}) that is none of ${names.join(', ')}`);
}

function proprietaryReasons(node: unknown): string[] {
  const status = text(child(node, 'PrtrySts', 'Id'));
  const reasons = list(child(node, 'PrtryRsn')).flatMap((r) => {
    const id = text(child(r, 'Rsn', 'Id'));
    return id === undefined ? [] : [id];
  });
  return [...(status === undefined ? [] : [status]), ...reasons];
}

/** The reason codes as one `statusReason` (recorded on the instruction as sent); undefined when none. */
const reasonText = (reasons: string[]): string | undefined => (reasons.length === 0 ? undefined : reasons.join(','));

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
 * Reads a custodian's status message: sese.024 (status advice), sese.025 (settlement
 * confirmation), sese.027 (cancellation request status) or sese.031 (conditions modification, i.e.
 * hold/release, status), bare or wrapped in a head.003 RequestPayload with its head.001 AppHdr.
 * The update ids derive from the AppHdr's business message id, or else a hash of the message, so
 * a re-sent message is recognised. DTDs are refused outright.
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
  const cancellation = child(document, 'SctiesTxCxlReqStsAdvc');
  if (cancellation !== undefined) return parseSese027(cancellation, messageId);
  const modification = child(document, 'SctiesSttlmCondModStsAdvc');
  if (modification !== undefined) return parseSese031(modification, messageId);
  throw invalid(
    'is neither a sese.025 settlement confirmation (SctiesSttlmTxConf), a sese.024 status advice (SctiesSttlmTxStsAdvc), a sese.027 cancellation status (SctiesTxCxlReqStsAdvc) nor a sese.031 hold/release status (SctiesSttlmCondModStsAdvc)',
  );
}

function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw invalid(`names no ${what}`);
  return value;
}

/**
 * sese.025: what settled, SttldQty (units or face amount) and SttldAmt, on FctvSttlmDt. A partial
 * settlement is marked in AddtlParams/PrtlSttlm: PAIN a partial, PARC the partial that completes
 * the instruction (so it settles the remainder); without it the confirmation settles the remainder.
 */
function parseSese025(conf: unknown, messageId: string): ParsedStatusMessage {
  const quantityNode = child(conf, 'QtyAndAcctDtls', 'SttldQty', 'Qty');
  const settledQuantity = decimal(text(child(quantityNode, 'Unit')) ?? text(child(quantityNode, 'FaceAmt')) ?? text(child(quantityNode, 'AmtsdVal')), 'SttldQty');
  const amount = child(conf, 'SttldAmt', 'Amt');
  const partialCode = text(child(conf, 'AddtlParams', 'PrtlSttlm'));
  if (partialCode !== undefined && partialCode !== 'PAIN' && partialCode !== 'PARC') throw invalid(`PrtlSttlm "${partialCode}" is neither PAIN nor PARC`);
  const partial = partialCode === 'PAIN';
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
  return {
    kind: 'SETTLEMENT_CONFIRMATION',
    messageType: 'sese.025',
    instructionReference: required(text(child(conf, 'TxIdDtls', 'AcctOwnrTxId')), 'AcctOwnrTxId (our instruction reference)'),
    updates: [strip(update)],
  };
}

const SESE024_PROCESSING = ['AckdAccptd', 'PdgPrcg', 'Rjctd', 'Rpr', 'Canc', 'PdgCxl', 'CxlReqd', 'ModReqd', 'Prtry'] as const;
const SESE024_MATCHING = ['Mtchd', 'Umtchd', 'Prtry'] as const;
const SESE024_SETTLEMENT = ['Pdg', 'Flng', 'Prtry'] as const;

/**
 * sese.024: each axis it reports becomes an update. Processing: accepted/acknowledged (AckdAccptd)
 * and pending processing or cancellation are ACKNOWLEDGED with their reasons, rejected (Rjctd) and
 * to-be-repaired (Rpr) REJECTED with the reason, cancelled (Canc) CANCELLED. Matching: MATCHED or
 * UNMATCHED with the reason. Settlement: failing (Flng) is FAILED with the MT548 reason that says
 * who failed; pending (Pdg) records its reason (ACKNOWLEDGED), except PREA, the instruction is on
 * hold, which confirms a party hold (HOLD_CONFIRMED), as does a hold indicator echoed on (PTYH).
 */
function parseSese024(advice: unknown, messageId: string): ParsedStatusMessage {
  const statuses: ReportedStatus[] = [];
  const updates: StatusUpdate[] = [];
  // One update per axis, its id the message's and the axis's status (so a re-sent message applies once).
  const push = (status: StatusUpdate['status'], reasons: string[], extra: Partial<StatusUpdate> = {}, idSuffix: string = status) => {
    const statusReason = reasonText(reasons);
    updates.push({ updateId: `${messageId}:${idSuffix}`, status, ...(statusReason === undefined ? {} : { statusReason }), ...extra });
  };

  const processing = statusIn(child(advice, 'PrcgSts'), 'processing', SESE024_PROCESSING);
  if (processing !== undefined) {
    statuses.push(processing);
    if (processing.status === 'Rjctd' || processing.status === 'Rpr') push('REJECTED', processing.reasons);
    else if (processing.status === 'Canc') push('CANCELLED', processing.reasons);
    else push('ACKNOWLEDGED', processing.reasons);
  }
  const matching = statusIn(child(advice, 'MtchgSts'), 'matching', SESE024_MATCHING);
  if (matching !== undefined) {
    statuses.push(matching);
    if (matching.status === 'Mtchd') push('MATCHED', matching.reasons.filter((r) => r !== 'NORE'));
    else if (matching.status === 'Umtchd') push('UNMATCHED', matching.reasons);
    else throw invalid(`reports a proprietary matching status (${matching.reasons.join(',')}) that settlement cannot apply: report it as JSON`);
  }
  let holdConfirmed = false;
  const settlement = statusIn(child(advice, 'SttlmSts'), 'settlement', SESE024_SETTLEMENT);
  if (settlement !== undefined) {
    statuses.push(settlement);
    if (settlement.status === 'Flng') {
      const code = settlement.reasons.find((r) => FAILING_PARTY_OF[r] !== undefined) ?? settlement.reasons[0];
      const known = code === undefined ? undefined : FAILING_PARTY_OF[code];
      if (known === undefined) {
        throw invalid(`failing reason ${code ?? '(none)'} does not say which party failed (LACK, MONY, CLAC or CMON): report it as JSON with failingParty`);
      }
      push('FAILED', settlement.reasons, { failingParty: known.party, reasonCode: known.code });
    } else if (settlement.status === 'Pdg' && settlement.reasons.includes(ON_HOLD)) {
      holdConfirmed = true;
      push('HOLD_CONFIRMED', settlement.reasons);
    } else if (settlement.status === 'Pdg') {
      push('ACKNOWLEDGED', settlement.reasons, {}, 'PENDING');
    } else {
      throw invalid(`reports a proprietary settlement status (${settlement.reasons.join(',')}) that settlement cannot apply: report it as JSON`);
    }
  }
  const holdIndicator = child(advice, 'TxDtls', 'SttlmParams', 'HldInd');
  if (holdIndicator !== undefined && text(child(holdIndicator, 'Ind')) === 'true') {
    const reasons = reasonsOf(holdIndicator);
    statuses.push({ axis: 'hold', status: 'HldInd', reasons });
    if (!holdConfirmed && (reasons.length === 0 || reasons.includes('PTYH'))) push('HOLD_CONFIRMED', reasons);
  }
  if (updates.length === 0) throw invalid('reports no processing, matching or settlement status');
  return {
    kind: 'SETTLEMENT_STATUS',
    messageType: 'sese.024',
    instructionReference: required(text(child(advice, 'TxId', 'AcctOwnrTxId')), 'AcctOwnrTxId (our instruction reference)'),
    updates,
    statuses,
  };
}

const SESE027_PROCESSING = ['Canc', 'AckdAccptd', 'PdgCxl', 'Rjctd', 'Rpr', 'Dnd', 'Prtry'] as const;

/**
 * sese.027: the answer to our cancellation request, quoting its id (CxlReqRef) and the instruction
 * (TxId/AcctOwnrTxId). Cancelled (Canc) is CANCELLED; rejected, to be repaired or denied is
 * CANCELLATION_REJECTED with the reason (the instruction stays live); accepted or pending records
 * its reason (ACKNOWLEDGED): the cancellation is not done yet.
 */
function parseSese027(advice: unknown, messageId: string): ParsedStatusMessage {
  const requestReference = required(text(child(advice, 'CxlReqRef', 'Id')), 'CxlReqRef (our cancellation request id)');
  const owner = child(advice, 'TxId', 'AcctOwnrTxId');
  const instructionReference = required(
    text(child(owner, 'SctiesSttlmTxId', 'TxId')) ?? text(child(owner, 'SctiesFincgTxId', 'TxId')) ?? text(child(owner, 'OthrTxId', 'Id')) ?? text(child(owner, 'IntraPosMvmntId')) ?? text(owner),
    'TxId/AcctOwnrTxId (the instruction to cancel)',
  );
  const processing = statusIn(child(advice, 'PrcgSts'), 'processing', SESE027_PROCESSING);
  if (processing === undefined) throw invalid('reports no processing status (PrcgSts)');
  const status: StatusUpdate['status'] =
    processing.status === 'Canc' ? 'CANCELLED' : processing.status === 'Rjctd' || processing.status === 'Rpr' || processing.status === 'Dnd' ? 'CANCELLATION_REJECTED' : 'ACKNOWLEDGED';
  const statusReason = reasonText(processing.reasons);
  return {
    kind: 'CANCELLATION_STATUS',
    messageType: 'sese.027',
    requestReference,
    instructionReference,
    statuses: [processing],
    updates: [{ updateId: `${messageId}:${status}`, status, ...(statusReason === undefined ? {} : { statusReason }) }],
  };
}

const SESE031_PROCESSING = ['Cmpltd', 'AckdAccptd', 'Pdg', 'Rjctd', 'Dnd', 'Prtry'] as const;

/**
 * sese.031: the answer to our hold or release request (sese.030), quoting its id (ReqRef) and, in
 * ReqDtls, the instruction and the hold indicator it asked for. Accepted or completed confirms it
 * (HOLD_CONFIRMED for a hold, RELEASE_CONFIRMED for a release); rejected or denied refuses it
 * (HOLD_REJECTED, RELEASE_REJECTED) with the custodian's reason codes; pending records its reason
 * (ACKNOWLEDGED): the hold stays as it was at the depository.
 */
function parseSese031(advice: unknown, messageId: string): ParsedStatusMessage {
  const requestReference = required(text(child(advice, 'ReqRef', 'Id')), 'ReqRef (our hold/release request id)');
  const details = child(advice, 'ReqDtls');
  const instructionReference = required(text(child(details, 'Ref', 'AcctOwnrTxId')), 'ReqDtls/Ref/AcctOwnrTxId (the instruction held or released)');
  const indicator = text(child(details, 'HldInd', 'Ind'));
  if (indicator !== 'true' && indicator !== 'false') throw invalid('names no ReqDtls/HldInd/Ind: it does not say whether it answers a hold or a release');
  const hold = indicator === 'true';
  const processing = statusIn(child(advice, 'PrcgSts'), 'processing', SESE031_PROCESSING);
  if (processing === undefined) throw invalid('reports no processing status (PrcgSts)');
  const confirmed = processing.status === 'Cmpltd' || processing.status === 'AckdAccptd';
  const refused = processing.status === 'Rjctd' || processing.status === 'Dnd';
  const status: StatusUpdate['status'] = confirmed
    ? hold ? 'HOLD_CONFIRMED' : 'RELEASE_CONFIRMED'
    : refused ? (hold ? 'HOLD_REJECTED' : 'RELEASE_REJECTED') : 'ACKNOWLEDGED';
  const reasons = confirmed || refused ? processing.reasons : [`${processing.status}`, ...processing.reasons];
  const statusReason = reasonText(reasons.filter((r) => !(confirmed && r === 'NORE')));
  return {
    kind: 'HOLD_STATUS',
    messageType: 'sese.031',
    requestReference,
    instructionReference,
    hold,
    statuses: [processing],
    updates: [{ updateId: `${messageId}:${status}`, status, ...(statusReason === undefined ? {} : { statusReason }) }],
  };
}

function strip(update: StatusUpdate): StatusUpdate {
  return Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)) as unknown as StatusUpdate;
}
