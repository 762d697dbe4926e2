// One WatchEvents stream per page load, shared by the console's pages: it
// starts at the end of the event log (the position the server names when
// asked past it), so no history is replayed, and resumes after the last
// position it saw when the gateway or server ends the stream. Pages
// subscribe to the events and decide themselves what to re-read.
import { Code, ConnectError } from "@connectrpc/connect";
import type { Event } from "../gen/rectify/v1/event_pb";
import { cases } from "./clients";

type Listener = (event: Event) => void;

const listeners = new Set<Listener>();
let started = false;
// Ends the open stream (logout): an old session's events never reach a page.
let abort = new AbortController();
let position = 0n;
let status: "connecting" | "live" | "retrying" = "connecting";
const statusListeners = new Set<(s: typeof status) => void>();

// Far past any log: the server answers OUT_OF_RANGE naming its last position.
const PAST_THE_END = (1n << 62n);

async function lastPosition(): Promise<bigint> {
  try {
    for await (const _ of cases.watchEvents({ afterPosition: PAST_THE_END }, { signal: abort.signal })) break;
  } catch (e) {
    const error = ConnectError.from(e);
    const match = /last position is (\d+)/.exec(error.rawMessage);
    if (error.code === Code.OutOfRange && match) return BigInt(match[1]);
  }
  return 0n;
}

function setStatus(s: typeof status): void {
  status = s;
  for (const l of statusListeners) l(s);
}

async function run(signal: AbortSignal): Promise<void> {
  position = await lastPosition();
  while (!signal.aborted) {
    try {
      const stream = cases.watchEvents({ afterPosition: position }, { signal });
      setStatus("live");
      for await (const message of stream) {
        if (message.item.case === "event") {
          const event = message.item.value;
          position = event.position;
          for (const l of listeners) l(event);
        } else if (message.item.case === "resumeAfterPosition") {
          if (message.item.value > position) position = message.item.value;
        }
      }
    } catch (e) {
      const code = ConnectError.from(e).code;
      if (signal.aborted || code === Code.Unauthenticated) {
        if (signal === abort.signal) started = false; // not a newer stream's flag
        return;
      }
      if (code === Code.OutOfRange) position = await lastPosition();
    }
    setStatus("retrying");
    await new Promise((r) => setTimeout(r, 2000));
  }
}

// Calls `listener` for every event the caller may see from now on; returns
// the function that stops it.
export function onEvent(listener: Listener): () => void {
  listeners.add(listener);
  start();
  return () => listeners.delete(listener);
}

function start(): void {
  if (started) return;
  started = true;
  abort = new AbortController();
  void run(abort.signal);
}

// Closes the stream and forgets every listener (at logout).
export function stopLive(): void {
  listeners.clear();
  statusListeners.clear();
  abort.abort();
  started = false;
}

export function onLiveStatus(listener: (s: typeof status) => void): () => void {
  statusListeners.add(listener);
  start();
  listener(status);
  return () => statusListeners.delete(listener);
}

// Calls `refresh` at most once per `ms` after events arrive (a burst of
// events, e.g. a command that writes three, becomes one re-read).
export function debounced(refresh: () => void, ms = 300): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      refresh();
    }, ms);
  };
}
