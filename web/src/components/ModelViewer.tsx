"use client";

// A design as an object: its GLB in a rotatable three.js viewer (drag to turn, scroll to zoom),
// its overall sizes, weight and stability, a proxy said to be one, and the model and drawings
// to download. The GLB comes through the API client (it needs the bearer token), then
// three.js parses the bytes: nothing is fetched from anywhere else.
import { useEffect, useRef, useState } from "react";
import { Box } from "lucide-react";
import * as THREE from "three";
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";
import { useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import { keys } from "@/api/queries";
import type { ReadyDesign, RecordOut } from "@/api/records";
import { Dialog } from "@/components/ui";
import { useObjectWords } from "@/i18n/content";

async function fetchParts(recordId: string, position: number) {
  const { data } = await api.GET("/api/v1/records/{record_id}/designs/{position}/parts", {
    params: { path: { record_id: recordId, position } },
  });
  return data;
}

type DesignObject = NonNullable<Awaited<ReturnType<typeof fetchParts>>>;
type Loaded = { glb: ArrayBuffer; proxy: boolean; facts: DesignObject };

export function ModelViewerButton({ record, design }: { record: RecordOut; design: ReadyDesign }) {
  const words = useObjectWords();
  const [open, setOpen] = useState(false);
  const n = design.position + 1;
  return (
    <>
      <button
        type="button"
        className="rounded-full bg-white/90 p-1.5 text-ink shadow-sm hover:bg-white"
        onClick={() => setOpen(true)}
        aria-label={words.open(n)}
        title={words.open(n)}
      >
        <Box className="h-3.5 w-3.5" aria-hidden />
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={words.title(n)}>
        {open && <ModelPanel recordId={record.id} position={design.position} />}
      </Dialog>
    </>
  );
}

async function loadObject(recordId: string, position: number): Promise<Loaded> {
  const path = { record_id: recordId, position };
  const [model, facts] = await Promise.all([
    api.GET("/api/v1/records/{record_id}/designs/{position}/model.glb", {
      params: { path },
      parseAs: "arrayBuffer",
    }),
    fetchParts(recordId, position),
  ]);
  if (!model.data || !facts) throw new Error("model");
  const glb = model.data as unknown as ArrayBuffer;
  return { glb, proxy: model.response.headers.get("X-Layerminder-Proxy") === "true", facts };
}

/** Whole centimetres rounded half to even, as the server rounds the record's sizes (44.5 is
 * 44), so the viewer and the record never differ by one. */
function wholeCm(value: number): number {
  const rounded = Math.round(value);
  return Math.abs(value % 1) === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}

async function download(recordId: string, position: number, kind: "glb" | "dxf" | "svg") {
  const path = { record_id: recordId, position };
  const { data } =
    kind === "glb"
      ? await api.GET("/api/v1/records/{record_id}/designs/{position}/model.glb", {
          params: { path },
          parseAs: "blob",
        })
      : await api.GET("/api/v1/records/{record_id}/designs/{position}/drawings", {
          params: { path, query: { format: kind } },
          parseAs: "blob",
        });
  if (!data) return;
  const url = URL.createObjectURL(data as unknown as Blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `design-${position + 1}.${kind}`;
  link.click();
  URL.revokeObjectURL(url);
}

function ModelPanel({ recordId, position }: { recordId: string; position: number }) {
  const words = useObjectWords();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    loadObject(recordId, position).then(
      (found) => live && setLoaded(found),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [recordId, position]);
  if (failed) return <p className="text-sm text-red-700">{words.failed}</p>;
  if (!loaded) return <p className="text-sm text-muted">{words.loading}</p>;
  const { facts } = loaded;
  const stability = facts.checks.find((check) => check.name === "stability");
  return (
    <div className="space-y-3" data-testid="model-panel">
      {loaded.proxy && (
        <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="model-proxy">
          {words.proxy}
        </p>
      )}
      <Scene glb={loaded.glb} />
      <p className="text-xs text-muted">{words.hint}</p>
      <dl className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <dd data-testid="model-size">
          {words.size(wholeCm(facts.width_cm), wholeCm(facts.depth_cm), wholeCm(facts.height_cm))}
        </dd>
        <dd>{words.weight(facts.weight_kg.toFixed(1))}</dd>
        {stability && (
          <dd className={stability.status === "ok" ? "" : "text-amber-800"} data-testid="model-stability">
            {facts.stability.inside ? words.tipping(Math.round(facts.stability.tipping_angle_deg)) : words.falls}
          </dd>
        )}
      </dl>
      <ViewsSheet recordId={recordId} position={position} />
      <div className="flex flex-wrap gap-2 text-sm">
        {(["glb", "dxf", "svg"] as const).map((kind) => (
          <button
            key={kind}
            type="button"
            className="rounded-full border border-line px-3 py-1 hover:bg-stone-100"
            onClick={() => void download(recordId, position, kind)}
          >
            {kind === "glb" ? words.downloadGlb : kind === "dxf" ? words.downloadDxf : words.downloadSvg}
          </button>
        ))}
      </div>
    </div>
  );
}

function Scene({ glb }: { glb: ArrayBuffer }) {
  const holder = useRef<HTMLDivElement>(null);
  const [meshes, setMeshes] = useState<number | null>(null);
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const width = element.clientWidth || 480;
    const height = Math.round(width * 0.75);
    // preserveDrawingBuffer: the page (and its tests) can read back what was drawn.
    const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    renderer.setSize(width, height);
    renderer.setClearColor(0xeeece8);
    element.appendChild(renderer.domElement);
    const scene = new THREE.Scene();
    scene.add(new THREE.HemisphereLight(0xffffff, 0x8a8580, 1.6));
    const key = new THREE.DirectionalLight(0xffffff, 2.2);
    key.position.set(-1.5, 2.5, 2);
    scene.add(key);
    const camera = new THREE.PerspectiveCamera(35, width / height, 0.01, 100);
    const controls = new OrbitControls(camera, renderer.domElement);
    controls.enableDamping = true;
    let frame = 0;
    const draw = () => {
      controls.update();
      renderer.render(scene, camera);
      frame = requestAnimationFrame(draw);
    };
    new GLTFLoader().parse(
      glb,
      "",
      (gltf) => {
        scene.add(gltf.scene);
        // Frame the piece: the camera a little above and to the front left, as the designs are.
        const bounds = new THREE.Box3().setFromObject(gltf.scene);
        const centre = bounds.getCenter(new THREE.Vector3());
        const radius = bounds.getSize(new THREE.Vector3()).length() / 2;
        camera.position.set(centre.x - radius * 1.6, centre.y + radius * 1.1, centre.z + radius * 2.4);
        controls.target.copy(centre);
        let count = 0;
        gltf.scene.traverse((node) => {
          if ((node as THREE.Mesh).isMesh) count += 1;
        });
        setMeshes(count);
        draw();
      },
      () => setMeshes(-1),
    );
    return () => {
      cancelAnimationFrame(frame);
      controls.dispose();
      renderer.dispose();
      element.removeChild(renderer.domElement);
    };
  }, [glb]);
  return (
    <div
      ref={holder}
      className="w-full overflow-hidden rounded-xl border border-line"
      data-testid="model-viewer"
      data-meshes={meshes ?? undefined}
      data-state={meshes === null ? "loading" : meshes < 0 ? "error" : "ready"}
    />
  );
}

