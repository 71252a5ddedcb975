import { execFile } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import t from "tap";
import { projectPath } from "../../lib/paths.js";
import { loadMcpConfig } from "../../mcp/config.js";

t.test("each service at its own address by default", async (t) => {
  const c = loadMcpConfig({});
  t.strictSame(c.api, {
    flight: "http://127.0.0.1:8080",
    booking: "http://127.0.0.1:8081",
    user: "http://127.0.0.1:8083",
    timeoutMs: 15_000,
  });
  t.equal(c.port, 8084);
  t.equal(c.token, "");
});

t.test("a gateway address wins over the three, for the API and the JWKS", async (t) => {
  const c = loadMcpConfig({ SKYBOOK_API_URL: "https://api.example.com", FLIGHT_SERVICE_URL: "http://f:1" });
  t.match(c.api, {
    flight: "https://api.example.com",
    booking: "https://api.example.com",
    user: "https://api.example.com",
  });
  t.equal(c.auth.userServiceUrl, "https://api.example.com");
});

t.test("bad values are refused by name", async (t) => {
  t.throws(() => loadMcpConfig({ SKYBOOK_API_URL: "ftp://x", MCP_PORT: "http" }), {
    name: "ConfigError",
    problems: [/^SKYBOOK_API_URL=ftp:\/\/x/, /^MCP_PORT=http/],
  });
});

t.test("a bad value stops the server with exit code 2, as it stops a service", async (t) => {
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", projectPath("mcp", "main.ts"), "--http"],
      { cwd: projectPath(), env: { ...process.env, MCP_PORT: "http" }, timeout: 60_000 },
      (_err, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
  t.equal(code, 2);
  t.equal(stderr, "skybook-mcp: invalid configuration:\n  MCP_PORT=http: expected an integer from 0 to 65535\n");
});

t.test("a SKYBOOK_TOKEN that is no access token is refused by name, as a bad setting (exit 2)", async (t) => {
  for (const token of ["abc", "abc.def.ghi", "eyJhbGciOiJub25lIn0.eyJyb2xlIjoiY3VzdG9tZXIifQ."]) {
    t.throws(
      () => loadMcpConfig({ SKYBOOK_TOKEN: token }),
      { name: "ConfigError", problems: [/^SKYBOOK_TOKEN: expected an access token/] },
      token,
    );
  }
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", projectPath("mcp", "main.ts")],
      { cwd: projectPath(), env: { ...process.env, SKYBOOK_TOKEN: "abc.secret-part.ghi" }, timeout: 60_000 },
      (_err, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
    child.stdin?.end();
  });
  t.equal(code, 2);
  t.equal(
    stderr,
    "skybook-mcp: invalid configuration:\n  SKYBOOK_TOKEN: expected an access token from POST /api/auth/login (a JWT naming its user)\n",
    "named, without the token",
  );
});

// A taken MCP_PORT crashed `make mcp-http` with node's unhandled 'error' event and its stack.
t.test("an MCP_PORT another program holds is one line naming it, exit 2, as a service's taken port", async (t) => {
  const holder = createServer();
  holder.listen(0, "127.0.0.1");
  await once(holder, "listening");
  t.teardown(() => holder.close());
  const port = (holder.address() as { port: number }).port;
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", projectPath("mcp", "main.ts"), "--http"],
      { cwd: projectPath(), env: { ...process.env, HOST: "127.0.0.1", MCP_PORT: String(port) }, timeout: 60_000 },
      (_err, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
  t.equal(code, 2);
  t.equal(
    stderr,
    `skybook-mcp: could not listen on HOST=127.0.0.1, MCP_PORT=${port}: ` +
      `listen EADDRINUSE: address already in use 127.0.0.1:${port}\n`,
  );
});

// `skybook-mcp --htp` (a typo of --http) started the stdio server and waited there in silence.
t.test("an unknown argument is refused with the usage, exit 2", async (t) => {
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", projectPath("mcp", "main.ts"), "--htp"],
      { cwd: projectPath(), env: process.env, timeout: 60_000 },
      (_err, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
    child.stdin?.end();
  });
  t.equal(code, 2);
  t.equal(stderr, "skybook-mcp: unknown argument --htp; usage: skybook-mcp [--http]\n");
});
