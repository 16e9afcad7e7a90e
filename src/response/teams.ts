/**
 * Team dispatch: incidents get the eligible idle team that can be on scene soonest (turnout +
 * travel; ties to the lower team index); when none is idle they wait in one first-come,
 * first-served queue. A team that finishes takes the oldest waiting incident it may serve,
 * travelling straight from the scene, or drives home and becomes idle there.
 * Response time = alarm → first team on scene (queue wait + turnout + travel).
 */

import type { Simulation } from '../kernel/simulation.js';
import type { Incident } from './incident.js';
import type { Trace } from './trace.js';

export interface Team {
  /** Stable id for traces (`fire-suozhen/water-rescue#2`). */
  readonly id: string;
  readonly type: string;
  /** Bit of the team's type in eligibility masks. */
  readonly bit: number;
  readonly home: number;
  readonly turnoutMinutes: number;
  zone: number;
  /** Zone of the incident the team is working at. */
  scene: number;
  idle: boolean;
  busyMinutes: number;
  /** The team's own callbacks, made once (the kernel's hot path allocates none per incident). */
  readonly finished: () => void;
  readonly returned: () => void;
}

/** Minutes for a team to get from zone a to the scene of an incident in zone b. */
export type TravelMinutes = (from: number, incident: Incident) => number;

export interface DispatchTask {
  readonly incident: Incident;
  readonly eligible: ReadonlySet<string>;
  readonly travel: TravelMinutes;
  /** Called once, when the team reaches the scene (`external`: a mutual-aid unit came instead). */
  readonly onScene: (responseMinutes: number, incident: Incident, external: boolean) => void;
  /** Time on scene decided when the team is sent, from its arrival time (default: incident.workMinutes). */
  readonly workFrom?: (arrivalMinutes: number) => number;
  /** If it has to wait, a unit from outside arrives this many minutes after the alarm unless a local team came first. */
  readonly externalMinutes?: number;
  /** Set by the dispatcher when tracing: the incident's number in the replication. */
  traceNo?: number;
}

export class TeamDispatcher {
  readonly teams: Team[] = [];
  /**
   * The waiting tasks, oldest first from `queueHead` (undefined: taken, or answered from outside),
   * and beside them their eligibility masks, looked up once: two arrays, no record per task.
   */
  private readonly queue: (DispatchTask | undefined)[] = [];
  private readonly queueMasks: number[] = [];
  /** Places removed from the front of the queue so far: a task's place is its number minus this. */
  private queueShift = 0;
  private readonly typeBits = new Map<string, number>();
  /** Masks of the sets of team types asked for so far (forgotten when a team of a new type joins). */
  private masks = new WeakMap<ReadonlySet<string>, number>();
  /** The set asked for last and its mask: one hazard's calls ask for the same set, call after call. */
  private lastTypes: ReadonlySet<string> | undefined;
  private lastMask = 0;
  private waitingCount = 0;
  /** Idle teams of every type: an alarm with none skips the search. */
  private idleCount = 0;
  private queueHead = 0;

  private incidents = 0;

  constructor(
    private readonly sim: Simulation,
    /** Travel home after work (road network). */
    private readonly homeMinutes: (from: number, home: number) => number,
    private readonly trace?: Trace,
    /** Zone ids by index, for traces. */
    private readonly zoneIds: readonly string[] = [],
  ) {}

  /** Adds a team, idle at `zone` from now on, and lets it take waiting work. */
  add(type: string, home: number, turnoutMinutes: number, id: string): void {
    let bit = this.typeBits.get(type);
    if (bit === undefined) {
      if (this.typeBits.size >= 30) throw new Error('dispatch: more than 30 team types');
      bit = 1 << this.typeBits.size;
      this.typeBits.set(type, bit);
      // a set that named this type before it had teams has a mask without its bit: the tasks
      // waiting for a team of this type must be found by it
      this.masks = new WeakMap();
      this.lastTypes = undefined;
      for (let i = this.queueHead; i < this.queue.length; i++) {
        const waiting = this.queue[i];
        if (waiting) this.queueMasks[i] = this.maskOf(waiting.eligible);
      }
    }
    const team: Team = {
      id,
      type,
      bit,
      home,
      turnoutMinutes,
      zone: home,
      scene: home,
      idle: true,
      busyMinutes: 0,
      finished: () => this.finish(team),
      returned: () => {
        team.zone = team.home;
        this.becomeIdle(team);
      },
    };
    this.teams.push(team);
    this.becomeIdle(team);
  }

  /** The bit mask of a set of team types (cached per set). */
  private maskOf(types: ReadonlySet<string>): number {
    if (types === this.lastTypes) return this.lastMask;
    let m = this.masks.get(types);
    if (m === undefined) {
      m = 0;
      for (const t of types) m |= this.typeBits.get(t) ?? 0;
      this.masks.set(types, m);
    }
    this.lastTypes = types;
    this.lastMask = m;
    return m;
  }

