import type { NextConfig } from "next";

// A static export served by FastAPI at `/`. `trailingSlash` makes every page a folder with an
// index.html (room/index.html), which Starlette's StaticFiles(html=True) serves for `/room` and
// `/room/`; dynamic data travels in query strings (/room/?id=…), so no server routes are needed.
const nextConfig: NextConfig = {
  output: "export",
  trailingSlash: true,
  images: { unoptimized: true },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
