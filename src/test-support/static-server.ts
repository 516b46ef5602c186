import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".xml": "application/atom+xml",
  ".ics": "text/calendar",
  ".pdf": "application/pdf",
  ".txt": "text/plain; charset=utf-8",
};

/** A built site served under a base path on 127.0.0.1, as a static host would serve it. */
export interface StaticSite {
  /** http://127.0.0.1:PORT + base */
  readonly url: string;
  /** Paths requested, in order, with their status. */
  readonly log: { path: string; status: number }[];
  close(): Promise<void>;
}

export async function serveStatic(dir: string, base = "/"): Promise<StaticSite> {
  const root = resolve(dir);
  const log: { path: string; status: number }[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const answer = (status: number, file?: string) => {
      log.push({ path, status });
      if (file === undefined) {
        res.writeHead(status, { "content-type": "text/plain" }).end(`${status}`);
        return;
      }
      res.writeHead(status, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      createReadStream(file).pipe(res);
    };
    if (!path.startsWith(base)) return answer(404);
    const relative = normalize(path.slice(base.length));
    let file = join(root, relative);
    if (!file.startsWith(root)) return answer(403);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file))
      return answer(404, existsSync(join(root, "404.html")) ? join(root, "404.html") : undefined);
    if (
      !path.endsWith("/") &&
      file.endsWith(`${sep}index.html`) &&
      !relative.endsWith("index.html")
    ) {
      log.push({ path, status: 301 });
      res.writeHead(301, { location: `${path}/` }).end();
      return;
    }
    answer(200, file);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    log,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
