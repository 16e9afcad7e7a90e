/**
 * Relief logistics: convoys load day-1 relief items at warehouses and drive them to the shelters
 * of affected zones, limited by stock, payload, fleet and open roads.
 *
 * Dispatch follows the seeds' rule 先近后远、先主后次、满足急需 (003): an idle vehicle serves
 * the destination with outstanding need chosen by the policy (`nearest-first` by road time from
 * its warehouse, `most-people-first`, or `listed-order`); it loads whole per-person sets of every
 * outstanding item first (so that people become fully relieved as early as possible), then fills
 * what payload is left item by item in the priority order (main needs first). A displaced person
 * counts as relieved when every day-1 item has reached their shelter for them; people in indoor
 * shelter places need no item marked `coveredByShelterPlaces` (tents).
 *
 * One operation serves every flood of a replication: in a simulated year, floods draw on the same
 * warehouses and trucks. A destination is (flood event, shelter zone); each event keeps its relief
 * timeline: facts only, read against any deadline by the KPIs (kpi/relief.ts).
 *
 * What binds: every hour after onset the operation notes, for each destination, why its people
 * not yet relieved are waiting — the event's relief has not started (activation), no warehouse
 * can reach the shelter (closed roads), an item of their set is out of stock everywhere (the item
 * that covers fewest of them), or else the items exist and the road is open but no truck has
 * brought them yet (trucks). These snapshots change nothing in the simulation; the KPIs read the
 * one at the deadline.
 */
import type { Simulation } from '../kernel/simulation.js';
import type { RoadNetwork } from '../network/roads.js';
import type { CompiledModel } from '../scenario/compile.js';
import type { VehicleSpec } from '../scenario/schema.js';
import { ReliefEvent, reliefHours, WAIT_CAUSES } from './relief-event.js';
import type { Trace } from './trace.js';

interface Vehicle {
  /** Stable id for traces (`support-fleet#7`). */
  readonly id: string;
  readonly spec: VehicleSpec;
  warehouse: number;
  idle: boolean;
  busyMinutes: number;
}

/** The people of one flood event sheltered in one zone, and what has reached them. */
interface Destination {
  readonly event: ReliefEvent;
  readonly zone: number;
  readonly people: number;
  readonly need: Float64Array;
  readonly delivered: Float64Array;
  /** Units still to be assigned to a convoy: need − delivered − in transit. */
  readonly owed: Float64Array;
  relieved: number;
}

const EPS = 1e-9;

export class ReliefOperation {
  /** Stock by warehouse, then item. */
  readonly stock: Float64Array[];
  private readonly vehicles: Vehicle[] = [];
  private readonly destinations: Destination[] = [];
  /** Retries of trucks cut off at a shelter, run when roads change. */
  private readonly stranded: (() => void)[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly m: CompiledModel,
    private readonly roads: RoadNetwork,
    private readonly trace?: Trace,
  ) {
    this.stock = m.warehouses.map((w) => Float64Array.from(w.stock));
    for (const f of m.fleet) this.addVehicles(f.warehouse, f, f.vehicleIds);
  }

  /** A flood displaces `people` (by shelter zone) at `onsetMinutes`; convoys for it may start at `startMinutes`. */
  addEvent(onsetMinutes: number, startMinutes: number, people: Float64Array): ReliefEvent {
    const m = this.m;
    const hours = reliefHours(m);
    const event = new ReliefEvent(onsetMinutes, startMinutes, m.zones.length, m.items.length, hours);
    people.forEach((p, z) => {
      if (p <= 0) return;
      event.displaced += p;
      event.peopleByZone[z] = p;
      const need = Float64Array.from(m.items, (_, i) => Math.ceil(this.peopleNeeding(z, p, i) * m.perPerson[i]! - EPS));
      const d: Destination = {
        event,
        zone: z,
        people: p,
        need,
        delivered: new Float64Array(m.items.length),
        owed: Float64Array.from(need),
        relieved: 0,
      };
      this.destinations.push(d);
      this.updateRelieved(d);
    });
    if (event.relieved >= event.displaced) event.allRelievedAt = onsetMinutes;
    this.sim.at(startMinutes, () => this.dispatchAll());
    this.note(event, 0);
    for (let h = 1; h <= hours; h++) this.sim.at(onsetMinutes + h * 60, () => this.note(event, h));
    return event;
  }

  /** Notes why each destination's unrelieved people of `event` are waiting, h hours after onset. */
  private note(event: ReliefEvent, h: number): void {
    if (event.relieved >= event.displaced) return;
    const base = h * event.causes;
    for (const d of this.destinations) {
      if (d.event !== event) continue;
      const waiting = d.people - d.relieved;
      if (waiting <= 0) continue;
      const k = base + this.causeOf(d);
      event.waiting[k] = event.waiting[k]! + waiting;
    }
  }

