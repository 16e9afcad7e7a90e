/**
 * Relief logistics: convoys load day-1 relief items at warehouses and drive them to the shelters
 * of affected zones, limited by stock, payload, fleet and open roads.
 *
 * Dispatch follows the seeds' rule 先近后远、先主后次、满足急需 (003): an idle vehicle serves
 * the shelter zone with outstanding need chosen by the policy (`nearest-first` by road time from
 * its warehouse, `most-people-first`, or `listed-order`); it loads whole per-person sets of every
 * outstanding item first (so that people become fully relieved as early as possible), then fills
 * what payload is left item by item in the priority order (main needs first). A displaced person
 * counts as relieved when every day-1 item has reached their shelter for them; people in indoor
 * shelter places need no item marked `coveredByShelterPlaces` (tents).
 */
import type { Simulation } from '../kernel/simulation.js';
import type { RoadNetwork } from '../network/roads.js';
import type { CompiledModel } from '../scenario/compile.js';
import type { VehicleSpec } from '../scenario/schema.js';

interface Vehicle {
  readonly spec: VehicleSpec;
  warehouse: number;
  idle: boolean;
  busyMinutes: number;
}

const EPS = 1e-9;

export class ReliefOperation {
  /** Stock by warehouse, then item. */
  readonly stock: Float64Array[];
  private readonly vehicles: Vehicle[] = [];
  private readonly need: Float64Array[];
  private readonly delivered: Float64Array[];
  private readonly pending: Float64Array[];
  /** Units still to be assigned to a convoy: need − delivered − pending, by zone then item. */
  private readonly owed: Float64Array[];
  private readonly relieved: Float64Array;
  private active = false;
  /** People relieved so far, all shelter zones. */
  relievedTotal = 0;
  /** People relieved by the deadline. */
  relievedByDeadline = 0;
  /** Minutes at which the last displaced person was relieved (Infinity if not yet). */
  allRelievedAt = Infinity;
  readonly displacedTotal: number;
  readonly relievedByDeadlineByZone: Float64Array;

  constructor(
    private readonly sim: Simulation,
    private readonly m: CompiledModel,
    private readonly roads: RoadNetwork,
    /** Displaced people arriving at the shelters of each zone. */
    private readonly people: Float64Array,
    private readonly deadlineMinutes: number,
  ) {
    const nz = m.zones.length;
    const ni = m.items.length;
    this.stock = m.warehouses.map((w) => Float64Array.from(w.stock));
    this.need = Array.from({ length: nz }, (_, z) =>
      Float64Array.from({ length: ni }, (_, i) => Math.ceil(this.peopleNeeding(z, i) * m.perPerson[i]! - EPS)),
    );
    this.delivered = Array.from({ length: nz }, () => new Float64Array(ni));
    this.pending = Array.from({ length: nz }, () => new Float64Array(ni));
    this.owed = this.need.map((n) => Float64Array.from(n));
    this.relieved = new Float64Array(nz);
    this.relievedByDeadlineByZone = new Float64Array(nz);
    this.displacedTotal = people.reduce((a, b) => a + b, 0);
    for (let z = 0; z < nz; z++) this.updateRelieved(z);
    if (this.relievedTotal >= this.displacedTotal) this.allRelievedAt = 0;
    for (const f of m.fleet) this.addVehicles(f.warehouse, f);
  }

  /** Total need of each item (units), summed over zones. */
  totalNeed(item: number): number {
    return this.need.reduce((a, n) => a + n[item]!, 0);
  }

  /** Convoys start loading at `minutes` after onset. */
  start(minutes: number): void {
    this.sim.at(minutes, () => {
      this.active = true;
      this.dispatchAll();
    });
  }

  addStock(warehouse: number, units: readonly number[]): void {
    const st = this.stock[warehouse]!;
    units.forEach((u, i) => (st[i] = st[i]! + u));
    this.dispatchAll();
  }

  addVehicles(warehouse: number, spec: VehicleSpec): void {
    for (let k = 0; k < spec.count; k++) this.vehicles.push({ spec, warehouse, idle: true, busyMinutes: 0 });
    this.dispatchAll();
  }

