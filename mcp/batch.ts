import type { IncomingMessage, ServerResponse } from "node:http";

// JSON-RPC batching (a JSON array of messages in one POST) was removed from MCP in protocol
// revision 2025-06-18. The SDK's Streamable HTTP transport still takes an array whatever the
// version, and answers a one-message batch as a single object; for a client on 2025-06-18 or
// later an array is no valid message at all: -32600 (invalid request) with id null, 400 as the
// transport answers its other invalid requests. Without an MCP-Protocol-Version header the
// transport spec has the server assume 2025-03-26, which allows batches.

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

/** Answers a batch the request's protocol version does not have; true when it did. */
export async function refuseBatch(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (batchesAllowed(req) || (await firstCharacter(req)) !== "[") return false;
  const version = req.headers["mcp-protocol-version"];
  const message = `Invalid Request: JSON-RPC batches are not part of MCP protocol version ${version}; send one message per request.`;
  res.writeHead(400, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32600, message }, id: null }));
  return true;
}