  private causeOf(d: Destination): number {
    const m = this.m;
    if (this.sim.now < d.event.startMinutes) return 0;
    const reachable = m.warehouses.some((w) => this.roads.minutes(w.zone, d.zone, Infinity) < Infinity);
    if (!reachable) return 1;
    // the item covering fewest of the destination's people, counting what is delivered, on the way, or in stock
    let worst = -1;
    let fewest = Infinity;
    for (let i = 0; i < m.items.length; i++) {
      if (d.owed[i]! <= EPS && d.delivered[i]! >= d.need[i]! - EPS) continue;
      let inStock = 0;
      for (const st of this.stock) inStock += st[i]!;
      const assigned = d.need[i]! - d.owed[i]!; // delivered or on a truck
      const could =
        (assigned + Math.min(d.owed[i]!, inStock)) / m.perPerson[i]! + (m.coveredByShelter[i] ? m.zones[d.zone]!.shelterPlaces : 0);
      if (could < fewest) {
        fewest = could;
        worst = i;
      }
    }
    return worst >= 0 && fewest < d.people - EPS ? WAIT_CAUSES.length + worst : 2;
  }

  /** Total need of each item (units) over all events so far. */
  totalNeed(item: number): number {
    return this.destinations.reduce((a, d) => a + d.need[item]!, 0);
  }

  addStock(warehouse: number, units: readonly number[]): void {
    const st = this.stock[warehouse]!;
    units.forEach((u, i) => (st[i] = st[i]! + u));
    this.dispatchAll();
  }

  /** Brings each warehouse back up to at least its initial stock (restocking after a flood); returns units added by item. */
  restock(): number[] {
    const added = this.m.items.map(() => 0);
    this.m.warehouses.forEach((w, k) =>
      w.stock.forEach((u, i) => {
        const have = this.stock[k]![i]!;
        if (have < u) {
          added[i] = added[i]! + (u - have);
          this.stock[k]![i] = u;
        }
      }),
    );
    this.dispatchAll();
    return added;
  }

  /** Adds spec.count trucks at a warehouse; `ids` are their trace ids (compile.ts `unitIds`). */
  addVehicles(warehouse: number, spec: VehicleSpec, ids: readonly string[]): void {
    for (let k = 0; k < spec.count; k++) this.vehicles.push({ id: ids[k]!, spec, warehouse, idle: true, busyMinutes: 0 });
    this.dispatchAll();
  }

  /** Roads opened or closed: cut-off trucks try again, then idle ones look for work. */
  roadsChanged(): void {
    for (const retry of this.stranded.splice(0)) retry();
    this.dispatchAll();
  }

  /** Busy vehicle-minutes and the number of vehicles. */
  utilisation(): { busyMinutes: number; vehicles: number } {
    return { busyMinutes: this.vehicles.reduce((a, v) => a + v.busyMinutes, 0), vehicles: this.vehicles.length };
  }

  private peopleNeeding(zone: number, people: number, item: number): number {
    return this.m.coveredByShelter[item] ? Math.max(0, people - this.m.zones[zone]!.shelterPlaces) : people;
  }

  private updateRelieved(d: Destination): void {
    const m = this.m;
    let covered = d.people;
    for (let i = 0; i < m.items.length; i++) {
      let c = Math.floor(d.delivered[i]! / m.perPerson[i]! + EPS);
      if (m.coveredByShelter[i]) c += m.zones[d.zone]!.shelterPlaces;
      if (c < covered) covered = c;
    }
    const gained = covered - d.relieved;
    if (gained <= 0) return;
    d.relieved = covered;
    const e = d.event;
    e.relieved += gained;
    e.reliefMinutes.push(this.sim.now);
    e.reliefPeople.push(gained);
    e.reliefZone.push(d.zone);
    if (e.relieved >= e.displaced && e.allRelievedAt === Infinity) e.allRelievedAt = this.sim.now;
  }

  private dispatchAll(): void {
    for (const v of this.vehicles) if (v.idle) this.dispatch(v);
  }

  /** Whether convoys may serve d now (its event's relief has started) and it is still owed items. */
  private open(d: Destination): boolean {
    if (d.event.startMinutes > this.sim.now) return false;
    for (let i = 0; i < d.owed.length; i++) if (d.owed[i]! > EPS) return true;
    return false;
  }

  /** Destinations with outstanding need reachable from zone `from`, in dispatch order. */
  private candidates(from: number, speedKmh: number): Destination[] {
    const minutes = this.roads.matrix(speedKmh);
    const row = from * this.m.zones.length;
    const open = this.destinations.filter((d) => this.open(d) && minutes[row + d.zone]! < Infinity);
    const policy = this.m.reliefDispatch;
    const order = (a: Destination, b: Destination): number => {
      if (policy === 'nearest-first') {
        const ta = minutes[row + a.zone]!;
        const tb = minutes[row + b.zone]!;
        if (ta !== tb) return ta - tb;
      }
      if (policy !== 'listed-order') {
        const pa = a.people - a.relieved;
        const pb = b.people - b.relieved;
        if (pa !== pb) return pb - pa;
      }
      return a.event.onsetMinutes - b.event.onsetMinutes || a.zone - b.zone;
    };
    return open.sort(order);
  }

