import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

// Prisma's native schema engine is downloaded at run time, which cannot happen offline. The same engine
// ships as WebAssembly on npm (@prisma/schema-engine-wasm) and talks to Postgres through the pg driver
// adapter, so schema diffs work anywhere npm does. Dev tooling only: never imported by the apps.

type DiffTarget =
  | { tag: "empty" }
  | { tag: "schemaDatamodel"; files: { path: string; content: string }[] }
  | { tag: "schemaDatasource"; files: { path: string; content: string }[]; configDir: string };

interface WasmSchemaEngine {
  diff(params: {
    from: DiffTarget;
    to: DiffTarget;
    script: boolean;
    exitCode: boolean | null;
    filters: { externalTables: string[]; externalEnums: string[] };
  }): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

let loaded: Promise<{ SchemaEngine: { new: (...args: unknown[]) => Promise<WasmSchemaEngine> } }> | undefined;

// The project's lib setting has no DOM types; Node provides WebAssembly at run time all the same.
function wasmGlobal() {
  type Instantiate = (bytes: Uint8Array, imports: object) => Promise<{ instance: { exports: Record<string, unknown> } }>;
  return (globalThis as unknown as { WebAssembly: { instantiate: Instantiate } }).WebAssembly;
}

async function loadWasm() {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
  // The package targets bundlers (it imports the .wasm as an ES module), so instantiate it by hand.
  const bg = await import(path.join(dir, "schema_engine_bg.js"));
  const { instance } = await wasmGlobal().instantiate(readFileSync(path.join(dir, "schema_engine_bg.wasm")), {
    "./schema_engine_bg.js": bg,
  });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  return bg;
}

export interface SchemaDiffOptions {
  /** Database the engine connects to; for `from: "database"` it is the one compared. */
  databaseUrl: string;
  /** Compare from this database's live schema, or from an empty one. */
  from: "database" | "empty" | { datamodel: string };
  /** Target Prisma schema text. */
  toDatamodel: string;
}

/** Returns the SQL that takes `from` to the target schema ("" when they already agree). */
export async function diffSchema(opts: SchemaDiffOptions): Promise<string> {
  loaded ??= loadWasm();
  const bg = await loaded;
  const file = (content: string) => [{ path: "schema.prisma", content }];
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: opts.databaseUrl }));
  const engine = await bg.SchemaEngine.new({ datamodels: [["schema.prisma", opts.toDatamodel]] }, () => {}, adapter);
  try {
    const from: DiffTarget =
      opts.from === "empty"
        ? { tag: "empty" }
        : opts.from === "database"
          ? { tag: "schemaDatasource", files: file(opts.toDatamodel), configDir: process.cwd() }
          : { tag: "schemaDatamodel", files: file(opts.from.datamodel) };
    const result = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: file(opts.toDatamodel) },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = result.stdout ?? "";
    return /^\s*(-- This is an empty migration\.)?\s*$/.test(sql) ? "" : sql;
  } finally {
    engine.free();
  }
}
