/**
 * The M/M/c benchmark: Poisson arrivals (λ per hour), c servers, exponential service (μ per
 * hour), no travel, run as a scenario through the same kernel, dispatcher and accumulator code as
 * every district scenario (no special-purpose loop). Peers: bench/peers/mmc_simpy.py (SimPy) and
 * bench/peers/mmc.c (a hand-written C event loop with a binary heap).
 */

import { KpiAccumulator } from '../kpi/accumulator.js';
import { runTrial } from '../perils/trial.js';
import { compile } from '../scenario/compile.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';

export interface MmcParams {
  readonly lambda: number;
  readonly mu: number;
  readonly servers: number;
  readonly customers: number;
  readonly seed: number;
}

export interface MmcResult {
  customers: number;
  events: number;
  wallMs: number;
  eventsPerSec: number;
  meanWait: number;
}

/** The validation M/M/c scenario re-parameterised. */
export function mmcScenario(p: MmcParams): Scenario {
  const { scenario } = loadScenario('validation/mmc');
  const hazard = scenario.hazards[0]!;
  if (hazard.type !== 'incidents') throw new Error('validation/mmc must hold an incidents hazard');
  const durationHours = (p.customers / p.lambda) * 10; // long enough: arrivals stop at the count
  return {
    ...scenario,
    seed: p.seed,
    resources: {
      ...scenario.resources,
      stations: [{ id: 'station', zone: 'Q', teams: [{ type: 'server', count: p.servers, crew: 1, turnoutMinutes: 0 }] }],
    },
    response: { ...scenario.response, horizonHours: durationHours * 100 },
    hazards: [
      {
        ...hazard,
        ratePerHour: p.lambda,
        durationHours,
        warmupHours: 0,
        maxIncidents: p.customers,
        workMinutes: { dist: 'exponential', mean: 60 / p.mu },
      },
    ],
  };
}

export function runMmc(p: MmcParams): MmcResult {
  const m = compile(mmcScenario(p));
  const acc = new KpiAccumulator(m);
  const started = performance.now();
  const out = runTrial(m, p.seed, 0, acc);
  const wallMs = performance.now() - started;
  acc.add(out);
  const rt = acc.responseMinutes.moments;
  return {
    customers: rt.count,
    events: out.events,
    wallMs: Math.round(wallMs * 1000) / 1000,
    eventsPerSec: Math.round(out.events / (wallMs / 1000)),
    meanWait: rt.mean / 60, // in the time unit of the rates (hours)
  };
}
