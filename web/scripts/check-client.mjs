// Fails when src/api/schema.d.ts is not what openapi-typescript makes of the committed
// openapi.json (someone edited one without regenerating the other: run `make web-client`).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(web, "node_modules", "openapi-typescript", "bin", "cli.js");
const scratch = mkdtempSync(join(tmpdir(), "lm-client-"));
const fresh = join(scratch, "schema.d.ts");
try {
  const run = spawnSync(process.execPath, [cli, join(web, "openapi.json"), "-o", fresh], {
    encoding: "utf-8",
  });
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    process.exit(2);
  }
  const committed = readFileSync(join(web, "src", "api", "schema.d.ts"), "utf-8");
  if (readFileSync(fresh, "utf-8") !== committed) {
    console.error("web/src/api/schema.d.ts is stale: run `make web-client` and commit it");
    process.exit(1);
  }
  console.log("web/src/api/schema.d.ts matches web/openapi.json");
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