async function fetchViews(recordId: string, position: number) {
  const { data } = await api.GET("/api/v1/records/{record_id}/designs/{position}/views", {
    params: { path: { record_id: recordId, position } },
  });
  return data ?? null;
}

type Views = NonNullable<Awaited<ReturnType<typeof fetchViews>>>;

/** The design's views sheet: made on request (a job, charged like a generation), then the four
 * views with each one's consistency score against the design. */
function ViewsSheet({ recordId, position }: { recordId: string; position: number }) {
  const words = useObjectWords();
  const queryClient = useQueryClient();
  const [sheet, setSheet] = useState<Views | null>(null);
  const [failed, setFailed] = useState(false);
  const running = sheet !== null && !sheet.done;
  useEffect(() => {
    let live = true;
    void fetchViews(recordId, position).then((found) => live && setSheet(found));
    return () => {
      live = false;
    };
  }, [recordId, position]);
  useEffect(() => {
    if (!running) return;
    // A sheet takes seconds: look again twice a second until it has ended.
    const timer = window.setInterval(() => {
      void fetchViews(recordId, position).then((found) => found && setSheet(found));
    }, 500);
    return () => window.clearInterval(timer);
  }, [running, recordId, position]);
  const start = async () => {
    setFailed(false);
    const { data } = await api.POST("/api/v1/records/{record_id}/designs/{position}/views", {
      params: { path: { record_id: recordId, position } },
    });
    if (data) setSheet(data);
    else setFailed(true);
    // The sheet was charged (and a failed one is refunded): the header's balance changed.
    void queryClient.invalidateQueries({ queryKey: keys.me });
  };
  return (
    <section className="space-y-2" aria-label={words.views} data-testid="views-sheet" data-status={sheet?.status ?? "none"}>
      <div className="flex items-center gap-3">
        <button
          type="button"
          className="rounded-full bg-ink px-3 py-1 text-sm text-white disabled:opacity-50"
          disabled={running}
          onClick={() => void start()}
        >
          {running ? words.viewsRunning : words.makeViews}
        </button>
        {sheet?.status === "error" && <span className="text-sm text-red-700">{words.viewsFailed}</span>}
        {failed && <span className="text-sm text-red-700">{words.viewsRefused}</span>}
      </div>
      {sheet?.status === "ready" && (
        <ul className="grid grid-cols-4 gap-2">
          {sheet.views.map((view) => (
            <li key={view.angle} className="space-y-1 text-xs" data-testid="view">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={view.url} alt={words.angle(view.angle)} className="aspect-square w-full rounded-lg border border-line object-cover" />
              <p>
                {words.angle(view.angle)} · <span data-testid="view-score">{words.consistency(view.score.toFixed(2))}</span>
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
