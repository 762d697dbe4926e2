// Starts one real rectify_server (a fresh data directory, the demo
// principals and, when the file exists, the demo accounts; for the run's
// shared stack the demo units directory too) and one real
// rectify_web serving the built app (web/app/dist) in front of it, both on
// 127.0.0.1 with ports the kernel picks. The specs read the gateway's URL
// from RECTIFY_WEB_URL; stack_teardown.ts stops both.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..", "..");
const bin = process.env.RECTIFY_BIN_DIR ?? join(root, "bazel-bin");

async function waitForPort(file: string, what: string, log: string): Promise<number> {
  // rectify_server with demo accounts hashes their passwords first: allow 2 minutes.
  for (let i = 0; i < 1200; i++) {
    if (existsSync(file)) {
      const port = Number(readFileSync(file, "utf8").trim());
      if (port > 0) return port;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start: ${existsSync(log) ? readFileSync(log, "utf8") : ""}`);
}

// The working-day calendar the specs' server counts with, written into the
// stack's directory: config/calendar_cn.txt with "beyond_table: weekends"
// instead of its own rule, so that past the file's last year (before the
// State Council publishes the next) both the server and isWorkingDay of
// field_helpers.ts count Monday to Friday, each from this written file, and
// no spec depends on the date it runs on. RECTIFY_WEB_CALENDAR_LAST_YEAR
// (e.g. 2025) drops the years after it, to run the specs as they will run
// once today is past the table. Returns the file's path.
export function testCalendar(dir: string): string {
  const lastYear = Number(process.env.RECTIFY_WEB_CALENDAR_LAST_YEAR ?? "9999");
  const out: string[] = [];
  let replaced = false;
  let dropping = false;
  for (const line of readFileSync(join(root, "config", "calendar_cn.txt"), "utf8").split("\n")) {
    const directive = line.replace(/#.*/, "").trim();
    const year = /^year:\s*(\d{4})$/.exec(directive);
    if (year) dropping = Number(year[1]) > lastYear;
    if (dropping) continue;
    if (/^beyond_table:/.test(directive)) {
      out.push("beyond_table: weekends");
      replaced = true;
    } else {
      out.push(line);
    }
  }
  if (!replaced) throw new Error("config/calendar_cn.txt has no beyond_table line to replace");
  const path = join(dir, "calendar.txt");
  writeFileSync(path, out.join("\n"));
  return path;
}

export interface Stack {
  url: string;
  dir: string;
  pids: number[];
}

// Imports the demo units directory (config/units.demo.textproto: the
// bureau, its townships and departments, the police and the procuratorate)
// into the server at `serverPort` with the real rectifyctl import-units as
// the demo supervisor, as scripts/serve does, so that the pages of the
// shared stack read names (and the screenshots show them).
function importDemoUnits(serverPort: number, dir: string): Promise<void> {
  const log = join(dir, "import-units.log");
  const ctl = spawn(
    join(bin, "client", "rectifyctl"),
    [`--server=127.0.0.1:${serverPort}`, "--token=demo-supervisor", "import-units", join(root, "config", "units.demo.textproto")],
    { stdio: ["ignore", openSync(log, "w"), openSync(log, "a")] },
  );
  return new Promise((done, fail) => {
    ctl.on("error", fail);
    ctl.on("exit", (code) => (code === 0 ? done() : fail(new Error(`rectifyctl import-units exited ${code}: ${readFileSync(log, "utf8")}`))));
  });
}

// Starts one rectify_server (with `serverFlags` besides the usual ones, e.g.
// a --calendar_file of a test's own instead of testCalendar's) and one
// rectify_web in front of it. `reuseDir`: the directory of a stack stopped
// with `keepDir`, to start again on the same data (e.g. with the server's
// clock moved ahead by --test_clock_offset_hours). `demoUnits`: import the
// demo units directory (the shared stack does; a spec's own stack makes the
// directory it needs).
export async function startStack(serverFlags: string[] = [], reuseDir?: string, demoUnits = false): Promise<Stack> {
  const dir = reuseDir ?? mkdtempSync(join(tmpdir(), "rectify-web-test-"));
  for (const f of ["server.port", "web.port"]) rmSync(join(dir, f), { force: true });
  if (!serverFlags.some((f) => f.startsWith("--calendar_file="))) {
    serverFlags = [`--calendar_file=${testCalendar(dir)}`, ...serverFlags];
  }
  const serverArgs = [
    "--listen=127.0.0.1:0",
    `--data_dir=${join(dir, "data")}`,
    `--principals_file=${join(root, "config", "principals.demo.textproto")}`,
    `--port_file=${join(dir, "server.port")}`,
    ...serverFlags,
  ];
  const accounts = join(root, "config", "accounts.demo.textproto");
  if (existsSync(accounts)) serverArgs.push(`--demo_accounts_file=${accounts}`);
  const server = spawn(join(bin, "server", "rectify_server"), serverArgs, {
    stdio: ["ignore", "ignore", openSync(join(dir, "server.err"), "w")],
  });
  const serverPort = await waitForPort(join(dir, "server.port"), "rectify_server", join(dir, "server.err"));
  if (demoUnits) await importDemoUnits(serverPort, dir);

  const web = spawn(
    join(bin, "web", "gateway", "rectify_web"),
    [
      "--listen=127.0.0.1:0",
      `--server=127.0.0.1:${serverPort}`,
      `--app_dir=${join(root, "web", "app", "dist")}`,
      `--port_file=${join(dir, "web.port")}`,
    ],
    { stdio: ["ignore", "ignore", openSync(join(dir, "web.err"), "w")] },
  );
  const webPort = await waitForPort(join(dir, "web.port"), "rectify_web", join(dir, "web.err"));
  return { url: `http://127.0.0.1:${webPort}`, dir, pids: [server.pid as number, web.pid as number] };
}

// Stops a stack of startStack (gateway first), waits until both processes
// are gone (up to 30 s: the store's lock is released) and removes its
// directory unless `keepDir`.
export async function stopStack(stack: Stack, keepDir = false): Promise<void> {
  for (const pid of [...stack.pids].reverse()) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 300 && stack.pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
  if (!keepDir) rmSync(stack.dir, { recursive: true, force: true });
}

export default async function setup(): Promise<void> {
  const stack = await startStack([], undefined, true);
  process.env.RECTIFY_WEB_URL = stack.url;
  process.env.RECTIFY_WEB_TEST_DIR = stack.dir;
  // The calendar the server counts with, for isWorkingDay of field_helpers.ts.
  process.env.RECTIFY_WEB_CALENDAR = join(stack.dir, "calendar.txt");
  writeFileSync(join(stack.dir, "pids"), stack.pids.join(" "));
}
