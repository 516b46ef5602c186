#!/usr/bin/env node
// Writes docs/diagnostics.md from the diagnostic catalogue (run `npm run build` first).
import { writeFile } from "node:fs/promises";
import { renderDiagnosticsReference } from "../dist/core/diagnostics/reference.js";

const out = new URL("../docs/diagnostics.md", import.meta.url);
await writeFile(out, renderDiagnosticsReference());
console.log(`wrote ${out.pathname}`);
