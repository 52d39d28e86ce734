/**
 * The walkthroughs of the docs are the shell blocks fenced as ```sh walkthrough (a plain ```sh
 * block is a prose example and is never run). A page's walkthrough is its blocks in page order, run
 * as one bash script (`bash -euo pipefail`) from the repository root, so a later block may use what
 * an earlier one set.
 */
export interface WalkthroughBlock {
  /** 1-based line of the block's first command in the page. */
  line: number;
  code: string;
}

const OPENING = /^(\s*)(`{3,}|~{3,})\s*([^`]*)$/;

/** Whether a fence's info string marks a walkthrough block: a shell language, then the word `walkthrough`. */
export function isWalkthroughInfo(info: string): boolean {
  const words = info.trim().split(/\s+/);
  return ['sh', 'bash', 'shell'].includes(words[0] ?? '') && words.slice(1).includes('walkthrough');
}

/** The walkthrough blocks of a Markdown page, in order. An unclosed walkthrough fence is an error, not a shorter script. */
export function extractWalkthroughBlocks(markdown: string): WalkthroughBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: WalkthroughBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPENING.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const close = new RegExp(`^\\s*${fence![0] === '`' ? '`' : '~'}{${fence!.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !close.test(lines[end]!)) end++;
    if (end >= lines.length && isWalkthroughInfo(info!)) throw new Error(`the walkthrough block opened at line ${i + 1} is never closed`);
    if (isWalkthroughInfo(info!)) {
      const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent!) ? l.slice(indent!.length) : l));
      blocks.push({ line: i + 2, code: body.join('\n') });
    }
    i = end;
  }
  return blocks;
}

/** The page's walkthrough as one script, each block preceded by a comment naming its line (bash errors then point to the page). */
export function walkthroughScript(markdown: string, page = 'page'): string {
  return extractWalkthroughBlocks(markdown)
    .map((b) => `# --- ${page}, block at line ${b.line}\n${b.code}\n`)
    .join('\n');
}
