// Generates src/gen/ from the API in ../../proto with the buf that
// scripts/install-deps installs (RECTIFY_TOOLS_DIR, default
// ~/.cache/rectify/tools) and protoc-gen-es from node_modules. The output
// is built, not committed.
import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const app = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tools = process.env.RECTIFY_TOOLS_DIR ?? join(homedir(), ".cache", "rectify", "tools");
const buf = join(tools, "node_modules", ".bin", "buf");
if (!existsSync(buf)) {
  console.error(`generate: ${buf} is missing; run scripts/install-deps`);
  process.exit(1);
}
rmSync(join(app, "src", "gen"), { recursive: true, force: true });
execFileSync(buf, ["generate", join(app, "..", "..", "proto"), "--template", join(app, "buf.gen.yaml")], {
  cwd: app,
  stdio: "inherit",
});
