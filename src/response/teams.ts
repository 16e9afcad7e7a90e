/**
 * Team dispatch: incidents get the eligible idle team that can be on scene soonest (turnout +
 * travel; ties to the lower team index); when none is idle they wait in one first-come,
 * first-served queue. A team that finishes takes the oldest waiting incident it may serve,
 * travelling straight from the scene, or drives home and becomes idle there.
 * Response time = alarm → first team on scene (queue wait + turnout + travel).
 */
import type { Simulation } from '../kernel/simulation.js';
import type { Incident } from '../demand/incident.js';

export interface Team {
  readonly type: string;
  readonly home: number;
  readonly turnoutMinutes: number;
  zone: number;
  idle: boolean;
  busyMinutes: number;
}

/** Minutes for a team to get from zone a to the scene of an incident in zone b. */
export type TravelMinutes = (from: number, incident: Incident) => number;

export interface DispatchTask {
  readonly incident: Incident;
  readonly eligible: ReadonlySet<string>;
  readonly travel: TravelMinutes;
  /** Called once, when the first team reaches the scene. */
  readonly onScene: (responseMinutes: number, incident: Incident) => void;
}

export class TeamDispatcher {
  readonly teams: Team[] = [];
  private readonly queue: DispatchTask[] = [];
  private queueHead = 0;

  constructor(
    private readonly sim: Simulation,
    /** Travel home after work (road network). */
    private readonly homeMinutes: (from: number, home: number) => number,
  ) {}

  /** Adds a team, idle at `zone` from now on, and lets it take waiting work. */
  add(type: string, home: number, turnoutMinutes: number): void {
    const team: Team = { type, home, turnoutMinutes, zone: home, idle: true, busyMinutes: 0 };
    this.teams.push(team);
    this.becomeIdle(team);
  }

  /** An incident is reported now. */
  alarm(task: DispatchTask): void {
    let best: Team | undefined;
    let bestMinutes = Infinity;
    for (const team of this.teams) {
      if (!team.idle || !task.eligible.has(team.type)) continue;
      const minutes = team.turnoutMinutes + task.travel(team.zone, task.incident);
      if (minutes < bestMinutes) {
        best = team;
        bestMinutes = minutes;
      }
    }
    if (best) this.serve(best, task, bestMinutes);
    else this.queue.push(task);
  }

  /** Incidents still waiting for a team. */
  get waiting(): number {
    return this.queue.length - this.queueHead;
  }

  private serve(team: Team, task: DispatchTask, travelMinutes: number): void {
    const sim = this.sim;
    team.idle = false;
    const incident = task.incident;
    const busy = travelMinutes + incident.workMinutes;
    team.busyMinutes += busy;
    sim.schedule(travelMinutes, () => task.onScene(sim.now - incident.timeMinutes, incident));
    sim.schedule(busy, () => {
      team.zone = incident.zone;
      const next = this.takeQueued(team);
      if (next) {
        this.serve(team, next, next.travel(team.zone, next.incident));
        return;
      }
      const back = this.homeMinutes(team.zone, team.home);
      if (back === 0 || !Number.isFinite(back)) {
        team.zone = Number.isFinite(back) ? team.home : team.zone;
        this.becomeIdle(team);
      } else {
        team.busyMinutes += back;
        sim.schedule(back, () => {
          team.zone = team.home;
          this.becomeIdle(team);
        });
      }
    });
  }

  private becomeIdle(team: Team): void {
    team.idle = true;
    const next = this.takeQueued(team);
    if (next) this.serve(team, next, team.turnoutMinutes + next.travel(team.zone, next.incident));
  }

  /** Removes and returns the oldest waiting task this team may serve. */
  private takeQueued(team: Team): DispatchTask | undefined {
    const q = this.queue;
    for (let i = this.queueHead; i < q.length; i++) {
      const task = q[i]!;
      if (!task.eligible.has(team.type)) continue;
      if (i === this.queueHead) {
        this.queueHead++;
        if (this.queueHead > 1024 && this.queueHead * 2 > q.length) {
          q.splice(0, this.queueHead);
          this.queueHead = 0;
        }
      } else {
        q.splice(i, 1);
      }
      return task;
    }
    return undefined;
  }
}
