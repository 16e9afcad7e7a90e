/*
 * The C floor for the M/M/c benchmark: a hand-written event loop with a binary heap, the same
 * model as `dsim bench mmc` (Poisson arrivals, c servers, exponential service, FIFO queue).
 * Build and run:  gcc -O2 -o /tmp/mmc bench/peers/mmc.c -lm && /tmp/mmc 0.9 0.1 10 2000000 1
 * Prints JSON: {customers, events, wallMs, eventsPerSec, meanWait}.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct { double t; uint64_t seq; int kind; } Ev; /* kind 0 arrival, 1 departure */
static Ev *heap; static size_t n, cap; static uint64_t seqc;
static int less(const Ev *a, const Ev *b) { return a->t < b->t || (a->t == b->t && a->seq < b->seq); }
static void push(double t, int kind) {
  if (n == cap) { cap = cap ? cap * 2 : 1024; heap = realloc(heap, cap * sizeof(Ev)); }
  Ev e = { t, seqc++, kind }; size_t i = n++;
  while (i > 0) { size_t p = (i - 1) / 2; if (!less(&e, &heap[p])) break; heap[i] = heap[p]; i = p; }
  heap[i] = e;
}
static Ev pop(void) {
  Ev top = heap[0], last = heap[--n]; size_t i = 0;
  for (;;) { size_t l = 2 * i + 1, r = l + 1, c = l; if (l >= n) break;
    if (r < n && less(&heap[r], &heap[l])) c = r; if (!less(&heap[c], &last)) break; heap[i] = heap[c]; i = c; }
  if (n > 0) heap[i] = last;
  return top;
}
static uint64_t s[2];
static double uniform(void) { /* xorshift128+ */
  uint64_t x = s[0], y = s[1]; s[0] = y; x ^= x << 23; s[1] = x ^ y ^ (x >> 17) ^ (y >> 26);
  return (double)((s[1] + y) >> 11) / 9007199254740992.0;
}
static double expo(double rate) { return -log(1.0 - uniform()) / rate; }

int main(int argc, char **argv) {
  if (argc < 6) { fprintf(stderr, "usage: mmc LAMBDA MU SERVERS CUSTOMERS SEED\n"); return 2; }
  double lambda = atof(argv[1]), mu = atof(argv[2]); int c = atoi(argv[3]); long customers = atol(argv[4]);
  s[0] = 0x9E3779B97F4A7C15ULL ^ (uint64_t)atol(argv[5]); s[1] = 0xBF58476D1CE4E5B9ULL;
  double *queue = malloc(sizeof(double) * customers); size_t qh = 0, qt = 0;
  int busy = 0; long arrived = 0, served = 0; uint64_t events = 0; double waitSum = 0;
  struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
  push(expo(lambda), 0);
  while (n > 0) {
    Ev e = pop(); events++;
    if (e.kind == 0) {
      arrived++;
      if (busy < c) { busy++; served++; push(e.t + expo(mu), 1); } else queue[qt++] = e.t;
      if (arrived < customers) push(e.t + expo(lambda), 0);
    } else if (qh < qt) { waitSum += e.t - queue[qh++]; served++; push(e.t + expo(mu), 1); }
    else busy--;
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
  printf("{\"customers\":%ld,\"events\":%llu,\"wallMs\":%.3f,\"eventsPerSec\":%.0f,\"meanWait\":%.6f}\n",
         served, (unsigned long long)events, ms, events / (ms / 1e3), waitSum / served);
  return 0;
}
