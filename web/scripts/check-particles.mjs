// Korean particles after interpolated words, checked with the studio's own code (src/i18n/
// particles.ts, through es-hangul): known cases come out right, and every Korean message that
// writes a particle pair ("{n}을(를)") comes out with no pair left, whatever word fills it.
// Run by tests/web/test_messages.py; exits non-zero with the failures listed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(web, "package.json"));
const ts = require("typescript");

// particles.ts as plain JS, its one import pointed at the installed es-hangul.
const source = readFileSync(join(web, "src", "i18n", "particles.ts"), "utf-8");
const { outputText } = ts.transpileModule(source, {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
});
const esHangul = pathToFileURL(require.resolve("es-hangul")).href;
const scratch = mkdtempSync(join(tmpdir(), "lm-particles-"));
const compiled = join(scratch, "particles.mjs");
writeFileSync(compiled, outputText.replace(/from\s+["']es-hangul["']/, `from "${esHangul}"`));

const failures = [];
try {
  const { attachParticles, PARTICLES } = await import(pathToFileURL(compiled).href);

  const CASES = [
    ["이전 기록의 시안 2을(를) 다듬은 결과", "이전 기록의 시안 2를 다듬은 결과"],
    ["이전 기록의 시안 3을(를) 다듬은 결과", "이전 기록의 시안 3을 다듬은 결과"],
    ["레퍼런스 1을(를) 반영할 정도", "레퍼런스 1을 반영할 정도"],
    ["레퍼런스 4을(를) 반영할 정도", "레퍼런스 4를 반영할 정도"],
    ["레퍼런스 10을(를)", "레퍼런스 10을"],
    ["생성 1회에 1크레딧이(가) 들어요", "생성 1회에 1크레딧이 들어요"],
    ["벤치을(를) 즐겨찾기에 추가", "벤치를 즐겨찾기에 추가"],
    ["할덴 다이닝 체어의 시안 2을(를) 즐겨찾기에 추가", "할덴 다이닝 체어의 시안 2를 즐겨찾기에 추가"],
    ["“윤슬 벤치”과(와) 비슷한 것", "“윤슬 벤치”와 비슷한 것"],
    ["오크 스툴과(와) 비슷한 것", "오크 스툴과 비슷한 것"],
    ["의자은(는)", "의자는"],
    ["책상은(는)", "책상은"],
    ["서울(으)로", "서울로"],
    ["부산(으)로", "부산으로"],
    ["확인하려면 삭제(이)라고 입력해 주세요", "확인하려면 삭제라고 입력해 주세요"],
    ["확인하려면 탈퇴(이)라고 입력해 주세요", "확인하려면 탈퇴라고 입력해 주세요"],
    ["확인하려면 확인(이)라고 입력해 주세요", "확인하려면 확인이라고 입력해 주세요"],
    ["괄호 (예시)는 그대로", "괄호 (예시)는 그대로"],
  ];
  for (const [written, expected] of CASES) {
    const got = attachParticles(written);
    if (got !== expected) failures.push(`${written} → ${got} (expected ${expected})`);
  }

  // Every Korean message with a pair after an argument, filled with words that end in a vowel,
  // a final consonant, ㄹ, a digit and Latin letters: no pair notation may be left.
  const catalogue = JSON.parse(readFileSync(join(web, "src", "i18n", "messages", "ko.json"), "utf-8"));
  const messages = [];
  const walk = (tree, prefix) => {
    for (const [key, value] of Object.entries(tree)) {
      if (typeof value === "string") messages.push([prefix + key, value]);
      else walk(value, `${prefix}${key}.`);
    }
  };
  walk(catalogue, "");
  const notations = Object.keys(PARTICLES);
  const SAMPLES = ["벤치", "책상", "서울", "2", "3", "10", "Talo"];
  let checked = 0;
  for (const [key, message] of messages) {
    if (!notations.some((n) => message.includes(n))) continue;
    for (const sample of SAMPLES) {
      const filled = attachParticles(message.replace(/\{(\w+)\}/g, sample));
      checked += 1;
      const left = notations.filter((n) => filled.includes(n));
      if (left.length) failures.push(`${key} with ${sample}: ${filled}`);
    }
  }
  if (checked === 0) failures.push("no Korean message writes a particle pair: the sweep found nothing");
  if (failures.length) {
    console.error(failures.join("\n"));
    process.exitCode = 1;
  } else {
    console.log(`${CASES.length} cases and ${checked} filled messages: particles fit`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
