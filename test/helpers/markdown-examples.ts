// The curl examples of a Markdown file's ```sh blocks, in order, each with the answer shown
// under it. A line `name=$(curl …)` keeps what the command prints as $name for the examples
// after it; every other curl example must show its answer on the comment lines right below:
// `# <status> <json with …>`, the JSON running on over further comment lines until it closes.

export interface Example {
  /** 1-based line of the Markdown file where the command starts. */
  line: number;
  command: string;
  /** Set for `name=$(…)`: the variable the output goes to; command is then what is inside. */
  capture?: string;
  /** The answer's text after `# `, e.g. `200 {"valid":true,…}`; undefined when none is shown. */
  answer?: string;
}

const balanced = (text: string) => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
  }
  return depth === 0;
};

export function extractExamples(markdown: string): Example[] {
  const lines = markdown.split("\n");
  const examples: Example[] = [];
  let inShell = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^```/.test(line)) {
      inShell = !inShell && line.trim() === "```sh";
      continue;
    }
    if (!inShell) continue;
    const capture = /^(\w+)=\$\((curl .*)\)$/.exec(line);
    if (!line.startsWith("curl ") && !capture) continue;
    const start = i;
    let command = line;
    // A line ending in \ goes on; so does a single-quoted argument (a JSON body) left open.
    for (;;) {
      if (i + 1 >= lines.length) break;
      if (command.endsWith("\\")) command = `${command.slice(0, -1)}${lines[++i]}`;
      else if ((command.match(/'/g)?.length ?? 0) % 2 === 1) command = `${command}\n${lines[++i]}`;
      else break;
    }
    if (capture) {
      examples.push({ line: start + 1, command: capture[2] as string, capture: capture[1] });
      continue;
    }
    let answer: string | undefined;
    if (/^# \d{3}\b/.test(lines[i + 1] ?? "")) {
      answer = (lines[++i] as string).slice(2);
      while (!balanced(answer) && /^#/.test(lines[i + 1] ?? "")) answer += (lines[++i] as string).slice(1).trim();
    }
    examples.push({ line: start + 1, command, answer });
  }
  return examples;
}
