import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";

// JSON-RPC batching (a JSON array of messages in one POST) was removed from MCP in protocol
// revision 2025-06-18. The SDK's Streamable HTTP transport still takes an array whatever the
// version; for a client on 2025-06-18 or later an array is no valid message at all: -32600
// (invalid request) with id null, 400 as the transport answers its other invalid requests.
// Without an MCP-Protocol-Version header the transport spec has the server assume 2025-03-26,
// which allows batches.

const FIRST_WITHOUT_BATCHES = "2025-06-18";

/** Whether the request's protocol version (its header: the server keeps no session) allows batches. */
function batchesAllowed(req: IncomingMessage): boolean {
  const version = req.headers["mcp-protocol-version"];
  // Revisions are dates in YYYY-MM-DD form, which compare as text.
  return typeof version !== "string" || version < FIRST_WITHOUT_BATCHES;
}

/**
 * The body's first non-blank character; the chunks read to find it are put back, so the
 * transport reads the body whole.
 */
function firstCharacter(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const finish = (found: string | undefined, ended: boolean) => {
      req.off("readable", onReadable);
      req.off("end", onEnd);
      req.off("error", reject);
      if (!ended) for (const chunk of chunks.reverse()) req.unshift(chunk);
      resolve(found);
    };
    const onReadable = () => {
      for (let chunk = req.read(); chunk !== null; chunk = req.read()) {
        chunks.push(chunk);
        const found = /\S/.exec(chunk.toString("latin1"))?.[0];
        if (found) return finish(found, false);
      }
    };
    const onEnd = () => finish(undefined, true);
    req.on("readable", onReadable);
    req.on("end", onEnd);
    req.on("error", reject);
  });
}

/** Whether the body is a JSON array, a batch (or no JSON at all, which the transport answers). */
export async function isBatch(req: IncomingMessage): Promise<boolean> {
  return (await firstCharacter(req)) === "[";
}

/** Answers a batch the request's protocol version does not have; true when it did. */
export function refuseBatch(req: IncomingMessage, res: ServerResponse): boolean {
  if (batchesAllowed(req)) return false;
  const version = req.headers["mcp-protocol-version"];
  const message = `Invalid Request: JSON-RPC batches are not part of MCP protocol version ${version}; send one message per request.`;
  res.writeHead(400, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32600, message }, id: null }));
  return true;
}

const invalidRequest = (message: string) =>
  new Response(JSON.stringify({ jsonrpc: "2.0", error: { code: -32600, message }, id: null }), {
    status: 400,
    headers: { "content-type": "application/json" },
  });

/**
 * Hands a batch to the transport and answers as JSON-RPC 2.0 asks: the responses to its requests
 * as an array, however many (the transport sends one alone as a bare object), and an empty batch
 * one Invalid Request error (the transport accepts it as holding no request: 202, no body). A
 * batch of notifications only still gets nothing, and the transport's own refusals (a message
 * that is no JSON-RPC, a wrong Accept) stay single errors. Set up before the server connects to
 * the transport: the server's handler is chained after the one that counts the messages.
 */
export function batchHandler(
  transport: WebStandardStreamableHTTPServerTransport,
): (request: Request) => Promise<Response> {
  let messages = 0;
  transport.onmessage = () => {
    messages++;
  };
  return async (request) => {
    const response = await transport.handleRequest(request);
    if (response.status === 202 && messages === 0) {
      return invalidRequest("Invalid Request: an empty JSON-RPC batch holds no message.");
    }
    if (response.status !== 200) return response;
    const body = await response.text();
    return new Response(body.startsWith("{") ? `[${body}]` : body, { status: 200, headers: response.headers });
  };
}
