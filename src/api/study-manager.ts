/**
 * The API's sweeps and sizings: each runs in a worker thread of its own (workers/study-worker.js)
 * so the server's event loop only answers requests, one (or `maxRunning`) at a time, others
 * waiting; progress and the result are stored with every point. A study the server lost (killed,
 * restarted) runs again from the start: it is deterministic, so the result is the same.
 */
import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import { type RunStatus, type Store, StoreUnavailable } from './store/store.js';

const WORKER = new URL('../../workers/study-worker.js', import.meta.url);

export class StudyManager {
  private readonly waiting: string[] = [];
  private readonly live = new Map<string, Worker | undefined>();
  private running = 0;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly log: FastifyBaseLogger,
    private readonly maxRunning: number,
  ) {}

  enqueue(id: string): void {
    this.waiting.push(id);
    this.live.set(id, undefined);
    this.pump();
  }

  recover(): number {
    const left = this.store.unfinishedStudies();
    for (const s of left) {
      this.log.warn({ studyId: s.id }, 'study interrupted by a server stop; running it again');
      this.store.studyProgress(s.id, 'queued', 0, s.total);
      this.enqueue(s.id);
    }
    return left.length;
  }

  /** Studies running or waiting. */
  get busy(): number {
    return this.live.size;
  }

  isLive(id: string): boolean {
    return this.live.has(id);
  }

  /** Stops a queued or running study; it keeps no partial result. */
  async cancel(id: string): Promise<boolean> {
    if (!this.live.has(id)) return false;
    const worker = this.live.get(id);
    const i = this.waiting.indexOf(id);
    if (i >= 0) this.waiting.splice(i, 1);
    this.live.delete(id);
    if (worker) await worker.terminate();
    this.store.finishStudy(id, 'cancelled', null, null);
    this.log.info({ studyId: id }, 'study cancelled');
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    await Promise.all([...this.live.values()].map((w) => w?.terminate()));
  }

  private pump(): void {
    while (!this.closed && this.running < this.maxRunning && this.waiting.length > 0) {
      const id = this.waiting.shift()!;
      this.running++;
      void this.execute(id).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private execute(id: string): Promise<void> {
    const s = this.store.study(id);
    if (!s) return Promise.resolve();
    const log = this.log.child({ studyId: id });
    const worker = new Worker(WORKER, {
      workerData: { kind: s.kind, scenario: JSON.parse(s.scenario), params: JSON.parse(s.params) },
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    this.live.set(id, worker);
    try {
      this.store.studyProgress(id, 'running', 0, s.total);
    } catch (e) {
      if (!(e instanceof StoreUnavailable)) throw e;
      this.live.delete(id);
      void worker.terminate();
      this.store.finishStudy(id, 'failed', null, JSON.stringify({ error: 'store_unavailable', message: e.message }));
      return Promise.resolve();
    }
    log.info({ kind: s.kind }, 'study started');
    return new Promise<void>((resolve) => {
      let ended = false;
      let progress = { done: 0, total: s.total };
      const end = (status: RunStatus, result: string | null, error: string | null): void => {
        if (ended) return;
        ended = true;
        if (this.live.has(id)) {
          try {
            this.store.studyProgress(id, 'running', progress.done, Math.max(progress.total, progress.done));
          } catch (e) {
            if (!(e instanceof StoreUnavailable)) throw e; // the end below is kept until the store is back
          }
          this.store.finishStudy(id, status, result, error);
          this.live.delete(id);
          log.info({ status }, 'study ended');
        }
        void worker.terminate();
        resolve();
      };
      let last = 0;
      worker.on('message', (m: { type: string; done?: number; total?: number; result?: unknown; error?: unknown }) => {
        if (m.type === 'progress') {
          progress = { done: m.done ?? 0, total: m.total ?? s.total };
          const t = Date.now();
          if (t - last >= 250) {
            last = t;
            try {
              this.store.studyProgress(id, 'running', m.done ?? 0, m.total ?? s.total);
            } catch (e) {
              if (!(e instanceof StoreUnavailable)) throw e;
              end('failed', null, JSON.stringify({ error: 'store_unavailable', message: e.message }));
            }
          }
        } else if (m.type === 'result') end('done', JSON.stringify(m.result), null);
        else if (m.type === 'error') end('failed', null, JSON.stringify(m.error));
      });
      worker.on('error', (e) => end('failed', null, JSON.stringify({ error: 'internal', message: e.message })));
      worker.on('exit', () => end(this.live.has(id) ? 'failed' : 'cancelled', null, null));
    });
  }
}
