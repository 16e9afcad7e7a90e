/**
 * The hazard kinds a scenario may hold: the bundled ones (flood, incidents, urban fire, wildfire,
 * chemical), in this order, and any registered later (`registerPeril` in src/perils/registry.ts
 * registers a definition here). The scenario schema's `hazards` entries are validated against
 * whatever is registered when a scenario is parsed.
 */
import { z } from 'zod';
import { type ChemicalHazard, chemicalDefinition } from './chemical.js';
import type { HazardDefinition } from './definition.js';
import { type FloodHazard, floodDefinition } from './flood.js';
import { type IncidentHazard, incidentsDefinition } from './incidents.js';
import { type UrbanFireHazard, urbanFireDefinition } from './urban-fire.js';
import { type WildfireHazard, wildfireDefinition } from './wildfire.js';

/** A hazard of one of the bundled kinds (a registered extra kind is a HazardBase at run time). */
export type Hazard = FloodHazard | IncidentHazard | UrbanFireHazard | WildfireHazard | ChemicalHazard;
export type HazardInput = z.input<(typeof BUNDLED)[number]['schema']>;

const BUNDLED = [floodDefinition, incidentsDefinition, urbanFireDefinition, wildfireDefinition, chemicalDefinition] as const;

const definitions = new Map<string, HazardDefinition>(BUNDLED.map((d): [string, HazardDefinition] => [d.type, d]));
let union: z.ZodType | undefined;
let version = 0;

/** Changes whenever a hazard kind is registered (schemas built from the registry rebuild then). */
export function hazardRegistryVersion(): number {
  return version;
}

export function registerHazardDefinition(d: HazardDefinition): void {
  const known = definitions.get(d.type);
  if (known !== undefined && known !== d) throw new Error(`hazard type "${d.type}" is already registered`);
  if (known === d) return;
  definitions.set(d.type, d);
  union = undefined;
  version++;
}

export function hazardDefinition(type: string): HazardDefinition {
  const d = definitions.get(type);
  if (d === undefined) throw new Error(`no hazard type "${type}" is registered`);
  return d;
}

export function hazardTypes(): string[] {
  return [...definitions.keys()];
}

/**
 * The discriminated union of every registered hazard schema (rebuilt when one is registered).
 * Typed as the bundled kinds: a hazard of a registered extra kind is only a HazardBase to code
 * outside its own module, which reads it through its definition.
 */
export function hazardSchema(): z.ZodType<Hazard, HazardInput> {
  if (union === undefined) {
    const schemas: z.ZodObject[] = [...definitions.values()].map((d) => d.schema);
    union = z.discriminatedUnion('type', schemas as [z.ZodObject, ...z.ZodObject[]]);
  }
  return union as z.ZodType<Hazard, HazardInput>;
}
