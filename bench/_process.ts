/**
 * A child process measured as a user would see it: wall-clock seconds from
 * spawn to exit and its peak resident memory (the most RAM it held at once).
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

/** What a measured child process did. */
export interface ProcessMeasure {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall-clock seconds from spawn to exit. */
  seconds: number;
  /** Peak resident set size in bytes (VmHWM), or null when neither method is available. */
  peakRssBytes: number | null;
  /** How the peak was measured. */
  peakMethod: PeakMethod;
}

/**
 * `time`: GNU time's maximum resident set size (`/usr/bin/time -f %M`, from the kernel's
 * rusage of the exited child: exact). `proc`: the child's `VmHWM` (its high-water mark) read
 * from `/proc/PID/status` every 20 ms while it runs (exact up to growth in its last 20 ms).
 */
export type PeakMethod = "time" | "proc" | "none";

const GNU_TIME = "/usr/bin/time";

/**
 * The best method this machine offers: GNU time when installed, else /proc, else none.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { peakMethodAvailable } from "./_process.ts";
 *
 * assert.ok(["time", "proc", "none"].includes(peakMethodAvailable()));
 * ```
 */
export function peakMethodAvailable(): PeakMethod {
  if (existsSync(GNU_TIME)) return "time";
  return existsSync("/proc/self/status") ? "proc" : "none";
}

/**
 * Runs `command` with `args` to its end, measuring its wall time and peak memory.
 *
 * @example A child that holds 200 MB at once
 * ```ts
 * import assert from "node:assert/strict";
 * import { measureProcess } from "./_process.ts";
 *
 * const code = "const a = new Uint8Array(200e6); a.fill(1); console.log(a[7]);";
 * const m = await measureProcess(Deno.execPath(), ["eval", code]);
 * assert.equal(m.code, 0);
 * assert.equal(m.stdout.trim(), "1");
 * if (m.peakRssBytes !== null) assert.ok(m.peakRssBytes > 200e6);
 * ```
 */
export async function measureProcess(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; method?: PeakMethod } = {},
): Promise<ProcessMeasure> {
  const method = options.method ?? peakMethodAvailable();
  const report = method === "time" ? join(await Deno.makeTempDir(), "time.txt") : null;
  const [cmd, argv] = report
    ? [GNU_TIME, ["-f", "%M", "-o", report, command, ...args]]
    : [command, [...args]];
  const started = performance.now();
  const child = new Deno.Command(cmd, {
    args: argv,
    cwd: options.cwd,
    env: options.env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let polled = 0;
  const poll = method === "proc"
    ? setInterval(() => (polled = Math.max(polled, vmHwmBytes(child.pid) ?? 0)), 20)
    : null;
  const out = await child.output();
  const seconds = (performance.now() - started) / 1000;
  if (poll !== null) clearInterval(poll);
  let peak: number | null = method === "proc" ? polled || null : null;
  if (report) {
    // GNU time writes "Command exited with non-zero status N" before the figure when it fails.
    const kb = Number((await Deno.readTextFile(report)).trim().split("\n").at(-1));
    peak = Number.isFinite(kb) ? kb * 1024 : null;
    await Deno.remove(join(report, ".."), { recursive: true });
  }
  const text = new TextDecoder();
  return {
    code: out.code,
    stdout: text.decode(out.stdout),
    stderr: text.decode(out.stderr),
    seconds,
    peakRssBytes: peak,
    peakMethod: method,
  };
}

/** The high-water mark of a running process's resident memory, in bytes, or null. */
function vmHwmBytes(pid: number): number | null {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null; // it has exited
  }
}
