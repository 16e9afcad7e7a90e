/**
 * A progress bar on stderr, shown only on a terminal and only once a run has taken over a second.
 */
export function progressBar(label: string): { update: (done: number, total: number) => void; end: () => void } {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let shown = false;
  return {
    update(done, total) {
      if (!tty) return;
      const elapsed = (Date.now() - started) / 1000;
      if (elapsed < 1 && !shown) return;
      shown = true;
      const width = 30;
      const filled = Math.round((done / total) * width);
      const rate = done / Math.max(elapsed, 1e-3);
      const eta = rate > 0 ? (total - done) / rate : 0;
      process.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}  ${rate.toFixed(0)}/s  ETA ${eta.toFixed(0)}s `,
      );
    },
    end() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

/** Runs `f` under a progress bar labelled `label`, aborting its signal on Ctrl-C. */
export async function withBar<T>(
  label: string,
  f: (progress: (done: number, total: number) => void, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const bar = progressBar(label);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  try {
    return await f((d, t) => bar.update(d, t), abort.signal);
  } finally {
    process.off('SIGINT', onSigint);
    bar.end();
  }
}
