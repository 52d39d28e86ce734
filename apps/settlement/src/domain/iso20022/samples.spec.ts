import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStatusMessage } from '../../api/iso20022/status-message.parser';
import { outboundSamples } from './samples';

const DOC = join(__dirname, '../../../../../docs/settlement-messages.md');
const FIXTURES = join(__dirname, '../../../test/fixtures/iso20022');

/** The fenced blocks of the doc's Samples section, by the name in the `<!-- sample: NAME -->` comment before each. */
function samplesInDoc(): Map<string, string> {
  const markdown = readFileSync(DOC, 'utf8');
  const section = markdown.slice(markdown.indexOf('\n## Samples'));
  const blocks = new Map<string, string>();
  for (const match of section.matchAll(/<!-- sample: (.+?) -->\n```[a-z]*\n([\s\S]*?)\n```/g)) blocks.set(match[1], `${match[2]}\n`);
  return blocks;
}

const INBOUND = ['sese.024.001.10_statuses_postrade.xml', 'sese.025.001.09_partial_postrade.xml', 'sese.027.001.06_cancelled_postrade.xml', 'sese.031.001.08_hold_completed_postrade.xml', 'sese.031.001.08_hold_rejected_postrade.xml'];

describe('the Samples of docs/settlement-messages.md are what the code makes and reads', () => {
  const blocks = samplesInDoc();

  it('has every sample, and no other', () => {
    expect([...blocks.keys()].sort()).toEqual(
      [...Object.keys(outboundSamples()), ...INBOUND.map((f) => `inbound ${f}`), ...INBOUND.map((f) => `parsed ${f}`)].sort(),
    );
  });

  it.each(Object.entries(outboundSamples()))('%s: exactly what the renderer writes for the sample instruction', (name, xml) => {
    expect(blocks.get(name)).toBe(xml);
  });

  it.each(INBOUND)('%s: the fixture, and what the parser reads from it (one of each kind)', (file) => {
    const xml = readFileSync(join(FIXTURES, file), 'utf8');
    expect(blocks.get(`inbound ${file}`)).toBe(xml.endsWith('\n') ? xml : `${xml}\n`);
    expect(JSON.parse(blocks.get(`parsed ${file}`) ?? 'null')).toEqual(parseStatusMessage(xml));
  });

  it('shows one received message of each parsed kind (and the hold refused as well as confirmed)', () => {
    const kinds = INBOUND.map((file) => parseStatusMessage(readFileSync(join(FIXTURES, file), 'utf8')).kind);
    expect([...new Set(kinds)].sort()).toEqual(['CANCELLATION_STATUS', 'HOLD_STATUS', 'SETTLEMENT_CONFIRMATION', 'SETTLEMENT_STATUS']);
  });
});
