import { type Lang, t } from '../i18n/messages.js';

/** Seconds between two progress lines (`--progress`, where no terminal shows a bar). */
const LINE_EVERY_S = 5;

/**
 * Progress on stderr: a bar on a terminal once a run has taken over a second; with `lines` (the
 * run's `--progress`) a line, in the language asked, at the first report and then every
 * LINE_EVERY_S seconds, for logs and scripts where stderr is not a terminal.
 */
export function progressBar(
  label: string,
  o: { lines?: boolean; lang?: Lang } = {},
): { update: (done: number, total: number) => void; end: () => void } {
  const tty = process.stderr.isTTY === true;
  const lines = o.lines === true && !tty;
  const started = Date.now();
  let shown = false;
  let lastLine = Number.NEGATIVE_INFINITY;
  return {
    update(done, total) {
      if (lines) {
        const now = Date.now();
        if (now - lastLine < LINE_EVERY_S * 1000) return;
        lastLine = now;
        const pct = ((100 * done) / total).toFixed(1);
        process.stderr.write(`dsim: ${t(o.lang ?? 'en', 'run.progress', { label, done, total, pct })}\n`);
        return;
      }
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
