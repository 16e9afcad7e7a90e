/**
 * Back-tests against real events: each event is a bundled scenario reconstructed from published
 * reports, with what was observed. dsim runs the scenario and places each observation in its
 * predictive distribution: the observed value's percentile (mid-rank: the share of replications
 * below it plus half the share equal to it), with the 5th, 50th and 95th simulated percentiles.
 * An observation outside the central 90% is reported as such — a back-test states where the model
 * misses, it does not tune the model until it hits.
 *
 * The events file (validation/historical/events.json) is untrusted input: it is checked with zod
 * and names its file and field on error.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DsimError, ErrorCodes } from '../errors.js';
import { KpiAccumulator } from '../kpi/accumulator.js';
import type { ChemicalFacts } from '../perils/chemical/events.js';
import { slicedPerilsOf } from '../perils/registry.js';
import { runTrial, type TrialOutcome } from '../perils/trial.js';
import type { FireFacts } from '../perils/urban-fire/events.js';
import { compile } from '../scenario/compile.js';
import { loadScenario } from '../scenario/load.js';

/** What a replication can be compared on. */
export const METRICS = {
  deaths: 'natural-disaster deaths (floods)',
  lossCny: 'direct loss, CNY (all hazards)',
  displaced: 'people displaced by floods',
  'chemical.deaths': 'deaths from chemical releases',
  'chemical.evacuated': 'people evacuated from the AEGL-2 zone',
  'chemical.exposedAegl2': 'people above AEGL-2 (disabling effects)',
  'chemical.exposedAegl3': 'people above AEGL-3 (life-threatening effects)',
  'fire.lossPerFire': 'direct loss per urban fire, CNY (mean over the replication)',
  'fire.deathsPerFire': 'deaths per urban fire (mean over the replication)',
} as const;
export type MetricId = keyof typeof METRICS;

const Observation = z.strictObject({
  metric: z.enum(Object.keys(METRICS) as [MetricId, ...MetricId[]]),
  observed: z.number().finite().min(0).max(1e15),
  label: z.string().min(1).max(200),
  /** The label in Chinese (the English one is shown when absent). */
  labelZh: z.string().min(1).max(200).optional(),
  source: z.string().min(1),
});

const HistoricalEvent = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  /** The event's name in Chinese (the English one is shown when absent). */
  nameZh: z.string().min(1).max(200).optional(),
  scenario: z.string().regex(/^[a-z0-9/-]+$/),
  replications: z.number().int().min(10).max(100_000),
  observations: z.array(Observation).min(1),
  source: z.string().min(1),
});
export type HistoricalEvent = z.infer<typeof HistoricalEvent>;

const EventsFile = z.strictObject({ kind: z.literal('dsim.backtests'), events: z.array(HistoricalEvent).min(1) });

export function loadEvents(file: string): HistoricalEvent[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw DsimError.of(ErrorCodes.SCENARIO_INVALID, 'err.backtestEventsUnreadable', { file, reason: (e as Error).message });
  }
  const parsed = EventsFile.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${file}: ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new DsimError(ErrorCodes.SCENARIO_INVALID, lines.join('\n'));
  }
  return parsed.data.events;
}

/** The observed value's place among the simulated values: mid-rank percentile in [0, 1]. */
export function midRankPercentile(simulated: readonly number[], observed: number): number {
  let below = 0;
  let equal = 0;
  for (const x of simulated) {
    if (x < observed) below++;
    else if (x === observed) equal++;
  }
  return (below + equal / 2) / simulated.length;
}

/** The q-quantile by the lower nearest rank of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export interface BacktestRow {
  readonly event: string;
  readonly eventName: string;
  readonly eventNameZh?: string;
  readonly metric: MetricId;
  readonly label: string;
  readonly labelZh?: string;
  readonly observed: number;
  readonly replications: number;
  readonly mean: number;
  readonly p05: number;
  readonly p50: number;
  readonly p95: number;
  /** Mid-rank percentile of the observation among the replications. */
  readonly percentile: number;
  readonly verdict: 'inside the central 90%' | 'below the 5th percentile' | 'above the 95th percentile';
  readonly source: string;
}

type Reader = (o: TrialOutcome, facts: (type: string) => unknown) => number | undefined;

const READERS: Record<MetricId, Reader> = {
  deaths: (o) => o.tally.disasterDeaths,
  lossCny: (o) => o.tally.lossCny,
  displaced: (o) => o.displaced,
  'chemical.deaths': (_o, f) => (f('chemical') as ChemicalFacts | undefined)?.deaths,
  'chemical.evacuated': (_o, f) => (f('chemical') as ChemicalFacts | undefined)?.evacuated,
  'chemical.exposedAegl2': (_o, f) => (f('chemical') as ChemicalFacts | undefined)?.exposed[1],
  'chemical.exposedAegl3': (_o, f) => (f('chemical') as ChemicalFacts | undefined)?.exposed[2],
  'fire.lossPerFire': (_o, f) => {
    const fire = f('urban-fire') as FireFacts | undefined;
    return fire && fire.alarms > 0 ? fire.lossCny / fire.alarms : undefined;
  },
  'fire.deathsPerFire': (_o, f) => {
    const fire = f('urban-fire') as FireFacts | undefined;
    return fire && fire.alarms > 0 ? fire.deaths / fire.alarms : undefined;
  },
};

/** Runs one event's scenario and places each observation in its predictive distribution. */
export function backtest(ev: HistoricalEvent, replications = ev.replications): BacktestRow[] {
  const { scenario } = loadScenario(ev.scenario);
  const m = compile(scenario);
  const perils = slicedPerilsOf(m);
  const values: number[][] = ev.observations.map(() => []);
  const acc = new KpiAccumulator(m);
  for (let r = 0; r < replications; r++) {
    const o = runTrial(m, scenario.seed, r, acc);
    const facts = (type: string): unknown => {
      const k = perils.findIndex((p) => p.definition.type === type);
      return k < 0 ? undefined : o.perilFacts[k];
    };
    ev.observations.forEach((obs, i) => {
      const v = READERS[obs.metric](o, facts);
      if (v !== undefined && Number.isFinite(v)) values[i]!.push(v);
    });
  }
  return ev.observations.map((obs, i) => {
    const xs = values[i]!;
    if (xs.length === 0) {
      throw DsimError.of(ErrorCodes.SCENARIO_INVALID, 'err.backtestNoMetric', { event: ev.id, scenario: ev.scenario, metric: obs.metric });
    }
    const sorted = [...xs].sort((a, b) => a - b);
    const p05 = quantile(sorted, 0.05);
    const p95 = quantile(sorted, 0.95);
    const percentile = midRankPercentile(xs, obs.observed);
    return {
      event: ev.id,
      eventName: ev.name,
      ...(ev.nameZh !== undefined && { eventNameZh: ev.nameZh }),
      metric: obs.metric,
      label: obs.label,
      ...(obs.labelZh !== undefined && { labelZh: obs.labelZh }),
      observed: obs.observed,
      replications: xs.length,
      mean: xs.reduce((a, b) => a + b, 0) / xs.length,
      p05,
      p50: quantile(sorted, 0.5),
      p95,
      percentile,
      verdict: percentile < 0.05 ? 'below the 5th percentile' : percentile > 0.95 ? 'above the 95th percentile' : 'inside the central 90%',
      source: obs.source,
    };
  });
}
