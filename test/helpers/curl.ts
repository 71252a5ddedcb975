import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** What `-w` appends after the body: the original's scripts read the status from this line. */
const STATUS_FORMAT = "HTTP %{http_code}";

export interface CurlAnswer {
  /** All curl printed: the body, then "HTTP <code>". */
  raw: string;
  /** The last line: "HTTP 200" when the body ended with its own newline. */
  statusLine: string;
  /** The second word of the last line, as `tail -1 | cut -d' ' -f2` reads it. */
  status: string;
  /** Everything before the last line. */
  body: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown;
}

/**
 * Splits curl's output the way scripts written for the Go original do: a body that does not end
 * with "\n" leaves the status glued to it on one line, and the body left over is then empty.
 */
export function readCurlOutput(raw: string): CurlAnswer {
  const statusLine = raw.slice(raw.lastIndexOf("\n") + 1);
  const body = raw.slice(0, raw.length - statusLine.length);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { raw, statusLine, status: statusLine.split(" ")[1] ?? "", body, json };
}

/** curl with these arguments, plus `-s -w "HTTP %{http_code}"`. */
export async function curl(args: string[]): Promise<CurlAnswer> {
  const { stdout } = await run("curl", ["-s", "-w", STATUS_FORMAT, ...args], { timeout: 30_000 });
  return readCurlOutput(stdout);
}

/** A curl command line as documentation writes it, run by bash with `-s -w "HTTP %{http_code}"` added. */
export async function curlCommand(command: string, env: Record<string, string> = {}): Promise<CurlAnswer> {
  if (!command.startsWith("curl ")) throw new Error(`not a curl command: ${command}`);
  const withStatus = `curl -s -w '${STATUS_FORMAT}' ${command.slice("curl ".length)}`;
  const { stdout } = await run("bash", ["-c", withStatus], {
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return readCurlOutput(stdout);
}
