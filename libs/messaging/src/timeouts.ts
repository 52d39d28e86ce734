/** Resolves when `work` settles or after `ms`, whichever is first (shutdown, where a peer may be down). */
export async function withTimeout(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work?.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, ms))))]);
  clearTimeout(timer);
}
