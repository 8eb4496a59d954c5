// Adds the other platforms' optional native packages to package-lock.json.
//
// Why: the npm registry reachable from our machines serves only the Linux builds of packages
// such as @next/swc-* and @tailwindcss/oxide-*; `npm install` then writes a lock without the
// macOS/Windows/... entries, and `npm ci` rejects that lock ("Missing: … from lock file").
// Each added entry carries the os/cpu npm would have recorded, so `npm ci` skips it on Linux
// and installs it from the registry on the platform that needs it. Run after `npm install`.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const lockPath = join(dirname(fileURLToPath(import.meta.url)), "..", "package-lock.json");
const lock = JSON.parse(readFileSync(lockPath, "utf-8"));
const packages = lock.packages;

function platformOf(name) {
  const suffix = name.split("/").pop();
  const os = ["android", "darwin", "freebsd", "linux", "win32", "openbsd", "sunos", "aix"].find((o) =>
    suffix.includes(`-${o}-`),
  );
  const cpu = ["arm64", "x64", "arm", "ia32", "wasm32", "riscv64", "s390x", "ppc64", "loong64"].find(
    (c) => suffix.includes(`-${c}`),
  );
  const entry = {};
  if (cpu) entry.cpu = [cpu];
  if (os) entry.os = [os];
  if (suffix.includes("musl")) entry.libc = ["musl"];
  else if (os === "linux" && suffix.includes("gnu")) entry.libc = ["glibc"];
  return entry;
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (packages[key] || !/^\d/.test(version)) continue;
    const hasPlatform = /-(android|darwin|freebsd|linux|win32|openbsd|sunos|aix|wasm32)-?/.test(dep);
    if (!hasPlatform) continue;
    packages[key] = {
      version,
      ...platformOf(dep),
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
    };
    added += 1;
    console.log(`added ${dep}@${version} (for ${path || "the root"})`);
  }
}
// npm keeps packages sorted by path.
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + "\n");
console.log(`${added} entries added`);
