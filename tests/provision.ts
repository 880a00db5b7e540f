/**
 * Provisions what the test suite needs on a fresh Debian machine, before
 * `deno test` runs (the first half of `deno task test`): the Debian packages
 * (Chromium for the site tests, Jupyter with nbconvert and ipykernel for the
 * notebook tests, sqlite3 for the determinism tests, r-cran-bayesm for the
 * real-data tests on Dominick's orange juice) and the Deno Jupyter
 * kernel. It says what it installs. When it cannot install (not root and no
 * password-less sudo, or no apt-get), it exits 1 with one line naming what to
 * install: the suite never skips a test for a missing tool.
 *
 * @module
 */

/** Debian packages the tests need, and what for. */
export const TEST_PACKAGES: Readonly<Record<string, string>> = {
  sqlite3: "determinism tests compare sqlite3 dumps",
  chromium: "site tests drive Debian's Chromium at /usr/bin/chromium",
  "jupyter-nbconvert": "notebook tests execute notebooks with nbconvert",
  "python3-nbclient": "nbconvert's notebook client",
  "python3-ipykernel": "the Jupyter kernel machinery",
  "jupyter-client": "jupyter kernelspec, to find the Deno kernel",
  "r-cran-bayesm":
    "real-data tests read Dominick's orange juice (data set orangeJuice) with Rscript from r-base-core",
};

const decoder = new TextDecoder();

function log(message: string): void {
  console.error(`[provision] ${message}`);
}

async function run(
  cmd: string,
  args: string[],
  options: { inherit?: boolean; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string }> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      env: options.env,
      stdin: "null",
      stdout: options.inherit ? "inherit" : "piped",
      stderr: options.inherit ? "inherit" : "piped",
    }).output();
    return { code: out.code, stdout: options.inherit ? "" : decoder.decode(out.stdout) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { code: 127, stdout: "" };
    throw error;
  }
}

/** Packages of `names` that dpkg does not report as installed. */
async function missingPackages(names: readonly string[]): Promise<string[]> {
  const out = await run("dpkg-query", ["-W", "-f=${Package} ${db:Status-Status}\n", ...names]);
  const installed = new Set(
    out.stdout.split("\n").filter((l) => l.endsWith(" installed")).map((l) => l.split(" ")[0]),
  );
  return names.filter((n) => !installed.has(n));
}

/** The command that runs apt-get as root here (apt-get itself, or password-less sudo), or null. */
async function aptGet(): Promise<string[] | null> {
  if ((await run("apt-get", ["--version"])).code !== 0) return null;
  if (Deno.uid() === 0) return ["apt-get"];
  return (await run("sudo", ["-n", "true"])).code === 0 ? ["sudo", "-n", "apt-get"] : null;
}

function fail(message: string): never {
  console.error(`deno task test cannot provision the tests: ${message}`);
  Deno.exit(1);
}

async function installPackages(): Promise<void> {
  const missing = await missingPackages(Object.keys(TEST_PACKAGES));
  if (missing.length === 0) return;
  const why = missing.map((p) => `${p} (${TEST_PACKAGES[p]})`).join(", ");
  const apt = await aptGet();
  if (apt === null) {
    fail(
      `missing Debian packages ${missing.join(" ")}; install them with ` +
        `"sudo apt-get install -y ${missing.join(" ")}" and run it again`,
    );
  }
  log(`installing Debian packages: ${why}`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const [cmd, ...pre] = apt;
  const update = await run(cmd, [...pre, "update", "-qq"], { inherit: true, env });
  if (update.code !== 0) fail(`"apt-get update" exited ${update.code}`);
  const install = await run(cmd, [...pre, "install", "-y", "-qq", ...missing], {
    inherit: true,
    env,
  });
  if (install.code !== 0) {
    fail(`"apt-get install -y ${missing.join(" ")}" exited ${install.code}`);
  }
  const still = await missingPackages(missing);
  if (still.length) fail(`apt-get finished but ${still.join(" ")} is still not installed`);
}

async function installKernel(): Promise<void> {
  const list = await run("jupyter", ["kernelspec", "list", "--json"]);
  if (list.code !== 0) fail(`"jupyter kernelspec list" exited ${list.code}`);
  const specs = JSON.parse(list.stdout || "{}").kernelspecs ?? {};
  if ("deno" in specs) return;
  log("installing the Deno Jupyter kernel (deno jupyter --install)");
  const out = await run(Deno.execPath(), ["jupyter", "--install", "--force"], { inherit: true });
  if (out.code !== 0) fail(`"deno jupyter --install" exited ${out.code}`);
}

if (import.meta.main) {
  await installPackages();
  await installKernel();
}
