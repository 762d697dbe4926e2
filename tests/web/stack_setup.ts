// Starts one real rectify_server (a fresh data directory, the demo
// principals and, when the file exists, the demo accounts) and one real
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

export interface Stack {
  url: string;
  dir: string;
  pids: number[];
}

// Starts one rectify_server (with `serverFlags` besides the usual ones, e.g.
// a --calendar_file of a test's own) and one rectify_web in front of it.
export async function startStack(serverFlags: string[] = []): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), "rectify-web-test-"));
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

// Stops a stack of startStack (gateway first) and removes its directory.
export async function stopStack(stack: Stack): Promise<void> {
  for (const pid of [...stack.pids].reverse()) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  // Give them a moment to stop before their directory goes.
  await new Promise((r) => setTimeout(r, 1000));
  rmSync(stack.dir, { recursive: true, force: true });
}

export default async function setup(): Promise<void> {
  const stack = await startStack();
  process.env.RECTIFY_WEB_URL = stack.url;
  process.env.RECTIFY_WEB_TEST_DIR = stack.dir;
  writeFileSync(join(stack.dir, "pids"), stack.pids.join(" "));
}
