// The worker `trackdown site build` starts beside Astro's bundling: it prepares the site's
// data (src/node/site-data.ts) posting when the caches are warm and then the rendered task bodies.
import { parentPort, workerData } from "node:worker_threads";
import { type PrepareOptions, prepareSite } from "../../node/site-data.js";

await prepareSite(workerData as PrepareOptions, (message) => parentPort?.postMessage(message));
