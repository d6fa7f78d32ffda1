import type { TestProject } from "vitest/node";
import { startEmulator } from "../emulator/node";

/** One loopback Fastly emulator for the whole run; tests isolate themselves with `newTenant()`. */
export default async function setup(project: TestProject) {
  const emulator = await startEmulator({ port: 0 });
  project.provide("emulatorUrl", emulator.url);
  return () => emulator.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    emulatorUrl: string;
  }
}
