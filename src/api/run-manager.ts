/**
 * The server's runs: one long-lived executor (a worker pool, or the queue) shared by every run,
 * at most `maxRunning` runs at once and `maxQueued` waiting (beyond that a new run is refused);
 * progress is published to subscribers (Server-Sent Events) and stored; the merged accumulator
 * is stored at checkpoints, so a run the server lost (killed, restarted) resumes where it was and
 * ends with the result an uninterrupted run gives.
 */
import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import { DsimError, ErrorCodes } from '../errors.js';
import { KpiAccumulator } from '../kpi/accumulator.js';
import type { RunResult } from '../kpi/result.js';
import type { Executor } from '../run/executor.js';
import { evaluatedTargets, type Overrides, withOverrides } from '../run/local.js';
import { executeRun, resultOf } from '../run/runner.js';
import { compile } from '../scenario/compile.js';
import type { Scenario } from '../scenario/schema.js';
import { type RunStatus, type Store, type StoredRun, StoreUnavailable } from './store/store.js';

/** What a run was asked to do (stored with it, and given back by GET /runs/:id). */
export interface RunParams extends Overrides {
  readonly untilCi?: number;
  readonly maxReplications?: number;
}

/**
 * One message to a run's subscribers: a progress tick, or the run's end. Its id is the number of
 * replications done (the end: total + 1), so ids grow across server restarts and a client that
 * reconnects with Last-Event-ID gets only what is newer.
 */
export interface RunEvent {
  readonly id: number;
  readonly type: 'progress' | 'end';
  readonly data: unknown;
}

interface Live {
  readonly controller: AbortController;
  last?: RunEvent;
  /** Why the run was stopped from here (the store failing), if it was. */
  failure?: DsimError;
}

/** Progress is stored at most this often (ms), and published to subscribers at most this often. */
const STORE_PROGRESS_MS = 500;
const PUBLISH_PROGRESS_MS = 250;

export class TooManyRuns extends Error {}

