// Validates one GLB with the Khronos glTF validator; prints its report's issues as JSON.
import { readFileSync } from "node:fs";
import validator from "gltf-validator";

const data = new Uint8Array(readFileSync(process.argv[2]));
const report = await validator.validateBytes(data);
process.stdout.write(JSON.stringify({ issues: report.issues, info: report.info }));
