import { extractWalkthroughBlocks, isWalkthroughInfo, walkthroughScript } from './extract';

describe('walkthrough extraction', () => {
  const page = [
    '# A page', // 1
    '', // 2
    '```sh', // 3: a prose example, never run
    'rm -rf /', // 4
    '```', // 5
    '', // 6
    '```sh walkthrough', // 7
    'A=1', // 8
    'echo "$A"', // 9
    '```', // 10
    'prose', // 11
    '````bash walkthrough', // 12
    '```', // 13: a shorter fence inside a longer one is content
    'echo two', // 14
    '````', // 15
    '```json', // 16
    '{"a":1}', // 17
    '```', // 18
    '  ```sh walkthrough', // 19: indented (in a list item)
    '  echo three', // 20
    '  ```', // 21
  ].join('\n');

  it('takes only the blocks marked walkthrough, in page order, with the line of their first command', () => {
    expect(extractWalkthroughBlocks(page)).toEqual([
      { line: 8, code: 'A=1\necho "$A"' },
      { line: 13, code: '```\necho two' },
      { line: 20, code: 'echo three' },
    ]);
  });

  it('recognises the info string: a shell language followed by the word walkthrough', () => {
    expect(['sh walkthrough', 'bash walkthrough', ' shell  walkthrough ', 'sh title walkthrough'].map(isWalkthroughInfo)).toEqual([true, true, true, true]);
    expect(['sh', 'walkthrough', 'json walkthrough', 'sh walkthroughs', ''].map(isWalkthroughInfo)).toEqual([false, false, false, false, false]);
  });

  it('refuses a walkthrough block that is never closed rather than running half of it', () => {
    expect(() => extractWalkthroughBlocks('```sh walkthrough\necho a\n')).toThrow(/line 1 is never closed/);
  });

  it('ignores fences inside a prose block', () => {
    expect(extractWalkthroughBlocks('```text\n```sh walkthrough\n```\n')).toEqual([]);
  });

  it('joins a page into one script, each block headed by its line', () => {
    expect(walkthroughScript('```sh walkthrough\necho a\n```\n\n```sh walkthrough\necho b\n```\n', 'x.md')).toBe(
      '# --- x.md, block at line 2\necho a\n\n# --- x.md, block at line 6\necho b\n',
    );
  });
});
