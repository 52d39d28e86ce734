/** A tiny element writer for the ISO 20022 messages settlement sends: nested elements, escaped text, two-space indentation. */
export type XmlNode = [name: string, content: string | XmlNode[], attributes?: Record<string, string>];

export const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

export function writeXml(node: XmlNode, depth = 0): string {
  const [name, content, attributes] = node;
  const pad = '  '.repeat(depth);
  const attrs = Object.entries(attributes ?? {})
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  if (typeof content === 'string') return `${pad}<${name}${attrs}>${escapeXml(content)}</${name}>`;
  return [`${pad}<${name}${attrs}>`, ...content.map((child) => writeXml(child, depth + 1)), `${pad}</${name}>`].join('\n');
}

/** A whole document: the XML declaration, the root element, a final newline. */
export function xmlDocument(root: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${writeXml(root)}\n`;
}
