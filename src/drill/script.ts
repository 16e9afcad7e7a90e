/**
 * A drill script as data: the roles, the kinds of inject, the injects, the evaluation sheet and
 * the script itself, language-free. build.ts makes it from a replication (with injects.ts);
 * render.ts tells it in Chinese or English and reads nothing but these types.
 */
import type { ExemplarKpi } from '../kpi/accumulator.js';
import type { RunResult, Severity } from '../kpi/result.js';
import type { Plan } from '../scenario/schema.js';
import type { ReplicationTrace } from '../studies/trace.js';
/** The participants of a drill: the plans' command and working groups, the units that act, the message sources. */
export const ROLES = [
  'hq', // the headquarters the plan names for the hazard (plan.headquarters; 004 L51), else 应急指挥部
  'alarm', // where calls arrive: the unified alarm centre (plan.alarmCentre; 004 L277 统一接报警)
  'control', // 导调组: the exercise control cell
  'weather', // 气象、水文部门: warnings and forecasts
  'town', // 乡镇政府（街道）: the zone's government, its village heads
  'fire', // 消防救援大队: the fire stations' teams
  'forest', // 森林消防队伍
  'rescue', // 乡镇及社会救援队伍
  'supplies', // 物资保障组: warehouses and convoys
  'transport', // 交通运输组: roads (004 L252: 县交警大队, 县交通运输局)
  'resettlement', // 转移安置组: the displaced, the shelters
  'medical', // 医疗救护组
  'enterprise', // 企业: a plant or park's operator
  'aid', // 上级及外部支援: mutual aid
  'hospital', // 定点救治医院: played by the control cell (a simulated entity)
] as const;
export type Role = (typeof ROLES)[number];

/** A role, and the unit of it when one is meant (a station, a warehouse, a zone, a site). */
export interface RoleRef {
  readonly role: Role;
  readonly unit?: string;
}

export const INJECT_KINDS = [
  'flood',
  'roads-closed',
  'roads-reopened',
  'rescue-calls',
  'fire',
  'fire-controlled',
  'wildfire',
  'wildfire-crews',
  'wildfire-contained',
  'release',
  'casualties',
  'hospital-arrivals',
  'shelter-ordered',
  'evacuation-started',
  'evacuation-progress',
  'release-stopped',
  'evacuation-completed',
  'first-relief',
  'shelter-check',
  'stock-out',
  'mutual-aid',
  'deadline',
  'warning',
  'water-level',
  'report-due',
  'report-asked',
  'end',
] as const;
export type InjectKind = (typeof INJECT_KINDS)[number];

/**
 * Where an inject comes from. `world`: what happens whatever the players do (the hazard, its
 * warnings, calls for help, roads cut by water, a warehouse's stock, pre-arranged aid): the
 * players get these. `outcome`: what the model's own decisions produced (dispatches, deliveries,
 * evacuation progress, roads reopened by repair crews): the controller's state cards, never given
 * to the players as facts (HSEEP: the MSEL is not seen by players).
 */
export type Origin = 'world' | 'outcome';

/** The drill's phases (AQ/T 9007-2019; the 2009 guide): warning, activation, rescue, relief, stand-down. */
export const PHASES = ['warning', 'activation', 'rescue', 'relief', 'recovery'] as const;
export type Phase = (typeof PHASES)[number];

/** How an inject is delivered (HSEEP MSEL "delivery method"; 注入方式). */
export const DELIVERIES = ['phone', 'fax', 'radio', 'slip', 'video', 'sms'] as const;
export type Delivery = (typeof DELIVERIES)[number];

export type ResponseLevel = 'I' | 'II' | 'III' | 'IV';

export interface Inject {
  /** 1, 2, … in time order. */
  readonly n: number;
  /** Simulated minutes since the replication began: the first of its events. */
  readonly minutes: number;
  readonly kind: InjectKind;
  readonly origin: Origin;
  readonly phase: Phase;
  readonly delivery: Delivery;
  /** The plan target or critical task it serves (evaluation.ts), when one. */
  readonly objective?: string;
  readonly from: RoleRef;
  readonly to: readonly RoleRef[];
  /** The zone it concerns. */
  readonly zone?: string;
  /** The response level the plan's rules give the situation as first assessed (plan.responseLevels); never from the outcome. */
  readonly level?: ResponseLevel;
  /** A turning point the players must not miss (first stock-out, a road cut, aid arriving, the deadline). */
  readonly decisive: boolean;
  /** Indexes of the trace events it stands for. */
  readonly events: readonly number[];
  /** What the message says, as numbers and ids (the renderer words it). */
  readonly facts: Readonly<Record<string, string | number | null | readonly string[]>>;
  /** What the model did next (the controller's answer key), as numbers and ids. */
  readonly answer?: Readonly<Record<string, string | number | null | readonly string[]>>;
}

