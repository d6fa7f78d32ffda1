import { inject, expect, it } from "vitest";
it("node sees url", () => { expect(inject("emulatorUrl")).toMatch(/^http/); });
