#!/usr/bin/env node
// Runs the TypeScript source through tsx, like the other Node apps, so `npx bulwark` needs no build step.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