  /** Roads opened or closed: idle vehicles look again. */
  roadsChanged(): void {
    this.dispatchAll();
  }

  /** Busy vehicle-minutes and the number of vehicles. */
  utilisation(): { busyMinutes: number; vehicles: number } {
    return { busyMinutes: this.vehicles.reduce((a, v) => a + v.busyMinutes, 0), vehicles: this.vehicles.length };
  }

  private peopleNeeding(zone: number, item: number): number {
    const p = this.people[zone]!;
    return this.m.coveredByShelter[item] ? Math.max(0, p - this.m.zones[zone]!.shelterPlaces) : p;
  }

  private outstanding(zone: number, item: number): number {
    return this.owed[zone]![item]!;
  }

  private updateRelieved(zone: number): void {
    const p = this.people[zone]!;
    let covered = p;
    const m = this.m;
    for (let i = 0; i < m.items.length; i++) {
      let c = Math.floor(this.delivered[zone]![i]! / m.perPerson[i]! + EPS);
      if (m.coveredByShelter[i]) c += m.zones[zone]!.shelterPlaces;
      if (c < covered) covered = c;
    }
    const gained = covered - this.relieved[zone]!;
    if (gained <= 0) return;
    this.relieved[zone] = covered;
    this.relievedTotal += gained;
    if (this.sim.now <= this.deadlineMinutes + EPS) {
      this.relievedByDeadline += gained;
      this.relievedByDeadlineByZone[zone] = covered;
    }
    if (this.relievedTotal >= this.displacedTotal && this.allRelievedAt === Infinity) this.allRelievedAt = this.sim.now;
  }

  private dispatchAll(): void {
    if (!this.active) return;
    for (const v of this.vehicles) if (v.idle) this.dispatch(v);
  }

  /** Zones with outstanding need reachable from `from`, in dispatch order. */
  private candidates(from: number, speedKmh: number): number[] {
    const m = this.m;
    const zones: { z: number; minutes: number; people: number }[] = [];
    for (let z = 0; z < m.zones.length; z++) {
      let open = false;
      for (let i = 0; i < m.items.length && !open; i++) open = this.outstanding(z, i) > EPS;
      if (!open) continue;
      const minutes = this.roads.minutes(from, z, speedKmh);
      if (minutes === Infinity) continue;
      zones.push({ z, minutes, people: this.people[z]! - this.relieved[z]! });
    }
    const policy = m.scenario.response.reliefDispatch;
    zones.sort((a, b) => {
      if (policy === 'nearest-first' && a.minutes !== b.minutes) return a.minutes - b.minutes;
      if (policy !== 'listed-order' && a.people !== b.people) return b.people - a.people;
      return a.z - b.z;
    });
    return zones.map((c) => c.z);
  }

  /** Units of each item to load at warehouse w for zone z (sets first, then priority order). */
  private loadFor(w: number, z: number, payloadKg: number): number[] {
    const m = this.m;
    const stock = this.stock[w]!;
    const avail = m.items.map((_, i) => Math.max(0, Math.min(this.outstanding(z, i), stock[i]!)));
    const load = m.items.map(() => 0);
    let room = payloadKg;
    const setItems = m.items.map((_, i) => i).filter((i) => this.outstanding(z, i) > EPS);
    if (setItems.every((i) => avail[i]! > EPS)) {
      const kgPerPerson = setItems.reduce((a, i) => a + m.perPerson[i]! * m.unitMassKg[i]!, 0);
      const persons = Math.min(room / kgPerPerson, ...setItems.map((i) => avail[i]! / m.perPerson[i]!));
      for (const i of setItems) {
        load[i] = Math.min(avail[i]!, Math.floor(persons * m.perPerson[i]! + EPS));
        room -= load[i]! * m.unitMassKg[i]!;
      }
    }
    for (const i of m.itemPriority) {
      const extra = Math.min(avail[i]! - load[i]!, Math.floor(room / m.unitMassKg[i]! + EPS));
      if (extra <= 0) continue;
      load[i] = load[i]! + extra;
      room -= extra * m.unitMassKg[i]!;
    }
    return load;
  }

