/**
 * ISO 20022 statements in, one `Statement` out: semt.002 (holdings), semt.017 (transactions),
 * camt.053 (cash) and semt.044 (penalties), the message read from the Document's namespace.
 *
 * Each message's statement lines are taken as their element closes and then dropped from the tree,
 * so a 100,000-line statement costs one pass and the memory of its result. Every refusal names the
 * line of the element at fault and its path from the statement line (`line 42: Bal/Amt`) or from
 * the message root (`line 3: SctiesBalCtdyRpt/StmtGnlDtls/StmtBsis`).
 *
 * What is refused rather than guessed at, because reading it as a complete statement would open
 * false breaks: a statement split over several pages, a delta (UpdTp DELT) holdings statement, a
 * statement on any basis but settled positions (StmtBsis SETT), sub-account breakdowns, reversal
 * postings, instruments without an ISIN, and a proprietary quantity.
 */
import { Decimal } from '@postrade/kernel';
import {
  FREE_OF_PAYMENT_CURRENCY,
  type CashLine,
  type HoldingLine,
  type MovementDirection,
  type PenaltyDirection,
  type PenaltyLine,
  type Statement,
  type StatementType,
  type TransactionLine,
} from '../model';
import { messageIdentifier, messageOfNamespace, supportedNamespaces, type MessageDefinition } from './iso20022';
import { childrenNamed, descend, readXml, type XmlElement } from './xml-reader';
import { currencyField, dateField, decimalField, FieldErrors, isinField, maxLinesOf, refuse, textField, type ParseOptions, type Sign } from './values';

/**
 * An element with the path that names it in an error. The path is put together only when an
 * error needs it: a statement line's elements are read by the million.
 */
class Node {
  constructor(
    readonly element: XmlElement,
    private readonly base: string,
    private readonly relative: string | null = null,
  ) {}

  get path(): string {
    return this.relative === null ? this.base : `${this.base}/${this.relative}`;
  }

  get field(): string {
    return `line ${this.element.line}: ${this.path}`;
  }

  get text(): string {
    return this.element.text.trim();
  }

  at(relative: string): Node | null {
    const { found } = descend(this.element, relative);
    return found === undefined ? null : new Node(found, this.path, relative);
  }

  /** The element at `relative`, or null after recording it missing at the deepest element there is. */
  need(relative: string, errors: FieldErrors, why = 'is missing'): Node | null {
    const { found, deepest } = descend(this.element, relative);
    if (found !== undefined) return new Node(found, this.path, relative);
    errors.add(`line ${deepest.line}: ${this.path}/${relative}`, why);
    return null;
  }

  attribute(name: string): string | undefined {
    return this.element.attributes?.[name];
  }
}

// ---------------------------------------------------------------- values as ISO 20022 writes them

const XS_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * xs:decimal allows "+5", "007", ".5" and "5."; the kernel's canonical form does not. The value is
 * what counts, so the lexical form is normalised first (sign, leading and trailing zeros); the digit
 * bounds then apply to the value. A very long text is passed on untouched to be refused by length.
 */
