/**
 * Floods: footprint and demand (demand.ts), roads closed and reopened, boat rescue and displaced
 * people handed to the shared relief operation (events.ts). Their KPIs — response time, relief
 * within the deadline, displaced and stranded people, loss — are the run's core KPIs, measured on
 * the shared response (kpi/accumulator.ts), so the flood has no slice of its own.
 */

import { type CompiledFlood, type FloodHazard, floodDefinition } from '../../scenario/hazards/flood.js';
import type { Peril } from '../peril.js';
import { scheduleFlood } from './events.js';

export const flood: Peril<FloodHazard, CompiledFlood> = {
  definition: floodDefinition,
  callsMutualAid: true,
  schedule(ctx, h) {
    scheduleFlood(ctx, h);
    return undefined;
  },
};
