/**
 * A small, strict XML reader for ISO 20022 documents, written for two things fast-xml-parser does
 * not give: the line of every element (a refusal must name the line to fix) and bounded memory on
 * a 100,000-line statement (a caller takes each statement line as soon as it closes, so the tree
 * never holds more than one line's elements).
 *
 * It reads elements, attributes, namespaces, character data, the five predefined entities,
 * character references, CDATA, comments and processing instructions, and checks well-formedness
 * as it goes (matching tags, one root, quoted attributes, no stray `<` or `&`). A DOCTYPE is
 * refused outright: ISO 20022 documents have none, and refusing it removes entity-expansion
 * attacks. Malformed input throws at once, naming the line.
 */
import { refuse } from './values';

export interface XmlElement {
  /** Local name, prefix removed. */
  readonly name: string;
  /** Namespace URI ('' when none). */
  readonly ns: string;
  /** Line of the start tag, 1-based. */
  readonly line: number;
  /** Attributes by name as written (prefixed names keep their prefix); null when there are none. */
  readonly attributes: Readonly<Record<string, string>> | null;
  readonly children: XmlElement[];
  /** Character data, entities decoded; whitespace-only runs between elements are not kept. */
  text: string;
}

export interface XmlReadHooks {
  /** An element has opened; `ancestors` runs from the root to its parent (read it, don't keep it). */
  open?(element: XmlElement, ancestors: readonly XmlElement[]): void;
  /** An element has closed. Return true when it has been consumed: it is then left out of its parent. */
  close?(element: XmlElement, ancestors: readonly XmlElement[]): boolean;
}

/** ISO 20022 messages nest about 15 deep; anything far deeper is not one. */
export const MAX_XML_DEPTH = 100;

const NAME = '[A-Za-z_][\\w.\\-]*(?::[A-Za-z_][\\w.\\-]*)?';
const START_TAG = new RegExp(`<(${NAME})((?:\\s+[^\\s=/>]+\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`, 'y');
const END_TAG = new RegExp(`</(${NAME})\\s*>`, 'y');
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g;
const REFERENCE = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][\w.-]*)?(;?)/g;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

type Scope = ReadonlyMap<string, string>;
const ROOT_SCOPE: Scope = new Map([['xml', XML_NAMESPACE]]);

