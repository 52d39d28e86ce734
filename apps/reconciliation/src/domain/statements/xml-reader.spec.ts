import { child, readXml, type XmlElement } from './xml-reader';
import { fieldErrorsOf } from './statements.fixtures';

const errorOf = (xml: string) => fieldErrorsOf(() => readXml(xml))[0];

describe('readXml', () => {
  it('reads elements, attributes, namespaces, entities, CDATA and the line of every element', () => {
    const root = readXml(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!-- a comment -->',
        '<a:Env xmlns:a="urn:env" xmlns="urn:doc">',
        '  <Doc kind=\'x\' note="1 &lt; 2 &amp; &#x41;&#66;">',
        '    <Text>Fish &amp; chips &quot;&apos;&gt;</Text>',
        '    <Data><![CDATA[<not> & markup]]></Data>',
        '    <Empty/>',
        '  </Doc>',
        '</a:Env>',
      ].join('\n'),
    );
    expect(root).toMatchObject({ name: 'Env', ns: 'urn:env', line: 3 });
    const doc = child(root, 'Doc') as XmlElement;
    expect(doc).toMatchObject({ ns: 'urn:doc', line: 4, attributes: { kind: 'x', note: '1 < 2 & AB' } });
    expect(child(doc, 'Text')).toMatchObject({ text: 'Fish & chips "\'>', line: 5 });
    expect(child(doc, 'Data')?.text).toBe('<not> & markup');
    expect(child(doc, 'Empty')).toMatchObject({ line: 7, text: '', children: [] });
  });

  it('accepts a byte-order mark and a document on one line', () => {
    const root = readXml('\uFEFF<R><A>1</A><B>2</B></R>');
    expect(root.children.map((c) => [c.name, c.line, c.text])).toEqual([
      ['A', 1, '1'],
      ['B', 1, '2'],
    ]);
  });

  it('hands each closing element to the hook, which may consume it (left out of its parent)', () => {
    const seen: string[] = [];
    const root = readXml('<R>\n<Line n="1"/>\n<Keep/>\n<Line n="2"/>\n</R>', {
      close: (element, ancestors) => {
        seen.push(`${ancestors.map((a) => a.name).join('/')}>${element.name}@${element.line}`);
        return element.name === 'Line';
      },
    });
    expect(seen).toEqual(['R>Line@2', 'R>Keep@3', 'R>Line@4', '>R@1']);
    expect(root.children.map((c) => c.name)).toEqual(['Keep']);
  });

  it.each([
    ['a closing tag that does not match', '<R>\n<A>\n</B>\n</R>', 'line 3: A', /closing tag <\/B> does not match <A> opened on line 2/],
    ['an element never closed', '<R>\n<A>\n</A>\n', 'line 4: R', /opened on line 1 is never closed/],
    ['a second root', '<R/>\n<S/>', 'line 2: S', /second document element/],
    ['text outside the root', '<R/>\nhello', 'line 2: document', /text after the document element/],
    ['a bare ampersand', '<R>\n<A>fish & chips</A></R>', 'line 2: A', /bare "&"/],
    ['an unknown entity', '<R>\n<A>&nbsp;</A></R>', 'line 2: A', /unknown entity &nbsp;/],
    ['a DOCTYPE (entity expansion)', '<!DOCTYPE R [<!ENTITY x "y">]>\n<R/>', 'line 1: document', /DOCTYPE/],
    ['a stray "<" in text', '<R>\n<A>1 < 2</A></R>', 'line 2: A', /malformed start tag/],
    ['an unquoted attribute', '<R>\n<A x=1/></R>', 'line 2: R', /malformed start tag/],
    ['an attribute twice', '<R>\n<A x="1" x="2"/></R>', 'line 2: A', /attribute x appears twice/],
    ['an undeclared prefix', '<R>\n<p:A/></R>', 'line 2: p:A', /prefix "p" is not declared/],
    ['an unterminated comment', '<R>\n<!-- never</R>', 'line 2: R', /unterminated comment/],
    ['no element at all', '<?xml version="1.0"?>', 'line 1: document', /no XML element/],
  ])('refuses %s, naming the line and element', (_what, xml, field, message) => {
    const error = errorOf(xml);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('refuses nesting deeper than any ISO 20022 message', () => {
    const deep = `${'<a>'.repeat(150)}${'</a>'.repeat(150)}`;
    expect(errorOf(deep).message).toMatch(/nested more than 100 deep/);
  });

  it('reads a large document on one long line whole', () => {
    const xml = `<R>${'<L><A>1</A><B>x</B></L>'.repeat(20_000)}</R>`;
    let lines = 0;
    readXml(xml, { close: (e) => (e.name === 'L' ? (lines += 1) > 0 : false) });
    expect(lines).toBe(20_000);
  });
});