export interface EvaluationRow {
  /** The target's id (kpi/targets.ts), or an observation's (`obs:…`). */
  readonly id: string;
  /** The run's target entry (its description, threshold, pMet and interval); absent for observations. */
  readonly target?: RunResult['targets'][number];
  /** What this replication achieved, in the target's unit; null where it does not judge it. */
  readonly achieved: number | null;
  readonly met: boolean | null;
  /** Observations: the mean across replications and its interval. */
  readonly runMean?: number | null;
  readonly runCi95?: readonly [number | null, number | null];
  readonly unit: string;
}

/**
 * One critical task of the evaluation guide (AQ/T 9009-2015 评估要点; HSEEP EEG): the objective it
 * serves, the task, what to observe, the standard (from the plan, a rule or a target, with its
 * source), and the model's value in this replication as a reference for the evaluator.
 */
export interface CriticalTask {
  readonly objective: string;
  readonly task: string;
  /** Numbers for the standard's and the reference's wording. */
  readonly params: Readonly<Record<string, string | number>>;
  /** The model's reference: the message key's variant (`reached`, `none`, …). */
  readonly reference: string;
}

export interface Drill {
  readonly kind: 'dsim.drill';
  readonly schemaVersion: 1;
  readonly engineVersion: string;
  readonly scenario: { readonly id: string; readonly name: string; readonly nameZh?: string; readonly hash: string };
  /** The hazard drilled (its type and id). */
  readonly hazard: { readonly id: string; readonly type: string };
  readonly seed: number;
  readonly replications: number;
  readonly replication: number;
  /** Why this replication: by severity of a KPI, or as asked; its value and how it ranks. */
  readonly choice: {
    readonly by: 'severity' | 'index';
    readonly severity?: Severity;
    readonly kpi: ExemplarKpi;
    /** The KPI's value in this replication. */
    readonly value: number | null;
    /** The share of replications better than this one (≈1% bins). */
    readonly worseThan: number | null;
    /** The flood's return period in this replication, years (floods). */
    readonly returnPeriodYears?: number;
  };
  readonly deadlineHours: number;
  /** The district's zones, for their names. */
  readonly zones: readonly { readonly id: string; readonly name: string; readonly nameZh?: string }[];
  /** Roads that have names (by their trace id `FROM-TO`), shown instead of their two zones. */
  readonly roads?: readonly { readonly id: string; readonly name?: string; readonly nameZh?: string }[];
  /** Stations, warehouses, fleets and mutual aid that have names, for showing them instead of ids. */
  readonly units: readonly { readonly id: string; readonly name?: string; readonly nameZh?: string }[];
  readonly roles: readonly RoleRef[];
  readonly injects: readonly Inject[];
  /** The district's capability across all replications (the planners' annex): each target's P(met), observations' means. */
  readonly evaluation: readonly EvaluationRow[];
  /** The evaluators' critical tasks: what to observe, the standard from the plan or a rule, the model's reference value. */
  readonly tasks: readonly CriticalTask[];
  /** The district's organisation as its plan states it (scenario `plan`), when given. */
  readonly plan?: Plan;
  /** Whether the plan defines response levels for the hazard drilled (else the script says so and gives none). */
  readonly levelsDefined: boolean;
  /** An urban-fire drill's fire: the replication's worst of `fires` (by deaths, then loss), which the script follows alone. */
  readonly fire?: { readonly fires: number; readonly lossCny: number; readonly deaths: number; readonly zone?: string };
  /** The replication's facts (trace), for the script's header. */
  readonly facts: ReplicationTrace['facts'];
}

/** Minutes within which an accident is first reported (生产安全事故报告和调查处理条例 art. 9: 1 hour), unless the plan says. */
export const ACCIDENT_REPORT_MINUTES = 60;

/** Most injects a script holds: beyond it, rescue calls and fires are grouped over longer windows. */
export const MAX_INJECTS = 60;
