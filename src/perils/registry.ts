/**
 * The perils dsim knows, in the order their KPI sections, targets and table rows appear: the
 * bundled ones, then any registered with `registerPeril` (a test folder's extra peril, a plug-in).
 * A registered peril is known to this thread only: worker threads and queue workers know the
 * bundled ones, so a scenario with an extra peril runs in-thread (runScenario falls back to it).
 */

import type { CompiledModel } from '../scenario/compile.js';
import { registerHazardDefinition } from '../scenario/hazards/registry.js';
import { chemical } from './chemical/index.js';
import { flood } from './flood/index.js';
import { incidents } from './incidents/index.js';
import type { AnyPeril } from './peril.js';
import { urbanFire } from './urban-fire/index.js';
import { wildfire } from './wildfire/index.js';

const BUNDLED: readonly AnyPeril[] = [flood, incidents, urbanFire, wildfire, chemical];
const perils = new Map<string, AnyPeril>(BUNDLED.map((p) => [p.definition.type, p]));

/** Adds a peril: its hazard type becomes valid in scenarios parsed from now on. */
export function registerPeril(p: AnyPeril): void {
  registerHazardDefinition(p.definition);
  perils.set(p.definition.type, p);
}

export function perilOf(type: string): AnyPeril {
  const p = perils.get(type);
  if (p === undefined) throw new Error(`no peril "${type}" is registered`);
  return p;
}

/** Whether every hazard type of the model is bundled (so worker threads and queue workers know it). */
export function onlyBundledPerils(m: CompiledModel): boolean {
  return m.hazards.every((h) => BUNDLED.some((p) => p.definition.type === h.type));
}

/** The perils present in a model, in registry order, each once. */
export function perilsOf(m: CompiledModel): AnyPeril[] {
  return [...perils.values()].filter((p) => m.hazards.some((h) => h.type === p.definition.type));
}

/** The perils with a KPI slice present in a model (registry order): what the accumulator keeps. */
export function slicedPerilsOf(m: CompiledModel): AnyPeril[] {
  return perilsOf(m).filter((p) => p.kpis !== undefined);
}

/** Every registered peril with a KPI slice (the result schema's optional sections). */
export function allSlicedPerils(): AnyPeril[] {
  return [...perils.values()].filter((p) => p.kpis !== undefined);
}
