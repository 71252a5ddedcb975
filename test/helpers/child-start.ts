/**
 * How long a test waits for a service it spawned as a process (`node --import tsx …`) to answer.
 * tsx compiles the service at start: on a loaded 2-core CI machine that took more than 20 s.
 * A healthy start still returns as soon as it answers.
 */
export const CHILD_START_MS = 60_000;
