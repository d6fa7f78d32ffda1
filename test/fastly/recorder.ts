/**
 * A `fetch` that records every Request it is given and answers with a fixed reply. It stands in for the
 * network, not for Fastly: tests that need Fastly's behaviour use the emulator.
 */
export interface Recorder {
  fetch: (request: Request) => Promise<Response>;
  requests: Request[];
  bodies: string[];
}

export function recorder(reply: () => Response = () => Response.json({ id: "tok" })): Recorder {
  const requests: Request[] = [];
  const bodies: string[] = [];
  return {
    requests,
    bodies,
    fetch: async (request) => {
      requests.push(request);
      bodies.push(new TextDecoder().decode(await request.clone().arrayBuffer()));
      return reply();
    },
  };
}
