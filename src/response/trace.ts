/**
 * The trace of one replication: what happened, when, to whom. Besides the simulation's own events,
 * a flood's onset (`flood`: people displaced, return period), a warehouse running out of an item
 * (`stock-out`) and, added by studies/trace.ts, the relief deadline passing (`deadline`: people
 * relieved by then). An optional observer of the trial —
 * absent in ordinary runs (every hook is one `if` on an undefined field) — for drill scripts, the
 * report's timeline and the question "why did replication 1734 miss?". Because each replication's
 * random streams derive from (seed, replication, stream name), replication N traced alone is
 * exactly replication N of the run.
 */
export type TraceKind =
  | 'alarm'
  | 'dispatch'
  | 'on-scene'
  | 'finished'
  | 'convoy-departed'
  | 'convoy-delivered'
  | 'road-closed'
  | 'road-reopened'
  | 'mutual-aid-arrived'
  | 'fire-ignited'
  | 'fire-controlled'
  | 'wildfire-ignited'
  /** An ignition on ground burned this year, or inside a block still burning: no new fire. */
  | 'wildfire-no-fuel'
  | 'wildfire-contained'
  | 'release'
  | 'evacuation-completed'
  | 'flood'
  | 'stock-out'
  | 'deadline'
  | 'shelter-ordered'
  | 'evacuation-started'
  | 'evacuation-progress'
  | 'release-stopped';

export interface TraceEvent {
  /** Simulated minutes since the start of the replication. */
  readonly minutes: number;
  readonly kind: TraceKind;
  /** Stable entity id: `STATION/TYPE#k` for teams, `FLEET#k` for trucks, link `A-B`, mutual-aid id, hazard id. */
  readonly entity: string;
  /** Zone id where it happens (the scene, the shelter, the site). */
  readonly zone?: string;
  /** Incident number within the replication (alarm, dispatch, on-scene, finished). */
  readonly incident?: number;
  /** Minutes from alarm (on-scene: the response time). */
  readonly responseMinutes?: number;
  /** People: relieved by a delivery, stranded in a call, displaced by a flood. */
  readonly people?: number;
  /** Hectares burned (a contained wildfire). */
  readonly areaHa?: number;
  /** A wildfire's end: put out by the teams' line (true) or burned out at the edge of its block (false). */
  readonly putOut?: boolean;
  /** Units by relief item (convoys). */
  readonly items?: Readonly<Record<string, number>>;
  /** The relief item (a warehouse's stock-out). */
  readonly item?: string;
  /** Return period of a flood's severity, years (flood onset). */
  readonly returnPeriodYears?: number;
  /** The flood's warning lead time, hours (flood onset): how long before the onset the warning came. */
  readonly warningLeadHours?: number;
  /** People above each level of concern, AEGL-1/2/3 (a chemical release). */
  readonly exposed?: readonly number[];
  /**
   * Direct loss, CNY: a controlled building fire; a flood (all zones, before any response); a
   * chemical release's property loss (what the release destroys, whatever is done about it).
   */
  readonly lossCny?: number;
  /** A chemical release's casualty costs, CNY (its deaths × the cost per death, GB 6721): direct loss too, which depends on the response. */
  readonly casualtyCostCny?: number;
  /**
   * Deaths the event will cause or caused (a chemical release: drawn at release, known to the
   * controller, not the players; a controlled building fire: 0 or 1).
   */
  readonly deaths?: number;
  /** Substance id (a chemical release). */
  readonly substance?: string;
  /** A chemical release's weather and reach: wind, stability class, how far downwind the AEGL-2 zone goes. */
  readonly plume?: {
    readonly windMPerS: number;
    readonly stability: string;
    readonly aegl2DistanceM: number;
    readonly dense: boolean;
    readonly releaseMinutes: number;
  };
}

export type Trace = (e: TraceEvent) => void;
