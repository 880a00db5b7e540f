/**
 * Test helpers for notebooks: make sure the Deno kernel is this Deno, type-check
 * a notebook's cells (nbconvert does not report type errors) and execute it with
 * nbconvert. Jupyter missing is a failure, never a skip: `deno task test`
 * provisions it first (tests/provision.ts).
 *
 * @module
 */
import assert from "node:assert/strict";
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./_run_task.ts";

/** Runs a command from the root; returns its stdout, or fails with its output when it exits non-zero. */
export async function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(cmd, { args, cwd: ROOT, env, stdout: "piped", stderr: "piped" })
      .output();
  } catch (e) {
    throw new Error(
      `Cannot run ${cmd}: ${(e as Error).message}. Install the Debian packages ` +
        "jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-client",
    );
  }
  const stdout = new TextDecoder().decode(out.stdout);
  const text = new TextDecoder().decode(out.stderr) + stdout;
  assert.equal(out.code, 0, `${cmd} ${args.join(" ")} exited ${out.code}:\n${text.slice(-4000)}`);
  return stdout;
}

/**
 * Installs the Deno kernel unless it already runs this Deno. Notebook tests run in parallel:
 * reinstalling (rewriting kernel.json) while another nbconvert starts a kernel would race.
 */
export async function ensureKernel(): Promise<void> {
  const specs = JSON.parse(await run("jupyter", ["kernelspec", "list", "--json"])).kernelspecs ??
    {};
  const argv0 = specs.deno?.spec?.argv?.[0];
  const same = (a: string, b: string) => {
    try {
      return realpathSync(a) === realpathSync(b);
    } catch {
      return false;
    }
  };
  if (typeof argv0 === "string" && same(argv0, Deno.execPath())) return;
  await run(Deno.execPath(), ["jupyter", "--install", "--force"]);
}

/** Type-checks the code cells of `notebooks/NAME.ipynb` as one module. */
export async function typeCheckNotebook(name: string): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "notebook_check_" });
  try {
    const nb = JSON.parse(await Deno.readTextFile(join(ROOT, "notebooks", `${name}.ipynb`)));
    const code = nb.cells
      .filter((c: { cell_type: string }) => c.cell_type === "code")
      .map((c: { source: string | string[] }) => [c.source].flat().join(""))
      .join("\n")
      .replaceAll('"../', `"${new URL("../", import.meta.url).href}`);
    const file = join(dir, `${name}.ts`);
    await Deno.writeTextFile(file, `/// <reference lib="deno.unstable" />\n${code}\nexport {};\n`);
    await run(Deno.execPath(), ["check", "--config", join(ROOT, "deno.json"), file]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Executes `notebooks/NAME.ipynb` with nbconvert into `dir` (a throwing cell fails it);
 * `env` adds to the kernel's environment. Returns the seconds it took.
 */
export async function executeNotebook(
  name: string,
  dir: string,
  env: Record<string, string> = {},
): Promise<number> {
  await ensureKernel();
  const started = performance.now();
  await run("jupyter", [
    "nbconvert",
    "--to",
    "notebook",
    "--execute",
    "--ExecutePreprocessor.timeout=600",
    // nbclient waits 4 s by default for a cell's outputs after it replies, then drops them
    // with a warning: under a loaded CI run a cell's displayed tables went missing.
    "--ExecutePreprocessor.iopub_timeout=120",
    "--ExecutePreprocessor.raise_on_iopub_timeout=True",
    "--output-dir",
    dir,
    "--output",
    `${name}.executed.ipynb`,
    `notebooks/${name}.ipynb`,
  ], { NO_COLOR: "1", ...env });
  await Deno.stat(join(dir, `${name}.executed.ipynb`));
  return (performance.now() - started) / 1000;
}

/** A code cell of an executed notebook: its source and each output's data by MIME type. */
export interface ExecutedCell {
  source: string;
  outputs: Record<string, string>[];
}

/** The code cells of the executed notebook at `path` (see {@linkcode executeNotebook}). */
export async function executedCells(path: string): Promise<ExecutedCell[]> {
  const nb = JSON.parse(await Deno.readTextFile(path));
  const text = (v: string | string[]) => [v].flat().join("");
  return nb.cells
    .filter((c: { cell_type: string }) => c.cell_type === "code")
    .map((c: { source: string | string[]; outputs?: { data?: Record<string, unknown> }[] }) => ({
      source: text(c.source),
      outputs: (c.outputs ?? []).filter((o) => o.data).map((o) =>
        Object.fromEntries(
          Object.entries(o.data!).map(([k, v]) => [k, typeof v === "string" ? v : text(v as [])]),
        )
      ),
    }));
}

/**
 * Asserts that every table a notebook displays rendered as an HTML table: each cell that
 * calls `Deno.jupyter.display(` on `E.htmlTable(...)` (or a helper named `...Table(`) has
 * that many `text/html` outputs holding a `<table>` with a header and at least one body row
 * (and a `text/plain` fallback). Returns how many tables the cells display (those of the one
 * cell the kernel may lose included).
 */
export function assertTablesRender(cells: readonly ExecutedCell[]): number {
  let checked = 0;
  const dropped: string[] = [];
  cells.forEach((cell, i) => {
    const wanted =
      [...cell.source.matchAll(/Deno\.jupyter\.display\(\s*(?:E\.htmlTable|\w+Table)\(/g)]
        .length;
    if (!wanted) return;
    const tables = cell.outputs.filter((o) => /<table\b/.test(o["text/html"] ?? ""));
    if (tables.length === 0 && cell.outputs.length === 0) {
      // The Deno kernel now and then loses every output of one cell (seen in loaded CI runs,
      // never twice in a run); one such cell is tolerated and named, a second fails.
      dropped.push(`code cell ${i}`);
      assert.ok(dropped.length <= 1, `cells that came back without any output: ${dropped}`);
      console.error(`code cell ${i} came back without any output (the kernel lost it)`);
      checked += wanted; // counted as displayed, not as checked HTML
      return;
    }
    assert.equal(
      tables.length,
      wanted,
      `code cell ${i}: ${wanted} tables displayed, ${tables.length} rendered as HTML ` +
        `(outputs: ${JSON.stringify(cell.outputs.map((o) => Object.keys(o)))})`,
    );
    for (const t of tables) {
      const html = t["text/html"];
      assert.match(html, /<thead><tr>(<th>[^<]*<\/th>)+<\/tr><\/thead>/, `code cell ${i}: header`);
      assert.match(html, /<tbody><tr><td/, `code cell ${i}: an empty table`);
      assert.ok(t["text/plain"]?.trim(), `code cell ${i}: no text/plain fallback`);
    }
    checked += tables.length;
  });
  return checked;
}