  private dispatch(v: Vehicle): void {
    const m = this.m;
    const here = m.warehouses[v.warehouse]!.zone;
    if (this.canServe(v.warehouse, v.spec)) {
      for (const z of this.candidates(here, v.spec.speedKmh)) {
        const load = this.loadFor(v.warehouse, z, v.spec.payloadKg);
        if (load.every((u) => u <= 0)) continue;
        this.drive(v, z, load);
        return;
      }
    }
    const next = this.nearestUsefulWarehouse(here, v.spec, v.warehouse);
    if (next !== undefined) this.relocate(v, next);
  }

  private drive(v: Vehicle, z: number, load: number[]): void {
    const sim = this.sim;
    const stock = this.stock[v.warehouse]!;
    const pending = this.pending[z]!;
    const owed = this.owed[z]!;
    load.forEach((u, i) => {
      stock[i] = stock[i]! - u;
      pending[i] = pending[i]! + u;
      owed[i] = owed[i]! - u;
    });
    const from = this.m.warehouses[v.warehouse]!.zone;
    const out = this.roads.minutes(from, z, v.spec.speedKmh);
    const deliverAfter = v.spec.loadMinutes + out + v.spec.unloadMinutes;
    v.idle = false;
    v.busyMinutes += deliverAfter;
    sim.schedule(deliverAfter, () => {
      const delivered = this.delivered[z]!;
      load.forEach((u, i) => {
        pending[i] = pending[i]! - u;
        delivered[i] = delivered[i]! + u;
      });
      this.updateRelieved(z);
      const back = this.nearestUsefulWarehouse(z, v.spec) ?? v.warehouse;
      const minutes = this.roads.minutes(z, this.m.warehouses[back]!.zone, v.spec.speedKmh);
      // Roads only reopen after onset, so the way back (at worst to where it came from) is open.
      if (!Number.isFinite(minutes)) throw new Error(`relief: vehicle cut off in zone ${z} at t=${sim.now}`);
      this.arriveLater(v, back, minutes);
    });
  }

  private relocate(v: Vehicle, w: number): void {
    const minutes = this.roads.minutes(this.m.warehouses[v.warehouse]!.zone, this.m.warehouses[w]!.zone, v.spec.speedKmh);
    v.idle = false;
    this.arriveLater(v, w, minutes);
  }

  private arriveLater(v: Vehicle, w: number, minutes: number): void {
    v.busyMinutes += minutes;
    this.sim.schedule(minutes, () => {
      v.warehouse = w;
      v.idle = true;
      this.dispatch(v);
    });
  }

  /**
   * Whether a vehicle at warehouse w has work: a zone reachable from it that is still owed an
   * item w holds at least one unit of, light enough to load.
   */
  private canServe(w: number, spec: VehicleSpec): boolean {
    const m = this.m;
    const stock = this.stock[w]!;
    const nz = m.zones.length;
    const row = m.warehouses[w]!.zone * nz;
    const minutes = this.roads.matrix(spec.speedKmh);
    for (let z = 0; z < nz; z++) {
      if (minutes[row + z] === Infinity) continue;
      const owed = this.owed[z]!;
      for (let i = 0; i < owed.length; i++) {
        if (owed[i]! > EPS && stock[i]! >= 1 && m.unitMassKg[i]! <= spec.payloadKg) return true;
      }
    }
    return false;
  }

  /** The warehouse nearest to zone `from` (by road) where this vehicle would have work. */
  private nearestUsefulWarehouse(from: number, spec: VehicleSpec, except?: number): number | undefined {
    let best: number | undefined;
    let bestMinutes = Infinity;
    this.m.warehouses.forEach((w, k) => {
      if (k === except) return;
      const minutes = this.roads.minutes(from, w.zone, spec.speedKmh);
      if (minutes < bestMinutes && this.canServe(k, spec)) {
        best = k;
        bestMinutes = minutes;
      }
    });
    return best;
  }
}
