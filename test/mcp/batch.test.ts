import t from "tap";
import { request } from "undici";
import { startAuth } from "../helpers/auth.js";
import { startMcpHttp } from "../helpers/mcp.js";

// MCP 2025-06-18 removed JSON-RPC batching, and the SDK's transport took a batch whatever version
// the client spoke: a one-message batch came back as a single object, two as an array of
// answers. A client on 2025-06-18 or later sending an array sent no valid request: -32600, id null.

const list = (id: number) => ({ jsonrpc: "2.0", id, method: "tools/list" });

/** POSTs `body` to the MCP endpoint as a client accepting JSON or SSE; headers left undefined are not sent. */
async function postMcp(
  url: string,
  auth: Record<string, string>,
  body: string,
  headers: Record<string, string | undefined>,
) {
  const sent: Record<string, string> = {
    ...auth,
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
  };
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) sent[name] = value;
  const res = await request(url, { method: "POST", headers: sent, body });
  const text = await res.body.text();
  return { status: res.statusCode, type: res.headers["content-type"], body: text ? JSON.parse(text) : null };
}

t.test("a JSON-RPC batch is refused for the protocol versions without batching", async (t) => {
  const auth = await startAuth(t);
  const http = await startMcpHttp(t, { USER_SERVICE_URL: auth.url, MCP_PORT: "0" });
  const ada = await auth.customer("ada");
  const post = async (body: string, version?: string) => {
    const { status, body: answer } = await postMcp(http.url, ada.headers, body, { "mcp-protocol-version": version });
    return { status, body: answer };
  };

  for (const version of ["2025-06-18", "2025-11-25"]) {
    for (const batch of [[list(1)], [list(1), list(2)]]) {
      t.same(
        await post(JSON.stringify(batch), version),
        {
          status: 400,
          body: {
            jsonrpc: "2.0",
            error: {
              code: -32600,
              message: `Invalid Request: JSON-RPC batches are not part of MCP protocol version ${version}; send one message per request.`,
            },
            id: null,
          },
        },
        `${version}: a batch of ${batch.length}`,
      );
    }
    t.match(
      await post(` \n${JSON.stringify(list(3))}`, version),
      { status: 200, body: { jsonrpc: "2.0", id: 3, result: { tools: Array } } },
      `${version}: one message is answered, read whole after its leading blanks`,
    );
  }
  // 2025-03-26 has batches, and a request without the header is taken as 2025-03-26.
  t.match(await post(JSON.stringify([list(1), list(2)]), "2025-03-26"), {
    status: 200,
    body: [
      { id: 1, result: { tools: Array } },
      { id: 2, result: { tools: Array } },
    ],
  });
  t.match(await post(JSON.stringify([list(1), list(2)])), { status: 200, body: [{ id: 1 }, { id: 2 }] });
  t.match(
    await post("[not json", "2025-06-18"),
    { status: 400, body: { error: { code: -32600 }, id: null } },
    "an array that does not parse is no single message either",
  );
  t.match(await post("not json", "2025-06-18"), { status: 400, body: { error: { code: -32700 } } });
});

t.test("on the protocol versions with batching, a batch is answered with an array", async (t) => {
  const auth = await startAuth(t);
  const http = await startMcpHttp(t, { USER_SERVICE_URL: auth.url, MCP_PORT: "0" });
  const ada = await auth.customer("ada");
  const post = (batch: unknown[], headers: Record<string, string> = {}) =>
    postMcp(http.url, ada.headers, JSON.stringify(batch), headers);
  const initialized = { jsonrpc: "2.0", method: "notifications/initialized" };
  const json = "application/json";

  const versions: Record<string, string>[] = [{ "mcp-protocol-version": "2025-03-26" }, {}];
  for (const version of versions) {
    const named = version["mcp-protocol-version"] ?? "no version header";
    t.match(
      await post([list(1)], version),
      { status: 200, type: json, body: [{ id: 1, result: { tools: Array } }] },
      `${named}: a batch of one request`,
    );
    t.match(
      await post([list(1), list(2)], version),
      { status: 200, body: [{ id: 1 }, { id: 2 }] },
      `${named}: two requests`,
    );
    t.match(
      await post([initialized, list(1)], version),
      { status: 200, body: [{ id: 1, result: { tools: Array } }] },
      `${named}: a notification and a request`,
    );
    t.match(
      await post([list(1), initialized, list(2)], version),
      { status: 200, body: [{ id: 1 }, { id: 2 }] },
      `${named}: requests around a notification`,
    );
    t.same(
      await post([initialized], version),
      { status: 202, type: undefined, body: null },
      `${named}: notifications only: nothing`,
    );
    t.same(
      await post([], version),
      {
        status: 400,
        type: json,
        body: {
          jsonrpc: "2.0",
          error: { code: -32600, message: "Invalid Request: an empty JSON-RPC batch holds no message." },
          id: null,
        },
      },
      `${named}: an empty batch is one error, not an array`,
    );
    t.match(
      await post([list(1)], { ...version, accept: "text/event-stream, application/json" }),
      { status: 200, type: json, body: [{ id: 1 }] },
      `${named}: answered as JSON whichever type the client names first`,
    );
    t.match(
      await post([list(1)], { ...version, accept: "application/json" }),
      { status: 406, body: { error: { code: -32000 }, id: null } },
      `${named}: a client that does not take an event stream is refused, as for one message`,
    );
  }
});
