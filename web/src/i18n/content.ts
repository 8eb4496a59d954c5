"use client";

// Content that has a name in each language: the page shows the one for the studio's language.
import { useLocale } from "use-intl";

type Titled = { title: string; title_ko?: string | null };

/** A reference's title in the studio's language (its Korean name where it has one). */
export function useReferenceTitle(): (reference: Titled) => string {
  const locale = useLocale();
  return (reference) => (locale === "ko" && reference.title_ko ? reference.title_ko : reference.title);
}

// ---- Markup edits and the cost estimate (issue 30) ------------------------------------------
// Their words live here, in one block, both languages (Korean in 해요체; a design is a 시안).

export type MarkupWords = {
  markup: string;
  markupDesign: (n: number) => string;
  markupTitle: (n: number) => string;
  markupHint: string;
  canvas: string;
  tools: string;
  pen: string;
  arrow: string;
  text: string;
  undo: string;
  clear: string;
  notePlaceholder: string;
  addNote: string;
  notes: string;
  prompt: string;
  promptPlaceholder: string;
  drawFirst: string;
  start: (cost: string) => string;
  estimate: (usd: string) => string;
  estimateUnknown: string;
  previews: (extra: string) => string;
  previewsFree: string;
  estimateNote: (date: string) => string;
};

const MARKUP_WORDS: Record<"en" | "ko", MarkupWords> = {
  en: {
    markup: "Mark up",
    markupDesign: (n) => `Mark up design ${n}`,
    markupTitle: (n) => `Mark up design ${n}`,
    markupHint:
      "Circle, point and write on the design: the strokes show where to change it, your notes and the prompt say how.",
    canvas: "Markup over the design",
    tools: "Markup tools",
    pen: "Pen",
    arrow: "Arrow",
    text: "Note",
    undo: "Undo",
    clear: "Clear",
    notePlaceholder: "A short note, then press Enter",
    addNote: "Click where the note goes",
    notes: "Notes",
    prompt: "What should change?",
    promptPlaceholder: "e.g. a slimmer armrest in oak",
    drawFirst: "Draw at least one stroke on the design first.",
    start: (cost) => `Edit with markup · ${cost}`,
    estimate: (usd) => `about ${usd}`,
    estimateUnknown: "cost not known for this model",
    previews: (extra) => `Live previews (${extra} more)`,
    previewsFree: "Live previews",
    estimateNote: (date) => `Estimated from OpenAI list prices of ${date}; the record shows what it really cost.`,
  },
  ko: {
    markup: "마크업",
    markupDesign: (n) => `시안 ${n}에 마크업해요`,
    markupTitle: (n) => `시안 ${n} 마크업`,
    markupHint:
      "시안 위에 동그라미를 치고, 화살표를 긋고, 메모를 남겨 보세요. 선은 바꿀 곳을, 메모와 설명은 바꿀 내용을 알려 줘요.",
    canvas: "시안 위 마크업",
    tools: "마크업 도구",
    pen: "펜",
    arrow: "화살표",
    text: "메모",
    undo: "되돌리기",
    clear: "모두 지우기",
    notePlaceholder: "짧은 메모를 쓰고 Enter를 눌러요",
    addNote: "메모를 둘 곳을 눌러요",
    notes: "메모",
    prompt: "무엇을 바꿀까요?",
    promptPlaceholder: "예: 오크로 더 얇은 팔걸이",
    drawFirst: "먼저 시안 위에 선을 하나 이상 그려 주세요.",
    start: (cost) => `마크업으로 수정해요 · ${cost}`,
    estimate: (usd) => `약 ${usd}`,
    estimateUnknown: "이 모델의 비용은 알 수 없어요",
    previews: (extra) => `실시간 미리보기 (${extra} 추가)`,
    previewsFree: "실시간 미리보기",
    estimateNote: (date) => `${date} 기준 OpenAI 정가로 추정했어요. 실제 비용은 기록에 표시돼요.`,
  },
};

/** The markup tool's and the cost estimate's words in the studio's language. */
export function useMarkupWords(): MarkupWords {
  const locale = useLocale();
  return MARKUP_WORDS[locale === "ko" ? "ko" : "en"];
}