export class RunManager {
  private readonly events = new EventEmitter();
  private readonly live = new Map<string, Live>();
  private readonly waiting: string[] = [];
  private running = 0;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly executor: Executor,
    private readonly log: FastifyBaseLogger,
    readonly limits: { readonly maxRunning: number; readonly maxQueued: number },
  ) {
    this.events.setMaxListeners(0);
  }

  get counts(): { running: number; queued: number } {
    return { running: this.running, queued: this.waiting.length };
  }

  /** Whether `n` more runs fit (running slots plus the waiting line). */
  fits(n: number): boolean {
    const free = this.limits.maxRunning - this.running + this.limits.maxQueued - this.waiting.length;
    return n <= free;
  }

  /**
   * A running slot for work that computes outside the queue of runs (a drill answered in the
   * request): the release function, or undefined when every slot is taken (the caller answers 429).
   */
  acquire(): (() => void) | undefined {
    if (this.closed || this.running >= this.limits.maxRunning) return undefined;
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.pump();
    };
  }

  /** Queues stored runs (already inserted as 'queued'); they start as slots free. */
  enqueue(ids: readonly string[]): void {
    for (const id of ids) {
      this.waiting.push(id);
      this.live.set(id, { controller: new AbortController() });
    }
    this.pump();
  }

  /** Runs a previous server left unfinished: marked interrupted, then resumed from their checkpoints. */
  recover(): number {
    const left = this.store.unfinished();
    for (const r of left) {
      this.store.setStatus(r.id, 'interrupted');
      this.log.warn({ runId: r.id, checkpoint: r.checkpointDone }, 'run interrupted by a server stop; resuming from its checkpoint');
      this.store.setStatus(r.id, 'queued');
    }
    this.enqueue(left.map((r) => r.id));
    return left.length;
  }

  /** Cancels a queued or running run; false when it is not (any more). */
  cancel(id: string): boolean {
    const live = this.live.get(id);
    if (!live) return false;
    const i = this.waiting.indexOf(id);
    if (i >= 0) {
      this.waiting.splice(i, 1);
      const r = this.store.run(id)!;
      this.store.finish(id, 'cancelled', r.checkpointDone, null, null);
      this.end(id, 'cancelled', r.total + 1);
      return true;
    }
    live.controller.abort(new DsimError(ErrorCodes.RUN_OPTION, 'cancelled'));
    return true;
  }

  /** The last event of a live run (for a subscriber that connects late), or undefined. */
  lastEvent(id: string): RunEvent | undefined {
    return this.live.get(id)?.last;
  }

  isLive(id: string): boolean {
    return this.live.has(id);
  }

  subscribe(id: string, fn: (e: RunEvent) => void): () => void {
    this.events.on(id, fn);
    return () => this.events.off(id, fn);
  }

  /** Stops taking runs and aborts those running; their checkpoints stay for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    for (const l of this.live.values()) l.controller.abort(new DsimError(ErrorCodes.RUN_OPTION, 'server stopping'));
    await new Promise((r) => setTimeout(r, 50));
  }

  private publish(id: string, eventId: number, type: RunEvent['type'], data: unknown): void {
    const live = this.live.get(id);
    if (!live) return;
    const e: RunEvent = { id: eventId, type, data };
    live.last = e;
    this.events.emit(id, e);
  }

  private end(id: string, status: RunStatus, eventId: number): void {
    this.live.delete(id);
    this.events.emit(id, { id: eventId, type: 'end', data: { status } } satisfies RunEvent);
  }

  private pump(): void {
    while (!this.closed && this.running < this.limits.maxRunning && this.waiting.length > 0) {
      const id = this.waiting.shift()!;
      this.running++;
      void this.execute(id).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async execute(id: string): Promise<void> {
    const stored = this.store.run(id);
    const live = this.live.get(id);
    if (!stored || !live) return;
    const log = this.log.child({ runId: id });
    const scenario = JSON.parse(stored.scenario) as Scenario;
    const params = JSON.parse(stored.params) as RunParams;
    const model = compile(withOverrides(scenario, params));
    let resume: { acc: KpiAccumulator; done: number } | undefined;
    if (stored.checkpoint !== null && stored.checkpointDone > 0) {
      try {
        const acc = KpiAccumulator.fromUntrusted(model, JSON.parse(stored.checkpoint), evaluatedTargets(model, params));
        resume = { acc, done: stored.checkpointDone };
        log.info({ from: stored.checkpointDone }, 'resuming from checkpoint');
      } catch (e) {
        log.error({ err: (e as Error).message }, 'checkpoint unreadable; starting the run again');
      }
    }
    /**
     * A store write of this run: when the store fails, the run stops here and ends failed with
     * the catalogued reason (its end is kept in memory until the store is back); nothing throws.
     */
    const persist = (write: () => void): void => {
      try {
        write();
      } catch (e) {
        if (!(e instanceof StoreUnavailable)) throw e;
        if (!live.failure) {
          live.failure = e;
          live.controller.abort(e);
        }
      }
    };
    persist(() => this.store.setStatus(id, 'running'));
    log.info({ total: stored.total, scenario: stored.scenarioId }, 'run started');
    let lastStored = 0;
    let lastPublished = 0;
    const every = Math.max(50, Math.ceil(stored.total / 20));
    try {
      const out = await executeRun(scenario, {
        ...params,
        executor: this.executor,
        signal: live.controller.signal,
        checkpointEvery: every,
        ...(resume && { resume }),
        onProgress: (p) => {
          const t = Date.now();
          if (t - lastPublished >= PUBLISH_PROGRESS_MS || p.done === p.total) {
            lastPublished = t;
            this.publish(id, p.done, 'progress', {
              done: p.done,
              total: p.total,
              replicationsPerSecond: Math.round(p.replicationsPerSecond),
            });
          }
          if (t - lastStored >= STORE_PROGRESS_MS) {
            lastStored = t;
            persist(() => this.store.progress(id, p.done));
          }
        },
        onCheckpoint: (acc, done) => persist(() => this.store.checkpoint(id, done, JSON.stringify(acc.toData()))),
      });
      const result: RunResult = resultOf(out);
      const failure = live.failure ?? out.failure;
      const status: RunStatus = live.failure
        ? 'failed'
        : out.interrupted
          ? live.controller.signal.aborted
            ? 'cancelled'
            : 'failed'
          : 'done';
      if (this.closed && live.controller.signal.aborted) {
        // the server is stopping: keep the checkpoint, the next start resumes the run
        log.warn('server stopping: run left to resume');
        return;
      }
      this.store.finish(id, status, out.replications, JSON.stringify(result), failure ? JSON.stringify(errorBody(failure)) : null);
      log.info({ status, replications: out.replications }, 'run ended');
      this.end(id, status, stored.total + 1);
    } catch (e) {
      const body = errorBody(e);
      log.error({ err: body.message }, 'run failed');
      this.store.finish(id, 'failed', stored.done, null, JSON.stringify(body));
      this.end(id, 'failed', stored.total + 1);
    }
  }
}

export function errorBody(e: unknown): { error: string; message: string } {
  if (e instanceof StoreUnavailable) return { error: 'store_unavailable', message: e.message };
  if (e instanceof DsimError) return { error: e.code, message: e.message };
  return { error: 'internal', message: e instanceof Error ? e.message : String(e) };
}

export type { StoredRun };
