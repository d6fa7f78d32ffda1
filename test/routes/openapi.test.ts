import { expect, it } from "vitest";
import served from "../../public/openapi.json";
import { buildOpenApiDocument } from "../../src/routes/openapi/build";

it("serves an OpenAPI document identical to the one built from the zod schemas (run `npm run openapi` after changing them)", () => {
  expect(served).toEqual(buildOpenApiDocument());
});