/** Reads `xml` and returns its root element (without the children the hooks consumed). */
export function readXml(xml: string, hooks: XmlReadHooks = {}): XmlElement {
  const n = xml.length;
  let pos = xml.charCodeAt(0) === 0xfeff ? 1 : 0;

  // Lines are counted lazily and only forward: every position asked for is at or after the last one.
  let line = 1;
  let nextBreak = xml.indexOf('\n', pos);
  const lineAt = (at: number): number => {
    while (nextBreak !== -1 && nextBreak < at) {
      line += 1;
      nextBreak = xml.indexOf('\n', nextBreak + 1);
    }
    return line;
  };

  const stack: XmlElement[] = [];
  const qnames: string[] = [];
  const scopes: Scope[] = [ROOT_SCOPE];
  let root: XmlElement | null = null;

  const where = (at: number) => `line ${lineAt(at)}: ${qnames.length > 0 ? qnames[qnames.length - 1] : 'document'}`;

  const decode = (raw: string, at: number): string => {
    if (raw.indexOf('&') === -1) return raw;
    return raw.replace(REFERENCE, (_match, ref: string | undefined, semicolon: string) => {
      if (ref === undefined || semicolon !== ';') refuse(where(at), 'a bare "&" (write &amp;) or an unterminated entity reference');
      if (ref.startsWith('#')) {
        const code = ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) refuse(where(at), `&${ref}; is not a character`);
        return String.fromCodePoint(code);
      }
      const value = PREDEFINED[ref];
      if (value === undefined) refuse(where(at), `unknown entity &${ref}; (only &lt; &gt; &amp; &quot; &apos; and character references)`);
      return value;
    });
  };

  const closeTop = () => {
    const element = stack.pop() as XmlElement;
    qnames.pop();
    scopes.pop();
    const consumed = hooks.close ? hooks.close(element, stack) : false;
    if (!consumed && stack.length > 0) stack[stack.length - 1].children.push(element);
  };

  while (pos < n) {
    const lt = xml.indexOf('<', pos);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > pos) {
      // Most text between tags is indentation: look for a character that is not, without allocating.
      let first = pos;
      while (first < textEnd) {
        const c = xml.charCodeAt(first);
        if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
        first += 1;
      }
      if (first < textEnd) {
        if (stack.length === 0) refuse(where(first), root === null ? 'text before the document element' : 'text after the document element');
        const top = stack[stack.length - 1];
        top.text += decode(xml.slice(pos, textEnd), pos);
      }
    }
    if (lt === -1) break;
    const next = xml.charCodeAt(lt + 1);

    if (next === 47 /* / */) {
      // The expected closing tag, compared in place; the regular expression only to explain a mismatch.
      const open = qnames.length > 0 ? qnames[qnames.length - 1] : '';
      const after = lt + 2 + open.length;
      if (open !== '' && xml.charCodeAt(after) === 62 /* > */ && xml.startsWith(open, lt + 2)) {
        pos = after + 1;
        closeTop();
        continue;
      }
      END_TAG.lastIndex = lt;
      const match = END_TAG.exec(xml);
      if (match === null) refuse(where(lt), 'malformed closing tag');
      if (stack.length === 0) refuse(where(lt), `closing tag </${match[1]}> without an open element`);
      if (match[1] !== open) {
        refuse(`line ${lineAt(lt)}: ${open}`, `closing tag </${match[1]}> does not match <${open}> opened on line ${stack[stack.length - 1].line}`);
      }
      pos = END_TAG.lastIndex;
      closeTop();
      continue;
    }

    if (next === 63 /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      if (end === -1) refuse(where(lt), 'unterminated processing instruction (<? without ?>)');
      pos = end + 2;
      continue;
    }

    if (next === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end === -1) refuse(where(lt), 'unterminated comment (<!-- without -->)');
        pos = end + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        if (stack.length === 0) refuse(where(lt), 'CDATA outside the document element');
        const end = xml.indexOf(']]>', lt + 9);
        if (end === -1) refuse(where(lt), 'unterminated CDATA section (<![CDATA[ without ]]>)');
        stack[stack.length - 1].text += xml.slice(lt + 9, end);
        pos = end + 3;
      } else if (xml.startsWith('<!DOCTYPE', lt)) {
        refuse(where(lt), 'a DOCTYPE declaration is not accepted (ISO 20022 documents have none)');
      } else {
        refuse(where(lt), 'malformed markup after "<!"');
      }
      continue;
    }

    // Most start tags have no attributes: scan the name by hand, and use the expression only for the rest.
    let nameEnd = lt + 1;
    for (;;) {
      const c = xml.charCodeAt(nameEnd);
      const nameChar = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46 || c === 58;
      if (!nameChar) break;
      nameEnd += 1;
    }
    const close = xml.charCodeAt(nameEnd);
    const firstChar = xml.charCodeAt(lt + 1);
    const simple =
      nameEnd > lt + 1 &&
      ((firstChar >= 97 && firstChar <= 122) || (firstChar >= 65 && firstChar <= 90) || firstChar === 95) &&
      (close === 62 /* > */ || (close === 47 /* / */ && xml.charCodeAt(nameEnd + 1) === 62));
    let match: RegExpExecArray | null = null;
    if (!simple) {
      START_TAG.lastIndex = lt;
      match = START_TAG.exec(xml);
      if (match === null) refuse(where(lt), 'malformed start tag (a "<" that does not begin a well-formed tag; write &lt; in text)');
    }
    const elementLine = lineAt(lt);
    const qname = match === null ? xml.slice(lt + 1, nameEnd) : match[1];
    const selfClosing = match === null ? close === 47 : match[3] === '/';
    if (match === null && (qname.endsWith(':') || qname.indexOf(':') !== qname.lastIndexOf(':'))) refuse(where(lt), `malformed element name ${qname}`);
    let scope = scopes[scopes.length - 1];
    let attributes: Record<string, string> | null = null;
    if (match !== null && match[2] !== '') {
      attributes = {};
      ATTRIBUTE.lastIndex = 0;
      let attribute: RegExpExecArray | null;
      let declarations: Map<string, string> | null = null;
      while ((attribute = ATTRIBUTE.exec(match[2])) !== null) {
        const name = attribute[1];
        if (Object.prototype.hasOwnProperty.call(attributes, name)) refuse(`line ${elementLine}: ${qname}`, `attribute ${name} appears twice`);
        const value = decode(attribute[2] ?? attribute[3], lt);
        attributes[name] = value;
        if (name === 'xmlns' || name.startsWith('xmlns:')) {
          declarations ??= new Map(scope);
          declarations.set(name === 'xmlns' ? '' : name.slice(6), value);
        }
      }
      if (declarations !== null) scope = declarations;
    }
    const colon = qname.indexOf(':');
    const prefix = colon === -1 ? '' : qname.slice(0, colon);
    const ns = scope.get(prefix);
    if (ns === undefined && prefix !== '') refuse(`line ${elementLine}: ${qname}`, `namespace prefix "${prefix}" is not declared`);
    if (stack.length === 0 && root !== null) refuse(`line ${elementLine}: ${qname}`, 'a second document element (a document has one root)');
    if (stack.length >= MAX_XML_DEPTH) refuse(`line ${elementLine}: ${qname}`, `elements nested more than ${MAX_XML_DEPTH} deep`);

    const element: XmlElement = { name: colon === -1 ? qname : qname.slice(colon + 1), ns: ns ?? '', line: elementLine, attributes, children: [], text: '' };
    if (stack.length === 0) root = element;
    hooks.open?.(element, stack);
    stack.push(element);
    qnames.push(qname);
    scopes.push(scope);
    pos = match === null ? nameEnd + (selfClosing ? 2 : 1) : START_TAG.lastIndex;
    if (selfClosing) closeTop();
  }

  if (stack.length > 0) {
    refuse(`line ${lineAt(n)}: ${qnames[qnames.length - 1]}`, `<${qnames[qnames.length - 1]}> opened on line ${stack[stack.length - 1].line} is never closed (the document ends early)`);
  }
  if (root === null) refuse('line 1: document', 'no XML element found');
  return root;
}

// ---------------------------------------------------------------- navigation

/** The first child element named `name`. */
export function child(element: XmlElement, name: string): XmlElement | undefined {
  const children = element.children;
  for (let i = 0; i < children.length; i++) if (children[i].name === name) return children[i];
  return undefined;
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

const PATHS = new Map<string, string[]>();

/** Follows a slash-separated path of first children; stops where one is missing. */
export function descend(element: XmlElement, path: string): { found: XmlElement | undefined; deepest: XmlElement } {
  let steps = PATHS.get(path);
  if (steps === undefined) {
    steps = path.split('/');
    if (PATHS.size < 1_000) PATHS.set(path, steps);
  }
  let current = element;
  for (const name of steps) {
    const next = child(current, name);
    if (next === undefined) return { found: undefined, deepest: current };
    current = next;
  }
  return { found: current, deepest: current };
}