function canonicalDecimal(raw: string): string {
  if (raw.length > 64) return raw;
  const match = XS_DECIMAL.exec(raw);
  if (match === null || (match[2] === '' && (match[3] ?? '') === '')) return raw;
  const integer = match[2].replace(/^0+(?=\d)/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  return `${match[1] === '-' ? '-' : ''}${integer}${fraction === '' ? '' : `.${fraction}`}`;
}

function xmlDecimal(node: Node, errors: FieldErrors, sign: Sign): Decimal | null {
  return decimalField(canonicalDecimal(node.text), node.field, errors, sign);
}

const XS_DATE = /^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?$/;
const XS_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/;

/** A DateAndDateTime2Choice (Dt or DtTm): the date as written (a date-time's own local date). */
function xmlDateChoice(choice: Node, errors: FieldErrors): string | null {
  const date = choice.at('Dt');
  if (date !== null) return xmlDate(date, errors);
  const dateTime = choice.at('DtTm');
  if (dateTime !== null) return xmlDateOfDateTime(dateTime, errors);
  errors.add(choice.field, 'has neither Dt nor DtTm');
  return null;
}

/** The date part of an xs:dateTime, as the sender wrote it (its own local date). */
function xmlDateOfDateTime(node: Node, errors: FieldErrors): string | null {
  const match = XS_DATE_TIME.exec(node.text);
  if (match === null) {
    errors.add(node.field, `"${node.text.slice(0, 40)}" is not a date-time (YYYY-MM-DDThh:mm:ss)`);
    return null;
  }
  return dateField(match[1], node.field, errors);
}

function xmlDate(node: Node, errors: FieldErrors): string | null {
  const match = XS_DATE.exec(node.text);
  return dateField(match === null ? node.text : match[1], node.field, errors);
}

function xmlText(node: Node, errors: FieldErrors): string | null {
  return textField(node.text, node.field, errors);
}

function xmlCurrency(amount: Node, errors: FieldErrors): string | null {
  return currencyField(amount.attribute('Ccy'), `${amount.field}/@Ccy`, errors);
}

const QUANTITY_ELEMENTS = ['Unit', 'FaceAmt', 'AmtsdVal', 'DgtlTknUnit'];

/** A FinancialInstrumentQuantity choice: units, face amount, amortised value or digital token units. */
function xmlQuantity(choice: Node, errors: FieldErrors, sign: Sign): Decimal | null {
  for (const name of QUANTITY_ELEMENTS) {
    const quantity = choice.at(name);
    if (quantity !== null) return xmlDecimal(quantity, errors, sign);
  }
  errors.add(choice.field, 'has no quantity (Unit, FaceAmt, AmtsdVal or DgtlTknUnit)');
  return null;
}

/** A Quantity choice (quantity, or original and current face): the current one. */
function xmlPostingQuantity(choice: Node, errors: FieldErrors, sign: Sign): Decimal | null {
  const quantity = choice.at('Qty');
  if (quantity !== null) return xmlQuantity(quantity, errors, sign);
  const face = choice.at('OrgnlAndCurFace/FaceAmt');
  if (face !== null) return xmlDecimal(face, errors, sign);
  if (choice.at('Prtry') !== null) errors.add(choice.field, 'a proprietary quantity is not read: send Qty');
  else errors.add(`${choice.field}/Qty`, 'is missing');
  return null;
}

/** Pagination: only a statement whole in one message is a statement we can compare. */
function checkSinglePage(pagination: Node | null, errors: FieldErrors): void {
  if (pagination === null) return;
  const page = pagination.at('PgNb')?.text;
  const last = pagination.at('LastPgInd')?.text;
  if ((page !== undefined && !/^0*1$/.test(page)) || (last !== undefined && last !== 'true' && last !== '1')) {
    errors.add(pagination.field, `page ${page ?? '?'}${last === 'true' || last === '1' ? '' : ' (not the last)'} of a statement split over several messages: send the whole statement in one message`);
  }
}

function checkSettledBasis(general: Node, errors: FieldErrors): void {
  const basis = general.at('StmtBsis');
  if (basis === null) return;
  const code = basis.at('Cd')?.text;
  if (code !== 'SETT') {
    errors.add(basis.field, `${code === undefined ? 'a proprietary basis' : `basis ${code}`} is not reconciled: we compare settled positions and movements (StmtBsis/Cd SETT)`);
  }
}

// ---------------------------------------------------------------- one reader per message

interface Header {
  statementId: string | null;
  account: string | null;
  asOf: string | null;
}

abstract class MessageReader<L> {
  readonly lines: L[] = [];
  private readonly firstLineOfKey = new Map<string, number>();

  constructor(
    protected readonly errors: FieldErrors,
    protected readonly options: ParseOptions,
  ) {}

  /** The statement line's element, by the names below the message root, e.g. ['FinInstrmDtls', 'Tx']. */
  abstract readonly linePath: readonly string[];
  /** Elements below the message root that are not read and may be many: dropped as they close. */
  readonly dropPaths: readonly (readonly string[])[] = [];

  /** Reads one statement line; `ancestors[rootIndex]` is the message root. */
  abstract readLine(line: Node, ancestors: readonly XmlElement[], rootIndex: number): void;

  abstract readHeader(root: Node, appHdr: Node | null): Header;

  /** False (after recording the error at the second one) when `key` was already on an earlier line. */
  protected unique(key: string, node: Node, what: string): boolean {
    const first = this.firstLineOfKey.get(key);
    if (first !== undefined) {
      this.errors.add(node.field, `${what} appears twice in the statement: first on line ${first}`);
      return false;
    }
    this.firstLineOfKey.set(key, node.element.line);
    return true;
  }

  /** The statement's own id, else the business message id of its AppHdr. */
  protected statementId(id: Node | null, appHdr: Node | null, missing: Node, missingPath: string): string | null {
    if (id !== null) return xmlText(id, this.errors);
    const businessMessageId = appHdr?.at('BizMsgIdr') ?? null;
    if (businessMessageId !== null) return xmlText(businessMessageId, this.errors);
    this.errors.add(`line ${missing.element.line}: ${missing.path}/${missingPath}`, 'is missing (and no AppHdr/BizMsgIdr): a statement needs an id to be recognised when it is sent again');
    return null;
  }

  protected account(root: Node): string | null {
    const id = root.need('SfkpgAcct/Id', this.errors, 'is missing: the statement must name the safekeeping account it covers');
    return id === null ? null : xmlText(id, this.errors);
  }

  protected isin(node: Node): string | null {
    return isinField(node.text, node.field, this.errors, this.options.isinCheck);
  }

  protected refuseSubAccounts(root: Node): void {
    const subAccounts = root.at('SubAcctDtls');
    if (subAccounts !== null) this.errors.add(subAccounts.field, 'sub-account statements are not reconciled: send one statement per safekeeping account');
  }
}

/** semt.002 SecuritiesBalanceCustodyReport: the aggregate balance of each ISIN. */
class HoldingsReader extends MessageReader<HoldingLine> {
  readonly linePath = ['BalForAcct'];

  readLine(balance: Node): void {
    const errors = this.errors;
    const isinNode = balance.need('FinInstrmId/ISIN', errors, 'is missing: only instruments identified by an ISIN are reconciled');
    const isin = isinNode === null ? null : this.isin(isinNode);
    const aggregate = balance.need('AggtBal', errors);
    const quantity = aggregate === null ? null : this.aggregateQuantity(aggregate);
    if (isinNode === null || isin === null || quantity === null || !this.unique(isin, isinNode, `ISIN ${isin}`)) return;
    this.lines.push({ isin, quantity });
  }

  /** The aggregate balance, negative when short (ShrtLngInd SHOR). */
  private aggregateQuantity(aggregate: Node): Decimal | null {
    const errors = this.errors;
    const indicator = aggregate.need('ShrtLngInd', errors);
    // Qty is a BalanceQuantity choice: a Quantity (itself a choice) or a proprietary balance.
    const balance = aggregate.need('Qty', errors);
    let value: Decimal | null = null;
    if (balance !== null) {
      const quantity = balance.at('Qty');
      if (quantity !== null) value = xmlPostingQuantity(quantity, errors, 'non-negative');
      else if (balance.at('Prtry') !== null) errors.add(balance.field, 'a proprietary balance is not read: send Qty');
      else errors.add(`${balance.field}/Qty`, 'is missing');
    }
    if (indicator === null || value === null) return null;
    if (indicator.text !== 'LONG' && indicator.text !== 'SHOR') {
      errors.add(indicator.field, `"${indicator.text.slice(0, 10)}" must be LONG or SHOR`);
      return null;
    }
    return indicator.text === 'SHOR' && !value.isZero() ? value.negated() : value;
  }

  readHeader(root: Node, appHdr: Node | null): Header {
    const errors = this.errors;
    checkSinglePage(root.need('Pgntn', errors), errors);
    this.refuseSubAccounts(root);
    const general = root.need('StmtGnlDtls', errors);
    if (general === null) return { statementId: null, account: this.account(root), asOf: null };
    const update = general.at('UpdTp/Cd');
    if (update !== null && update.text === 'DELT') errors.add(update.field, 'a delta statement lists only changes: send a complete statement (COMP)');
    checkSettledBasis(general, errors);
    const date = general.need('StmtDtTm', errors);
    return {
      statementId: this.statementId(general.at('StmtId'), appHdr, general, 'StmtId'),
      account: this.account(root),
      asOf: date === null ? null : xmlDateChoice(date, errors),
    };
  }
}

/** semt.017 SecuritiesTransactionPostingReport: each posting (Tx) under its instrument. */
class TransactionsReader extends MessageReader<TransactionLine> {
  readonly linePath = ['FinInstrmDtls', 'Tx'];
  private lastInstrument: XmlElement | null = null;
  private lastIsin: string | null = null;

  readLine(tx: Node, ancestors: readonly XmlElement[], rootIndex: number): void {
    const errors = this.errors;
    const isin = this.isinOf(ancestors[rootIndex + 1]);
    const referenceNode = tx.need('AcctSvcrTxId', errors, "is missing: the account servicer's reference identifies the posting");
    const reference = referenceNode === null ? null : xmlText(referenceNode, errors);
    const ownerNode = tx.need('AcctOwnrTxId', errors);
    const owner = ownerNode === null ? null : xmlText(ownerNode, errors);
    const details = tx.need('TxDtls', errors, 'is missing: a posting needs its movement, quantity and settlement date');
    if (details === null) return;
    const reversal = details.at('RvslInd');
    if (reversal !== null && (reversal.text === 'true' || reversal.text === '1')) {
      errors.add(reversal.field, 'a reversal of an earlier posting is not reconciled: send the statement without the reversed pair');
      return;
    }
    const movement = details.need('SctiesMvmntTp', errors);
    const direction: MovementDirection | null = movement === null ? null : movement.text === 'RECE' ? 'RECEIVE' : movement.text === 'DELI' ? 'DELIVER' : null;
    if (movement !== null && direction === null) errors.add(movement.field, `"${movement.text.slice(0, 10)}" must be RECE or DELI`);
    const postedQuantity = details.need('PstngQty', errors);
    const quantity = postedQuantity === null ? null : xmlPostingQuantity(postedQuantity, errors, 'positive');
    let amount: Decimal | null = new Decimal(0);
    let currency: string | null = FREE_OF_PAYMENT_CURRENCY;
    const posted = details.at('PstngAmt');
    if (posted !== null) {
      const amountNode = posted.need('Amt', errors);
      amount = amountNode === null ? null : xmlDecimal(amountNode, errors, 'non-negative');
      currency = amountNode === null ? null : xmlCurrency(amountNode, errors);
      if (amountNode !== null && currency === FREE_OF_PAYMENT_CURRENCY && amount !== null && !amount.isZero()) {
        errors.add(`${amountNode.field}/@Ccy`, `${FREE_OF_PAYMENT_CURRENCY} (no currency) is for a free-of-payment posting, whose amount is 0`);
        currency = null;
      }
    }
    const effective = details.need('FctvSttlmDt', errors, 'is missing: a posting is compared on its effective settlement date');
    const settlementDate = effective === null ? null : xmlDateChoice(effective, errors);
    if (
      isin === null ||
      referenceNode === null ||
      reference === null ||
      owner === null ||
      direction === null ||
      quantity === null ||
      amount === null ||
      currency === null ||
      settlementDate === null ||
      !this.unique(reference, referenceNode, `reference ${reference}`)
    ) {
      return;
    }
    this.lines.push({ reference, instructionId: owner === 'NONREF' ? null : owner, isin, quantity, amount, currency, direction, settlementDate });
  }

  /** The instrument's ISIN, read (and any error recorded) once for all its postings. */
  private isinOf(instrument: XmlElement): string | null {
    if (instrument === this.lastInstrument) return this.lastIsin;
    const node = new Node(instrument, 'FinInstrmDtls').need('FinInstrmId/ISIN', this.errors, 'is missing: only instruments identified by an ISIN are reconciled');
    this.lastInstrument = instrument;
    this.lastIsin = node === null ? null : this.isin(node);
    return this.lastIsin;
  }

  readHeader(root: Node, appHdr: Node | null): Header {
    const errors = this.errors;
    checkSinglePage(root.need('Pgntn', errors), errors);
    this.refuseSubAccounts(root);
    const general = root.need('StmtGnlDtls', errors);
    if (general === null) return { statementId: null, account: this.account(root), asOf: null };
    checkSettledBasis(general, errors);
    let asOf: string | null = null;
    const period = general.need('StmtPrd', errors);
    if (period !== null) {
      const toDate = period.at('FrDtToDt/ToDt');
      const toDateTime = period.at('FrDtTmToDtTm/ToDtTm');
      if (toDate !== null) asOf = xmlDate(toDate, errors);
      else if (toDateTime !== null) asOf = xmlDateOfDateTime(toDateTime, errors);
      else errors.add(period.field, 'has no end date (FrDtToDt/ToDt or FrDtTmToDtTm/ToDtTm)');
    }
    return { statementId: this.statementId(general.at('StmtId'), appHdr, general, 'StmtId'), account: this.account(root), asOf };
  }
}

/** camt.053 BankToCustomerStatement: each closing booked balance (CLBD), signed by CdtDbtInd. */
class CashReader extends MessageReader<CashLine> {
  readonly linePath = ['Stmt', 'Bal'];
  /** Entries are not compared (the balance is), and a busy account has many. */
  override readonly dropPaths = [['Stmt', 'Ntry']];
  private readonly dates: { date: string; node: Node }[] = [];

  readLine(balance: Node): void {
    const errors = this.errors;
    if (balance.at('Tp/CdOrPrtry/Cd')?.text !== 'CLBD') return;
    const amountNode = balance.need('Amt', errors);
    const amount = amountNode === null ? null : xmlDecimal(amountNode, errors, 'non-negative');
    const currency = amountNode === null ? null : xmlCurrency(amountNode, errors);
    const indicator = balance.need('CdtDbtInd', errors);
    if (indicator !== null && indicator.text !== 'CRDT' && indicator.text !== 'DBIT') errors.add(indicator.field, `"${indicator.text.slice(0, 10)}" must be CRDT or DBIT`);
    const dateNode = balance.need('Dt', errors);
    const date = dateNode === null ? null : xmlDateChoice(dateNode, errors);
    if (dateNode !== null && date !== null) this.dates.push({ date, node: dateNode });
    if (amountNode === null || amount === null || currency === null || indicator === null) return;
    if (!this.unique(currency, amountNode, `a closing booked balance in ${currency}`)) return;
    this.lines.push({ currency, amount: indicator.text === 'DBIT' && !amount.isZero() ? amount.negated() : amount });
  }

  readHeader(root: Node): Header {
    const errors = this.errors;
    const messageId = root.need('GrpHdr/MsgId', errors);
    checkSinglePage(root.at('GrpHdr/MsgPgntn'), errors);
    const statements = childrenNamed(root.element, 'Stmt').map((e) => new Node(e, `${root.path}/Stmt`));
    let account: string | null = null;
    statements.forEach((statement, i) => {
      checkSinglePage(statement.at('StmtPgntn'), errors);
      const id = statement.at('Acct/Id/IBAN') ?? statement.at('Acct/Id/Othr/Id');
      if (id === null) {
        statement.need('Acct/Id/Othr/Id', errors, 'is missing: the statement must name its cash account (IBAN or Othr/Id)');
        return;
      }
      const value = xmlText(id, errors);
      if (i === 0) account = value;
      else if (value !== null && account !== null && value !== account) {
        errors.add(id.field, `is ${value}, but the message's first statement is of account ${account}: send one account per message`);
      }
    });
    const [first, ...others] = this.dates;
    if (first === undefined) {
      errors.add(statements[0]?.field ?? root.field, 'has no closing booked balance (Bal with Tp/CdOrPrtry/Cd CLBD)');
    }
    for (const other of others) {
      if (first !== undefined && other.date !== first.date) {
        errors.add(other.node.field, `is ${other.date}, but the first closing balance is of ${first.date}: one statement is of one date`);
      }
    }
    const statementId = statements.length === 1 ? statements[0].need('Id', errors) : messageId;
    return { statementId: statementId === null ? null : xmlText(statementId, errors), account, asOf: first?.date ?? null };
  }
}

/** semt.044 SecuritiesTransactionPenaltiesReport: each penalty (PnltyDtls) with its day and direction. */
class PenaltiesReader extends MessageReader<PenaltyLine> {
  readonly linePath = ['Pnlty', 'PnltyPerCtrPty', 'PnltyDtls'];

  readLine(details: Node, ancestors: readonly XmlElement[], rootIndex: number): void {
    const errors = this.errors;
    if (details.at('Sts/Sts/Cd')?.text === 'REMO') return; // removed by the CSD: no longer owed
    const referenceNode = details.need('RltdTx/Ref/AcctOwnrTxId', errors, 'is missing: a penalty is matched to our instruction by its reference');
    let instructionId = referenceNode === null ? null : xmlText(referenceNode, errors);
    if (referenceNode !== null && instructionId === 'NONREF') {
      errors.add(referenceNode.field, 'NONREF names no instruction of ours: the penalty cannot be reconciled');
      instructionId = null;
    }
    const computed = details.need('CmptdAmt', errors);
    const amountNode = computed === null ? null : computed.need('Amt', errors);
    const amount = amountNode === null ? null : xmlDecimal(amountNode, errors, 'non-negative');
    const currency = amountNode === null ? null : xmlCurrency(amountNode, errors);
    const indicator = computed === null ? null : computed.need('CdtDbt', errors, 'is missing: DBIT (we pay) or CRDT (we receive)');
    const direction: PenaltyDirection | null = indicator === null ? null : indicator.text === 'DBIT' ? 'PAY' : indicator.text === 'CRDT' ? 'RECEIVE' : null;
    if (indicator !== null && direction === null) errors.add(indicator.field, `"${indicator.text.slice(0, 10)}" must be DBIT or CRDT`);
    const date = this.penaltyDate(new Node(ancestors[rootIndex + 1], 'Pnlty'), new Node(ancestors[rootIndex], ancestors[rootIndex].name));
    if (referenceNode === null || instructionId === null || amount === null || currency === null || direction === null || date === null) return;
    if (!this.unique(`${instructionId}\u0000${date}`, referenceNode, `a penalty for instruction ${instructionId} on ${date}`)) return;
    this.lines.push({ instructionId, date, amount, currency, direction });
  }

  /** The penalty block's date (the day it was computed for), else the report's date. */
  private penaltyDate(penalty: Node, root: Node): string | null {
    const own = penalty.at('Dt');
    if (own !== null) return xmlDateChoice(own, this.errors);
    const reportDate = root.at('RptGnlDtls/RptDt');
    if (reportDate !== null) return xmlDateChoice(reportDate, this.errors);
    this.errors.add(`${penalty.field}/Dt`, 'is missing and the report has no date (RptGnlDtls/RptDt)');
    return null;
  }

  readHeader(root: Node, appHdr: Node | null): Header {
    const errors = this.errors;
    checkSinglePage(root.at('RptPgntn'), errors);
    const general = root.need('RptGnlDtls', errors);
    if (general === null) return { statementId: null, account: this.account(root), asOf: null };
    let asOf: string | null = null;
    const reportDate = general.at('RptDt');
    const periodDate = general.at('RptPrd/Dt');
    const periodEnd = general.at('RptPrd/FrDtToDt/ToDt');
    if (reportDate !== null) asOf = xmlDateChoice(reportDate, errors);
    else if (periodDate !== null) asOf = xmlDate(periodDate, errors);
    else if (periodEnd !== null) asOf = xmlDate(periodEnd, errors);
    else errors.add(`${general.field}/RptDt`, 'is missing (and no RptPrd date): a report is compared as of its date');
    return { statementId: this.statementId(general.at('RptId'), appHdr, general, 'RptId'), account: this.account(root), asOf };
  }
}

function readerFor(type: StatementType, errors: FieldErrors, options: ParseOptions): MessageReader<unknown> {
  switch (type) {
    case 'HOLDINGS':
      return new HoldingsReader(errors, options);
    case 'TRANSACTIONS':
      return new TransactionsReader(errors, options);
    case 'CASH':
      return new CashReader(errors, options);
    case 'PENALTIES':
      return new PenaltiesReader(errors, options);
  }
}

/** True when `element` (closing, with these ancestors) sits at `path` below the message root. */
function isAt(path: readonly string[], element: XmlElement, ancestors: readonly XmlElement[], rootIndex: number): boolean {
  const depth = ancestors.length - rootIndex;
  if (depth !== path.length || element.name !== path[depth - 1]) return false;
  for (let k = 0; k < depth - 1; k++) if (ancestors[rootIndex + 1 + k].name !== path[k]) return false;
  return true;
}

/**
 * Parses an ISO 20022 statement: a bare Document, or a Document beside its AppHdr in a wrapper
 * element (an Envelope, a RequestPayload). The message is read from the Document's namespace; an
 * unknown one is refused. Throws DomainError `invalid` naming the line and element of each fault.
 */
export function parseStatementXml(xml: string, options: ParseOptions = {}): Statement {
  if (typeof xml !== 'string' || xml.trim() === '') refuse('line 1: document', 'is empty: expected an ISO 20022 XML document');
  const maxLines = maxLinesOf(options);
  const errors = new FieldErrors();
  // Set by the hooks as the document is read.
  const found: {
    message: { definition: MessageDefinition; version: string } | null;
    reader: MessageReader<unknown> | null;
    document: XmlElement | null;
    documentParent: XmlElement | null;
    messageRoot: XmlElement | null;
    rootIndex: number;
    lineCount: number;
  } = { message: null, reader: null, document: null, documentParent: null, messageRoot: null, rootIndex: -1, lineCount: 0 };

  const root = readXml(xml, {
    open(element, ancestors) {
      if (found.message === null) {
        if (element.name !== 'Document' || ancestors.length > 2) return;
        const message = messageOfNamespace(element.ns);
        if (message === null) {
          refuse(`line ${element.line}: Document`, `unknown message namespace "${element.ns.slice(0, 100)}": expected one of ${supportedNamespaces().join(', ')}`);
        }
        found.message = message;
        found.reader = readerFor(message.definition.type, errors, options);
        found.document = element;
        found.documentParent = ancestors[ancestors.length - 1] ?? null;
        found.rootIndex = ancestors.length + 1;
        return;
      }
      if (ancestors.length === found.rootIndex && ancestors[found.rootIndex - 1] === found.document) {
        const { definition, version } = found.message;
        if (found.messageRoot !== null) refuse(`line ${element.line}: Document/${element.name}`, `a Document holds one message (${definition.rootElement})`);
        if (element.name !== definition.rootElement) {
          refuse(`line ${element.line}: Document/${element.name}`, `expected ${definition.rootElement} in a ${messageIdentifier(definition.message, version)} document`);
        }
        found.messageRoot = element;
      }
    },
    close(element, ancestors) {
      const { reader, messageRoot, rootIndex } = found;
      if (reader === null || messageRoot === null || ancestors.length <= rootIndex || ancestors[rootIndex] !== messageRoot) return false;
      if (isAt(reader.linePath, element, ancestors, rootIndex)) {
        found.lineCount += 1;
        if (found.lineCount > maxLines) refuse(`line ${element.line}: ${element.name}`, `the statement has more than ${maxLines} lines, the most accepted in one statement`);
        reader.readLine(new Node(element, element.name), ancestors, rootIndex);
        return true;
      }
      return reader.dropPaths.some((path) => isAt(path, element, ancestors, rootIndex));
    },
  });

  const { message, reader, document, documentParent, messageRoot } = found;
  if (message === null || reader === null || document === null) {
    refuse(`line ${root.line}: ${root.name}`, 'no ISO 20022 Document element: expected a Document (alone, or beside an AppHdr in one wrapper element)');
  }
  const { definition, version } = message;
  if (messageRoot === null) refuse(`line ${document.line}: Document`, `is empty: expected ${definition.rootElement}`);

  const appHdrElement = documentParent?.children.find((c) => c.name === 'AppHdr');
  const appHdr = appHdrElement === undefined ? null : new Node(appHdrElement, 'AppHdr');
  const definitionId = appHdr?.at('MsgDefIdr') ?? null;
  const identifier = messageIdentifier(definition.message, version);
  if (definitionId !== null && definitionId.text !== identifier) {
    errors.add(definitionId.field, `says ${definitionId.text.slice(0, 40)}, but the Document is ${identifier}`);
  }

  const header = reader.readHeader(new Node(messageRoot, messageRoot.name), appHdr);
  errors.throwIfAny();
  return {
    statementId: header.statementId as string,
    type: definition.type,
    account: header.account as string,
    asOf: header.asOf as string,
    lines: reader.lines,
  } as Statement;
}
