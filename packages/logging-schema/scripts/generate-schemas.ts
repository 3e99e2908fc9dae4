// Writes schemas/*.schema.json from the zod schemas: `pnpm --filter @cia/logging-schema run schemas`.
// src/json-schemas.test.ts fails when the committed files differ from what this would write.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { jsonSchemaFiles } from "../src/json-schemas.js";

const dir = resolve(dirname(fileURLToPath(import.meta.url)), "../schemas");
mkdirSync(dir, { recursive: true });
const files = jsonSchemaFiles();
for (const stale of readdirSync(dir))
  if (stale.endsWith(".schema.json") && !(stale in files)) rmSync(resolve(dir, stale));
for (const [name, text] of Object.entries(files)) writeFileSync(resolve(dir, name), text);
console.log(`wrote ${Object.keys(files).length} schemas to ${dir}`);
