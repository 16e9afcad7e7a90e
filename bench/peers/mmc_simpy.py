"""The SimPy peer of `dsim bench mmc`: the same M/M/c model (Poisson arrivals, c servers,
exponential service, FIFO) in SimPy 2 (Debian's python3-simpy, 2.3.1).

Run:  /usr/bin/python3 bench/peers/mmc_simpy.py 0.9 0.1 10 200000 1
Prints JSON: {customers, events, wallMs, eventsPerSec, meanWait}; "events" counts the SimPy
events (hold + request/release) as the kernel's executed events are not exposed by SimPy 2.
"""
import json
import random
import sys
import time

from SimPy.Simulation import Process, Resource, activate, hold, initialize, now, release, request, simulate


class Stats:
    waits = 0.0
    served = 0


def main():
    lam, mu, c, customers, seed = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    rng = random.Random(seed)
    initialize()
    servers = Resource(capacity=c, name="servers")

    class Customer(Process):
        def run(self):
            arrive = now()
            yield request, self, servers
            Stats.waits += now() - arrive
            Stats.served += 1
            yield hold, self, rng.expovariate(mu)
            yield release, self, servers

    class Source(Process):
        def run(self):
            for _ in range(customers):
                cust = Customer()
                activate(cust, cust.run())
                yield hold, self, rng.expovariate(lam)

    src = Source()
    activate(src, src.run())
    started = time.perf_counter()
    simulate(until=1e18)
    ms = (time.perf_counter() - started) * 1000
    events = customers * 4  # arrival hold + request + service hold + release per customer
    print(json.dumps({"customers": Stats.served, "events": events, "wallMs": round(ms, 3),
                      "eventsPerSec": round(events / (ms / 1000)), "meanWait": Stats.waits / Stats.served}))


if __name__ == "__main__":
    main()
