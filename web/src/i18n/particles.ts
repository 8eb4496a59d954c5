// Korean particles that depend on the word before them: "시안 2를" but "시안 3을". The Korean
// catalogue writes both forms after an interpolated word, in the usual notation ("{n}을(를)",
// "{name}이(가)", "{room}(으)로"), and the formatted sentence keeps the one that fits that word.
import { josa, numberToHangul } from "es-hangul";

type JosaOption = Parameters<typeof josa.pick>[1];

/** Each notation the catalogue may write, and es-hangul's name for the pair. */
export const PARTICLES: Record<string, JosaOption> = {
  "을(를)": "을/를",
  "이(가)": "이/가",
  "은(는)": "은/는",
  "과(와)": "와/과",
  "(으)로": "으로/로",
  "(이)라고": "이라/라",
};

const NOTATION = new RegExp(
  Object.keys(PARTICLES)
    .map((notation) => notation.replace(/[()]/g, "\\$&"))
    .join("|"),
  "g",
);
// Closing quotes and brackets between a word and its particle ("“벤치”를") do not count.
const CLOSING = /[\s”’"')\]」』]+$/;
const TRAILING_NUMBER = /(\d+)$/;

/** How the end of `text` is read aloud: a number by its Korean reading (2 → 이, 10 → 십). */
function spokenEnd(text: string): string {
  const word = text.replace(CLOSING, "");
  const number = TRAILING_NUMBER.exec(word);
  if (number) return numberToHangul(Number(number[1])) || "영";
  return word.slice(-1);
}

/** A formatted Korean sentence with each particle notation replaced by the form that fits. */
export function attachParticles(sentence: string): string {
  if (!sentence.includes("(")) return sentence;
  return sentence.replace(NOTATION, (notation: string, offset: number) => {
    const before = sentence.slice(0, offset);
    const particle = josa.pick(spokenEnd(before), PARTICLES[notation]);
    // "(이)라고" is "이라" or "라" with the ending the pair leaves out.
    return notation === "(이)라고" ? `${particle}고` : particle;
  });
}