  /** An incident is reported now. */
  alarm(task: DispatchTask): void {
    if (this.trace) {
      task.traceNo = ++this.incidents;
      this.trace({
        minutes: this.sim.now,
        kind: 'alarm',
        entity: 'incident',
        zone: this.zoneIds[task.incident.zone] ?? '',
        incident: task.traceNo,
        people: task.incident.people,
      });
    }
    let best: Team | undefined;
    let bestMinutes = Infinity;
    const mask = this.maskOf(task.eligible);
    if (this.idleCount > 0) {
      // teams of a station stand in one zone: the travel from the last zone asked is kept
      let fromZone = -1;
      let travel = 0;
      for (const team of this.teams) {
        if (!team.idle || (mask & team.bit) === 0) continue;
        if (team.zone !== fromZone) {
          fromZone = team.zone;
          travel = task.travel(fromZone, task.incident);
        }
        const minutes = team.turnoutMinutes + travel;
        if (minutes < bestMinutes) {
          best = team;
          bestMinutes = minutes;
        }
      }
    }
    if (best) {
      this.serve(best, task, bestMinutes);
      return;
    }
    const number = this.queueShift + this.queue.length;
    this.queue.push(task);
    this.queueMasks.push(mask);
    this.waitingCount++;
    const ext = task.externalMinutes;
    if (ext !== undefined) {
      this.sim.schedule(ext, () => {
        const place = number - this.queueShift;
        if (this.queue[place] !== task) return; // a team took it
        this.queue[place] = undefined;
        this.waitingCount--;
        this.trace?.({
          minutes: this.sim.now,
          kind: 'on-scene',
          entity: 'mutual-aid',
          zone: this.zoneIds[task.incident.zone] ?? '',
          incident: task.traceNo!,
          responseMinutes: ext,
        });
        task.onScene(ext, task.incident, true);
      });
    }
  }

  /** Incidents still waiting for a team. */
  get waiting(): number {
    return this.waitingCount;
  }

  private serve(team: Team, task: DispatchTask, travelMinutes: number): void {
    const sim = this.sim;
    if (team.idle) {
      team.idle = false;
      this.idleCount--;
    }
    const incident = task.incident;
    const work = task.workFrom ? task.workFrom(sim.now + travelMinutes) : incident.workMinutes;
    const busy = travelMinutes + work;
    team.busyMinutes += busy;
    team.scene = incident.zone;
    const trace = this.trace;
    if (trace) {
      const at = { entity: team.id, zone: this.zoneIds[incident.zone] ?? '', incident: task.traceNo! };
      trace({ minutes: sim.now, kind: 'dispatch', ...at });
      sim.schedule(travelMinutes, () =>
        trace({ minutes: sim.now, kind: 'on-scene', ...at, responseMinutes: sim.now - incident.timeMinutes }),
      );
      sim.schedule(busy, () => trace({ minutes: sim.now, kind: 'finished', ...at }));
    }
    if (travelMinutes === 0) task.onScene(sim.now - incident.timeMinutes, incident, false);
    else sim.schedule(travelMinutes, () => task.onScene(sim.now - incident.timeMinutes, incident, false));
    sim.schedule(busy, team.finished); // one callback per team, made once: no closure per incident
  }

  /** The team has finished at its scene: the next waiting incident, or home. */
  private finish(team: Team): void {
    team.zone = team.scene;
    const next = this.takeQueued(team);
    if (next) {
      this.serve(team, next, next.travel(team.zone, next.incident));
      return;
    }
    const back = this.homeMinutes(team.zone, team.home);
    if (back === 0 || !Number.isFinite(back)) {
      team.zone = Number.isFinite(back) ? team.home : team.zone;
      this.becomeIdle(team, false); // the queue was just searched for this team
    } else {
      team.busyMinutes += back;
      this.sim.schedule(back, team.returned);
    }
  }

  private becomeIdle(team: Team, searchQueue = true): void {
    team.idle = true;
    this.idleCount++;
    if (!searchQueue) return;
    const next = this.takeQueued(team);
    if (next) this.serve(team, next, team.turnoutMinutes + next.travel(team.zone, next.incident));
  }

  /** Removes and returns the oldest waiting task this team may serve. */
  private takeQueued(team: Team): DispatchTask | undefined {
    const q = this.queue;
    const masks = this.queueMasks;
    while (this.queueHead < q.length && q[this.queueHead] === undefined) this.queueHead++;
    for (let i = this.queueHead; i < q.length; i++) {
      const task = q[i];
      if (task === undefined || (masks[i]! & team.bit) === 0) continue;
      q[i] = undefined;
      this.waitingCount--;
      if (i === this.queueHead) this.queueHead++;
      if (this.queueHead > 1024 && this.queueHead * 2 > q.length) {
        q.splice(0, this.queueHead);
        masks.splice(0, this.queueHead);
        this.queueShift += this.queueHead;
        this.queueHead = 0;
      }
      return task;
    }
    return undefined;
  }
}
