// A four-step trip booking written with restate-guard's runSaga, for tests/server/saga.test.ts.
//
// Every real side effect (a booking, a cancellation, a failed attempt) appends one line to the ledger, inside a
// ctx.run action, so the test can count how often each happened across retries and process crashes. The request
// says where to fail and where to crash:
// - failAt: the step whose action fails terminally (a TerminalError inside its ctx.run);
// - crashAt: a named point in durable code where the process SIGKILLs itself, the first time only (a marker file
//   next to the ledger remembers it); points are "after-do-<step>" and "after-undo-<step>";
// - flakyCompensation: the step whose compensation throws a plain Error on its first two attempts (inside ctx.run);
// - flakyAction / flakyActionOutsideRun: the step whose action throws a plain Error on its first attempt, inside its
//   ctx.run (the SDK fails the attempt) or in durable code before it (runSaga sees it and rethrows it);
// - waitAt: the step whose action first waits on an awakeable nobody resolves (the test cancels the invocation).
import * as restate from "@restatedev/restate-sdk";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runSaga } from "../../../runtime/index.js";
import { record } from "../harness.js";

export const STEPS = ["flight", "hotel", "car", "insurance"] as const;
export type StepName = (typeof STEPS)[number];

export interface TripRequest {
  /** Unique per test: prefixes every ledger line and names the marker files. */
  trip: string;
  failAt?: StepName;
  crashAt?: `after-do-${StepName}` | `after-undo-${StepName}`;
  flakyCompensation?: StepName;
  flakyAction?: StepName;
  flakyActionOutsideRun?: StepName;
  waitAt?: StepName;
}

const stateDir = () => dirname(process.env.LEDGER!);

/** Counts calls per (trip, what) in a file, across attempts and processes. */
function attempt(trip: string, what: string): number {
  const path = join(stateDir(), `attempts-${trip}-${what}`);
  const n = (existsSync(path) ? Number(readFileSync(path, "utf8")) : 0) + 1;
  writeFileSync(path, String(n));
  return n;
}

/** SIGKILLs this process the first time the trip reaches `point`. */
async function crashPoint(req: TripRequest, point: string): Promise<void> {
  if (req.crashAt !== point) return;
  const marker = join(stateDir(), `crashed-${req.trip}-${point}`);
  if (existsSync(marker)) return;
  writeFileSync(marker, "");
  record(`${req.trip} crash ${point}`);
  process.kill(process.pid, "SIGKILL");
  await new Promise(() => {}); // never reached
}

export const trips = restate.service({
  name: "trips",
  handlers: {
    book: async (ctx: restate.Context, req: TripRequest): Promise<{ bookings: string[] }> =>
      runSaga(ctx, async (saga) => {
        const bookings: string[] = [];
        for (const step of STEPS) {
          const booking = await saga.step({
            name: step,
            action: async (id) => {
              if (req.waitAt === step) await ctx.awakeable<string>().promise;
              if (req.flakyActionOutsideRun === step && attempt(req.trip, `do-${step}-outside`) === 1) {
                record(`${req.trip} failed do ${step} (outside run)`);
                throw new Error(`${step} service timed out`);
              }
              return ctx.run(`book ${step}`, () => {
                if (req.flakyAction === step && attempt(req.trip, `do-${step}`) === 1) {
                  record(`${req.trip} failed do ${step}`);
                  throw new Error(`${step} service timed out`);
                }
                if (req.failAt === step) throw new restate.TerminalError(`${step} unavailable`, { errorCode: 409 });
                record(`${req.trip} do ${step} ${id}`);
                return `${step}:${id}`;
              });
            },
            compensate: async (id) => {
              await ctx.run(`cancel ${step}`, () => {
                if (req.flakyCompensation === step && attempt(req.trip, `undo-${step}`) <= 2) {
                  record(`${req.trip} failed undo ${step}`);
                  throw new Error(`cancelling ${step} failed`);
                }
                record(`${req.trip} undo ${step} ${id}`);
              });
              await crashPoint(req, `after-undo-${step}`);
            },
          });
          await crashPoint(req, `after-do-${step}`);
          bookings.push(booking);
        }
        return { bookings };
      }),
  },
});

export type Trips = typeof trips;

if (process.env.PORT) restate.serve({ services: [trips], port: Number(process.env.PORT) });
