import * as fs from 'node:fs';

// What every part of the benchmark measures with: percentiles, and the CPU time and memory of the stack's processes
// read from Linux's /proc (empty elsewhere).

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), p99: r(percentile(s, 99)) };
}

type Kind = 'bench (client; bare worker)' | 'api' | 'worker' | 'temporal' | 'postgres';

/** Each process's parent (Linux /proc). */
function parents(): Map<string, string> {
  const out = new Map<string, string>();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      out.set(pid, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      /* the process ended meanwhile */
    }
  }
  return out;
}

/**
 * This run's processes by kind: this one, and the APIs, the workers, Temporal and PostgreSQL it started (Linux
 * /proc); the replicas of a kind (the cluster's two APIs and two workers) are each counted under it.
 * Only this process's descendants count: other stacks running on the same machine at the same time are not ours.
 */
function processes(): { pid: string; kind: Kind }[] {
  if (!fs.existsSync('/proc/self/stat')) return [];
  const out: { pid: string; kind: Kind }[] = [];
  const parent = parents();
  const ours = (pid: string) => {
    for (let p: string | undefined = pid, hops = 0; p && p !== '0' && hops < 64; p = parent.get(p), hops++)
      if (p === String(process.pid)) return true;
    return false;
  };
  for (const pid of parent.keys()) {
    if (!ours(pid)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const kind: Kind | null =
        Number(pid) === process.pid
          ? 'bench (client; bare worker)'
          : cmd.includes('apps/api/')
            ? 'api'
            : cmd.includes('apps/worker/')
              ? 'worker'
              : // The CLI's dev server (`temporal server start-dev`) or the Temporal server itself (the cluster).
                /(^|\/)temporal(-server)?\0/.test(cmd)
                ? 'temporal'
                : cmd.startsWith('postgres') || cmd.includes('/bin/postgres')
                  ? 'postgres'
                  : null;
      if (kind) out.push({ pid, kind });
    } catch {
      /* the process ended meanwhile */
    }
  }
  return out;
}

/** CPU seconds used so far by each process of the stack, by kind (Linux /proc; empty elsewhere). */
export function cpuByProcess(): Record<string, number> {
  const out: Record<string, number> = {};
  const tick = 100; // USER_HZ on Linux
  for (const { pid, kind } of processes()) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // PostgreSQL's backends come and go: the postmaster's reaped-children time (cutime, cstime) keeps theirs.
      const reaped = kind === 'postgres' ? Number(f[13]) + Number(f[14]) : 0;
      out[kind] = (out[kind] ?? 0) + (Number(f[11]) + Number(f[12]) + reaped) / tick;
    } catch {
      /* the process ended meanwhile */
    }
  }
  return out;
}

/**
 * How many processes of each kind the CPU figures add up (PostgreSQL: its postmaster, whose reaped backends' time is
 * counted, and the backends alive), so that a result says whose CPU it holds.
 */
export function processCounts(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { kind } of processes()) out[kind] = (out[kind] ?? 0) + 1;
  return out;
}

export function cpuSince(before: Record<string, number>): Record<string, number> {
  const now = cpuByProcess();
  return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - (before[k] ?? 0)]));
}

/** The API process's resident memory in MiB (VmRSS), or NaN where there is no /proc or no API. */
export function apiRssMiB(): number {
  const api = processes().find((p) => p.kind === 'api');
  if (!api) return NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${api.pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Runs `call` while sampling the API's RSS every 100 ms: its wall time, the CPU seconds each process of the stack
 * spent meanwhile, and the API's RSS before, at its peak and after.
 */
export async function withProcessFigures<T>(call: () => Promise<T>) {
  const before = apiRssMiB();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, apiRssMiB())), 100);
  const cpu0 = cpuByProcess();
  const t0 = performance.now();
  try {
    const result = await call();
    const ms = performance.now() - t0;
    const cpuSeconds = Object.fromEntries(
      Object.entries(cpuSince(cpu0)).map(([k, v]) => [k, Math.round(v * 100) / 100]),
    );
    return { result, ms: Math.round(ms), cpuSeconds, apiRssMiB: { before, peak, after: apiRssMiB() } };
  } finally {
    clearInterval(sampler);
  }
}
