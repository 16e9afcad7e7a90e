/**
 * Generic incidents: a Poisson stream of calls each needing one team. Its responses count with
 * the rescue calls in the shared response-time KPI and target; it has no slice of its own.
 */

import { type CompiledIncidents, type IncidentHazard, incidentsDefinition } from '../../scenario/hazards/incidents.js';
import type { Peril } from '../peril.js';
import { scheduleIncidents } from './events.js';

export const incidents: Peril<IncidentHazard, CompiledIncidents> = {
  definition: incidentsDefinition,
  schedule: scheduleIncidents,
};
