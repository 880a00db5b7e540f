/**
 * The scikit-learn baseline: HistGradientBoostingRegressor through the Debian
 * Python on the very matrix the gbdt trained on (written to a temporary file).
 * When sklearn cannot be imported the baseline is reported as skipped, never
 * estimated.
 *
 * @module
 */

const PYTHON = "/usr/bin/python3";
const SCRIPT = new URL("./sklearn_hgbr.py", import.meta.url).pathname;

/**
 * libgomp's default spin-waiting makes sklearn pathologically slow when another
 * process shares this 2-core machine (20,000 rows: 0.3 s alone, 17 s next to a
 * busy process); passive waiting keeps its timing fair and costs nothing when idle.
 */
const ENV = { OMP_WAIT_POLICY: "passive" };

/** Whether the baseline can run: sklearn's version, or why not. */
export async function sklearnStatus(): Promise<{ version: string } | { skipped: string }> {
  try {
    const out = await new Deno.Command(PYTHON, {
      args: ["-c", "import sklearn; print(sklearn.__version__)"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      return { skipped: `${PYTHON} cannot import sklearn (apt-get install -y python3-sklearn)` };
    }
    return { version: new TextDecoder().decode(out.stdout).trim() };
  } catch (error) {
    return { skipped: `${PYTHON} did not run: ${(error as Error).message}` };
  }
}

/** Writes features row-major then the target as little-endian float64 (the script's input). */
export async function writeMatrix(
  path: string,
  features: ReadonlyArray<Float64Array>,
  target: Float64Array,
): Promise<void> {
  const n = target.length;
  const F = features.length;
  const all = new Float64Array(n * F + n);
  for (let f = 0; f < F; f++) {
    const col = features[f];
    for (let r = 0, at = f; r < n; r++, at += F) all[at] = col[r];
  }
  all.set(target, n * F);
  await Deno.writeFile(path, new Uint8Array(all.buffer));
}

/** One sklearn fit of the matrix at `path`: training seconds and prediction rows per second. */
export async function runSklearn(
  path: string,
  shape: {
    rows: number;
    features: number;
    monotone: readonly number[];
    trees: number;
    maxDepth: number;
    maxLeaves: number;
    minLeafSize: number;
  },
): Promise<{ train_s: number; predict_rows_per_s: number; trees: number; version: string }> {
  const out = await new Deno.Command(PYTHON, {
    args: [
      SCRIPT,
      "--data",
      path,
      "--rows",
      String(shape.rows),
      "--features",
      String(shape.features),
      `--monotone=${shape.monotone.join(",")}`,
      "--trees",
      String(shape.trees),
      "--depth",
      String(shape.maxDepth),
      "--leaves",
      String(shape.maxLeaves),
      "--min-leaf",
      String(shape.minLeafSize),
    ],
    env: ENV,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!out.success) {
    throw new Error(`sklearn baseline failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  return JSON.parse(text);
}
