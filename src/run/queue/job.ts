/**
 * A batch job is data to check, not an order. What crosses Redis from a coordinator to a worker is
 * validated here before anything runs: a strict zod schema (integer ranges of bounded size, a
 * bounded payload), the engine version, the scenario itself (the same validation as a file), and
 * the scenario hash *recomputed from the content* — a job claiming another scenario's hash is
 * refused, and a worker keys its cached models by the hash it computed. With a shared secret
 * (DSIM_QUEUE_SECRET on coordinators and workers) every job carries an HMAC-SHA256 signature and a
 * worker refuses unsigned or wrongly signed jobs.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { type DsimError, type ErrorCode, ErrorCodes, ScenarioError } from '../../errors.js';
import { EN, type MessageKey } from '../../i18n/messages.js';
import { ENGINE_VERSION } from '../../kpi/summary.js';
import { canonicalJson, scenarioHash } from '../../scenario/compile.js';
import { validateScenario } from '../../scenario/load.js';
import { type Scenario, Targets } from '../../scenario/schema.js';

export const JOB_PROTOCOL = 1;
/** Largest job payload (JSON characters) a worker accepts: bundled scenarios are ~20 kB. */
export const MAX_JOB_CHARS = 5_000_000;
/** Most replications one job may ask for (coordinators send a few hundred to a few thousand). */
export const MAX_JOB_REPLICATIONS = 100_000;
/** Highest replication index (the largest run `--max-replications` allows). */
export const MAX_REPLICATION_INDEX = 100_000_000;

const index = z.number().int().nonnegative().max(MAX_REPLICATION_INDEX);

export const BatchJob = z
  .strictObject({
    protocol: z.literal(JOB_PROTOCOL),
    engine: z.string().max(40),
    run: z.string().regex(/^[0-9a-f]{16,64}$/, 'expected a run id of hex digits'),
    scenario: z.record(z.string(), z.unknown()),
    hash: z.string().regex(/^[0-9a-f]{16}$/, 'expected 16 hex digits'),
    targets: Targets,
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    from: index,
    to: index,
    sig: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .refine((j) => j.to > j.from, { message: 'expected from < to', path: ['to'] })
  .refine((j) => j.to - j.from <= MAX_JOB_REPLICATIONS, { message: `expected at most ${MAX_JOB_REPLICATIONS} replications`, path: ['to'] });
export type BatchJob = z.infer<typeof BatchJob>;

/** Why a job was refused; the worker fails it unrecoverably with this message. */
export class JobRefused extends Error {
  override readonly name = 'JobRefused';
}

function signature(job: Omit<BatchJob, 'sig'>, secret: string): string {
  return createHmac('sha256', secret).update(canonicalJson(job)).digest('hex');
}

/** The job with its signature when a secret is given. */
export function signJob(job: Omit<BatchJob, 'sig'>, secret: string | undefined): BatchJob {
  return secret ? { ...job, sig: signature(job, secret) } : job;
}

export interface CheckedJob {
  readonly job: BatchJob;
  readonly scenario: Scenario;
  /** The hash computed from the scenario (equal to the one the job claims). */
  readonly hash: string;
}

/** Checks raw job data; throws JobRefused saying why (naming the field). */
export function checkJob(raw: unknown, secret?: string, name = 'job'): CheckedJob {
  let chars: number;
  try {
    chars = JSON.stringify(raw)?.length ?? 0;
  } catch {
    throw new JobRefused(`${name}: not plain JSON data`);
  }
  if (chars > MAX_JOB_CHARS) throw new JobRefused(`${name}: ${chars} characters, more than the ${MAX_JOB_CHARS} a job may carry`);
  const parsed = BatchJob.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new JobRefused(`${name}: ${i.path.join('.') || '(top level)'}: ${i.message}`);
  }
  const job = parsed.data;
  if (secret) {
    const { sig, ...unsigned } = job;
    const want = Buffer.from(signature(unsigned, secret), 'hex');
    if (sig === undefined || !timingSafeEqual(Buffer.from(sig, 'hex'), want)) {
      throw new JobRefused(
        `${name}: ${sig === undefined ? 'unsigned' : 'wrong signature'} (this worker requires jobs signed with DSIM_QUEUE_SECRET)`,
      );
    }
  }
  if (job.engine !== ENGINE_VERSION) {
    throw new JobRefused(`${name}: made by engine ${job.engine}, this worker runs ${ENGINE_VERSION} (results would not merge)`);
  }
  let scenario: Scenario;
  try {
    scenario = validateScenario(job.scenario, name);
  } catch (e) {
    throw new JobRefused(e instanceof ScenarioError ? e.message : `${name}: invalid scenario`);
  }
  const hash = scenarioHash(scenario);
  if (hash !== job.hash) throw new JobRefused(`${name}: claims scenario hash ${job.hash}, but its scenario hashes to ${hash}`);
  return { job, scenario, hash };
}

/**
 * A batch's failure as a worker reports it (the job's failedReason): a catalogued error travels as
 * a first line `dsim-error {"code","key","params"}`, then its English text for people reading
 * Redis; anything else is plain text. The coordinator checks what comes back (failureFrom): a
 * known code and message key, flat parameters of bounded size; else it keeps the text.
 */
const FAILURE = 'dsim-error ';

export function failureReason(e: DsimError): string {
  if (e.key === undefined || e.first !== undefined) return e.message;
  return `${FAILURE}${JSON.stringify({ code: e.code, key: e.key, params: e.params ?? {} })}\n${e.message}`;
}

const param = z.union([z.string().max(500), z.number(), z.strictObject({ key: z.string().max(80) })]);
const Failure = z.strictObject({
  code: z.string().max(60),
  key: z.string().max(80),
  params: z.record(z.string().max(40), param).refine((p) => Object.keys(p).length <= 20),
});
const CODES = new Set<string>(Object.values(ErrorCodes));
const isKey = (k: string): k is MessageKey => Object.hasOwn(EN, k);

/** The catalogued error a failure reason carries, or undefined when it is plain text (or malformed). */
export function failureFrom(
  reason: string,
): { code: ErrorCode; key: MessageKey; params: Record<string, string | number | { key: MessageKey }> } | undefined {
  if (!reason.startsWith(FAILURE)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(reason.slice(FAILURE.length).split('\n', 1)[0]!);
  } catch {
    return undefined;
  }
  const f = Failure.safeParse(raw);
  if (!f.success || !CODES.has(f.data.code) || !isKey(f.data.key)) return undefined;
  const params: Record<string, string | number | { key: MessageKey }> = {};
  for (const [name, v] of Object.entries(f.data.params)) {
    if (typeof v === 'object') {
      if (!isKey(v.key)) return undefined;
      params[name] = { key: v.key };
    } else params[name] = v;
  }
  return { code: f.data.code as ErrorCode, key: f.data.key, params };
}