  /** Units of each item to load at warehouse w for destination d (sets first, then priority). */
  private loadFor(w: number, d: Destination, payloadKg: number): number[] {
    const m = this.m;
    const stock = this.stock[w]!;
    const avail = m.items.map((_, i) => Math.max(0, Math.min(d.owed[i]!, stock[i]!)));
    const load = m.items.map(() => 0);
    let room = payloadKg;
    const setItems = m.items.map((_, i) => i).filter((i) => d.owed[i]! > EPS);
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
    const here = this.m.warehouses[v.warehouse]!.zone;
    if (this.canServe(v.warehouse, v.spec)) {
      for (const d of this.candidates(here, v.spec.speedKmh)) {
        const load = this.loadFor(v.warehouse, d, v.spec.payloadKg);
        if (load.every((u) => u <= 0)) continue;
        this.drive(v, d, load);
        return;
      }
    }
    const next = this.nearestUsefulWarehouse(here, v.spec, v.warehouse);
    if (next !== undefined) this.relocate(v, next);
  }

  private drive(v: Vehicle, d: Destination, load: number[]): void {
    const sim = this.sim;
    const stock = this.stock[v.warehouse]!;
    load.forEach((u, i) => {
      stock[i] = stock[i]! - u;
      d.owed[i] = d.owed[i]! - u;
    });
    const from = this.m.warehouses[v.warehouse]!.zone;
    const out = this.roads.minutes(from, d.zone, v.spec.speedKmh);
    const deliverAfter = v.spec.loadMinutes + out + v.spec.unloadMinutes;
    v.idle = false;
    v.busyMinutes += deliverAfter;
    const trace = this.trace;
    const items = trace && Object.fromEntries(this.m.items.map((k, i) => [k, load[i]!]).filter(([, u]) => (u as number) > 0));
    trace?.({ minutes: sim.now, kind: 'convoy-departed', entity: v.id, zone: this.m.zones[d.zone]!.id, items: items! });
    if (trace) {
      // this load emptied the warehouse of an item
      const w = this.m.warehouses[v.warehouse]!;
      load.forEach((u, i) => {
        if (u > 0 && stock[i]! < 1 && stock[i]! + u >= 1) {
          trace({ minutes: sim.now, kind: 'stock-out', entity: w.id, zone: this.m.zones[w.zone]!.id, item: this.m.items[i]! });
        }
      });
    }
    sim.schedule(deliverAfter, () => {
      load.forEach((u, i) => (d.delivered[i] = d.delivered[i]! + u));
      const before = d.event.relieved;
      this.updateRelieved(d);
      trace?.({
        minutes: sim.now,
        kind: 'convoy-delivered',
        entity: v.id,
        zone: this.m.zones[d.zone]!.id,
        items: items!,
        people: d.event.relieved - before,
      });
      const back = this.nearestUsefulWarehouse(d.zone, v.spec) ?? v.warehouse;
      const minutes = this.roads.minutes(d.zone, this.m.warehouses[back]!.zone, v.spec.speedKmh);
      // The way back to where the truck came from is open unless a new flood closed it meanwhile;
      // then the truck waits at the shelter until roads change.
      if (Number.isFinite(minutes)) this.arriveLater(v, back, minutes);
      else this.strand(v, d.zone);
    });
  }

  /** A truck cut off at a shelter zone: it becomes available again at the first road change. */
  private strand(v: Vehicle, zone: number): void {
    const retry = (): void => {
      const back = this.nearestUsefulWarehouse(zone, v.spec) ?? v.warehouse;
      const minutes = this.roads.minutes(zone, this.m.warehouses[back]!.zone, v.spec.speedKmh);
      if (Number.isFinite(minutes)) this.arriveLater(v, back, minutes);
      else this.stranded.push(retry);
    };
    this.stranded.push(retry);
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
   * Whether a vehicle at warehouse w has work: a destination reachable from it that is still
   * owed an item w holds at least one unit of, light enough to load.
   */
  private canServe(w: number, spec: VehicleSpec): boolean {
    const m = this.m;
    const stock = this.stock[w]!;
    const row = m.warehouses[w]!.zone * m.zones.length;
    const minutes = this.roads.matrix(spec.speedKmh);
    for (const d of this.destinations) {
      if (minutes[row + d.zone] === Infinity || d.event.startMinutes > this.sim.now) continue;
      for (let i = 0; i < d.owed.length; i++) {
        if (d.owed[i]! > EPS && stock[i]! >= 1 && m.unitMassKg[i]! <= spec.payloadKg) return true;
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