/** US dollars as the studio's language writes them, to a tenth of a cent. */
export function useUsd(): (usd: number) => string {
  const locale = useLocale();
  return (usd) =>
    new Intl.NumberFormat(locale === "ko" ? "ko-KR" : "en-US", {
      style: "currency",
      currency: "USD",
      maximumFractionDigits: usd < 0.1 ? 3 : 2,
    }).format(usd);
}

// ---- A design as an object: 3D viewer, drawings, parts (issue 29) ---------------------------
// Their words live here, in one block, both languages (Korean in 해요체; a design is a 시안).

export type ObjectWords = {
  open: (n: number) => string;
  title: (n: number) => string;
  loading: string;
  failed: string;
  proxy: string;
  hint: string;
  size: (w: number, d: number, h: number) => string;
  weight: (kg: string) => string;
  tipping: (deg: number) => string;
  falls: string;
  downloadGlb: string;
  downloadDxf: string;
  downloadSvg: string;
  views: string;
  makeViews: string;
  viewsRunning: string;
  viewsFailed: string;
  viewsRefused: string;
  angle: (angle: string) => string;
  consistency: (score: string) => string;
};

const OBJECT_WORDS: Record<"en" | "ko", ObjectWords> = {
  en: {
    open: (n) => `3D model of design ${n}`,
    title: (n) => `Design ${n} in 3D`,
    loading: "Loading the model…",
    failed: "The model could not be loaded.",
    proxy: "Proxy: fitted to the record's type and sizes, not drawn from this design's parts.",
    hint: "Drag to turn it, scroll to zoom.",
    size: (w, d, h) => `${w} × ${d} × ${h} cm`,
    weight: (kg) => `about ${kg} kg`,
    tipping: (deg) => `tips over at ${deg}°`,
    falls: "falls over: its centre of mass is outside its footprint",
    downloadGlb: "GLB",
    downloadDxf: "DXF drawings",
    downloadSvg: "SVG drawings",
    views: "Views sheet",
    makeViews: "Make the views: front, side, top, three-quarter",
    viewsRunning: "Making the views…",
    viewsFailed: "The views could not be made; the credit is back.",
    viewsRefused: "The views could not be started.",
    angle: (angle) =>
      ({ front: "Front", side: "Side", top: "Top", three_quarter: "Three-quarter" })[angle] ?? angle,
    consistency: (score) => `consistency ${score}`,
  },
  ko: {
    open: (n) => `시안 ${n} 3D 모델`,
    title: (n) => `시안 ${n} 3D 보기`,
    loading: "모델을 불러오고 있어요…",
    failed: "모델을 불러오지 못했어요.",
    proxy: "프록시: 기록의 유형과 치수에 맞춘 모형이에요. 이 시안의 부재로 만든 모델이 아니에요.",
    hint: "드래그해서 돌리고, 스크롤해서 확대해요.",
    size: (w, d, h) => `${w} × ${d} × ${h} cm`,
    weight: (kg) => `약 ${kg} kg`,
    tipping: (deg) => `${deg}°에서 넘어져요`,
    falls: "넘어져요: 무게 중심이 바닥 면적 밖에 있어요",
    downloadGlb: "GLB",
    downloadDxf: "DXF 도면",
    downloadSvg: "SVG 도면",
    views: "뷰 시트",
    makeViews: "뷰 만들기: 정면·측면·평면·3/4",
    viewsRunning: "뷰를 만들고 있어요…",
    viewsFailed: "뷰를 만들지 못했어요. 크레딧은 돌려드렸어요.",
    viewsRefused: "뷰 만들기를 시작하지 못했어요.",
    angle: (angle) => ({ front: "정면", side: "측면", top: "평면", three_quarter: "3/4 뷰" })[angle] ?? angle,
    consistency: (score) => `일관성 ${score}`,
  },
};

/** The 3D viewer's and the object facts' words in the studio's language. */
export function useObjectWords(): ObjectWords {
  const locale = useLocale();
  return OBJECT_WORDS[locale === "ko" ? "ko" : "en"];
}
