import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type Tool,
  type ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
import type { TObject } from "@sinclair/typebox";
import * as z from "zod/v4";
import type { Api, ApiAnswer } from "./api-client.js";
import { idempotencyKey } from "./idempotency-key.js";
import { inputProblem } from "./input-check.js";
import { checkReplay } from "./replay-check.js";
import { registerResources } from "./resources.js";
import { Inputs, Outputs, type ToolName } from "./schemas.js";
import type { Session } from "./session.js";
import { TOOLS, type ToolSpec } from "./tools.js";

// One MCP server for one caller: the tools and resources over the REST API, acting with the
// session's token. The low-level Server takes the tools' JSON Schemas as they are (TypeBox
// schemas are JSON Schema), where McpServer would want them rewritten as zod.

export const SERVER_INFO = { name: "skybook", version: "0.1.0" };

export interface McpOptions {
  api: Api;
  session: Session;
  /** stdio: a `login` tool signs the session in; over HTTP the request's token is the caller. */
  login: boolean;
}

/** A tool error carrying the API's `{error, message, ...}` as it came. */
function toolError(body: Record<string, unknown>): CallToolResult {
  return { isError: true, content: [{ type: "text", text: JSON.stringify(body) }] };
}

function answerOf(answer: ApiAnswer): CallToolResult {
  const body = answer.body ?? {};
  if (answer.status >= 400) return toolError(body);
  return { content: [{ type: "text", text: JSON.stringify(body) }], structuredContent: body };
}

/**
 * A schema as a client sees it. A field with a default is required in the route's schema (the
 * default is filled in before the check) but optional for whoever calls: it is not listed as required.
 */
function json(schema: TObject): Tool["inputSchema"] {
  const plain = JSON.parse(JSON.stringify(schema)) as Tool["inputSchema"] & { properties?: Record<string, object> };
  const required = plain.required?.filter((k) => !(plain.properties?.[k] && "default" in plain.properties[k]));
  return { ...plain, required };
}

/** Every tool acts on Skybook's own API only: a closed world (openWorldHint false). */
function annotations(hints: ToolSpec["hints"]): ToolAnnotations {
  return {
    readOnlyHint: hints.readOnly,
    destructiveHint: hints.destructive,
    idempotentHint: hints.idempotent,
    openWorldHint: false,
  };
}

function toolList(login: boolean): Tool[] {
  const tools: Tool[] = Object.entries(TOOLS).map(([name, spec]) => ({
    name,
    title: spec.title,
    description: spec.description,
    inputSchema: json(Inputs[name as ToolName]),
    outputSchema: json(Outputs[name as ToolName]),
    annotations: annotations(spec.hints),
  }));
  if (!login) return tools;
  return [
    {
      name: "login",
      title: "Sign in",
      description:
        "Signs in to Skybook with a username and password; later tool calls act as that user. The sign-in lasts " +
        "minutes (the access token's lifetime): when a tool answers unauthorized, call login again.",
      inputSchema: json(Inputs.login),
      outputSchema: json(Outputs.login),
      // Changes whom the later calls act as, nothing of the user's; but every call counts toward
      // user-svc's login limit (rate_limited past it) and stores a new refresh token, so a repeat
      // is not free of effects.
      annotations: annotations({ readOnly: false, destructive: false, idempotent: false }),
    },
    ...tools,
  ];
}

/**
 * tools/call as the SDK defines it, but with arguments of any type. The SDK parses a request with
 * the handler's schema before anything else, and a failure there is -32603 (internal error) with
 * zod's issues as its text; with this schema the SDK's own tools/call check refuses `arguments`
 * that are no object as -32602 (invalid params) naming params.arguments, as the protocol asks.
 */
const CallToolRequest = CallToolRequestSchema.extend({
  params: CallToolRequestSchema.shape.params.extend({ arguments: z.unknown().optional() }),
});

export function createMcpServer(opts: McpOptions): Server {
  const { api, session } = opts;
  const server = new Server(SERVER_INFO, { capabilities: { tools: {}, resources: {} } });
  const tools = toolList(opts.login);
  const known = new Set(tools.map((t) => t.name));

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));

  server.setRequestHandler(CallToolRequest, async (req): Promise<CallToolResult> => {
    const name = req.params.name as ToolName;
    // As the specification asks: an unknown tool is a protocol error, not a tool's failure.
    if (!known.has(name)) throw new McpError(ErrorCode.InvalidParams, `No tool named ${req.params.name}.`);
    // An object by now: the SDK checked the request against its own CallToolRequestSchema.
    const args = (req.params.arguments ?? {}) as Record<string, unknown>;
    const problem = inputProblem(Inputs[name], args, name !== "login" && TOOLS[name].query === true);
    if (problem) return toolError({ error: "validation_error", ...problem });

    if (name === "login") {
      const answer = await api("user", { method: "POST", path: "/api/auth/login", body: args });
      if (answer.status !== 200) return answerOf(answer);
      session.signIn(answer.body.access_token, answer.body.user_id);
      return answerOf({ status: 200, body: { user_id: answer.body.user_id, expires_in: answer.body.expires_in } });
    }

    const spec = TOOLS[name];
    const { service, call } = spec.request(args);
    const key = spec.keyed ? idempotencyKey(session.userId, name, args) : undefined;
    const answer = await api(service, { ...call, token: session.token, idempotencyKey: key });
    // The assistant sees the tools, not docs/mcp.md: no token, or one that ran out (its access
    // lasts minutes), says how to go on.
    if (answer.status === 401 && opts.login) {
      const message = typeof answer.body?.message === "string" ? `${answer.body.message} ` : "";
      return toolError({
        ...answer.body,
        message: `${message}Sign in with the login tool, then call this tool again.`,
      });
    }
    if (answer.status === 204 && spec.noContent) return answerOf({ status: 204, body: spec.noContent(args) });
    return answerOf(await checkReplay(api, session.token, name, answer));
  });

  registerResources(server, api, session);
  return server;
}
