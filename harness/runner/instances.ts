import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StartupFile } from '../core/scenario.ts';
import type { ClockControl, TargetControl } from '../faults/types.ts';
import type { Recorder } from '../history/types.ts';
import type { StartedRuntime } from '../runtimes/types.ts';
import type { TargetManifest } from '../targets/manifest.ts';
import { type SupervisedTarget, superviseTarget } from './target-supervisor.ts';

interface InstanceState {
  env: Record<string, string>;
  stateDir: string;
  logDir: string;
  current: SupervisedTarget | undefined;
  clock: ClockControl | undefined;
}

export interface InstanceSetOptions {
  runtime: StartedRuntime;
  manifest: TargetManifest;
  dir: string;
  recorder: Recorder;
  signal: AbortSignal;
  /** reports/<run>/<scenario>: each instance gets <instance>/ with logs, state/ and its clock file. */
  scenarioDir: string;
  /** Host folders every instance must see at the same path (the coordination folder, notify sockets): TargetSpawn.sharedDirs. */
  sharedDirs?: string[];
}

/**
 * The target instances of one scenario: starts them, restarts them for process faults, exposes
 * them to faults as TargetControl and ClockControl, samples their resources into the history, and
 * stops them all.
 */
export class InstanceSet {
  readonly #states = new Map<string, InstanceState>();
  readonly #opts: InstanceSetOptions;
  #sampler: NodeJS.Timeout | undefined;

  constructor(opts: InstanceSetOptions) {
    this.#opts = opts;
  }

  /**
   * Starts an instance; with clockShim its wall clock runs through libfaketime from the first
   * instruction. `files` are written into its STATE_DIR first, and `{STATE_DIR}` in an env value
   * becomes that folder (a scenario's startup files: harness/core/scenario.ts StartupSpec).
   */
  async start(instance: string, env: Record<string, string>, opts: { clockShim: boolean; files?: Record<string, StartupFile> }): Promise<void> {
    const base = join(this.#opts.scenarioDir, instance);
    const stateDir = join(base, 'state');
    mkdirSync(stateDir, { recursive: true });
    for (const [name, f] of Object.entries(opts.files ?? {})) {
      const path = join(stateDir, name);
      writeFileSync(path, f.content);
      chmodSync(path, f.mode ?? 0o600);
    }
    let clock: ClockControl | undefined;
    const expanded = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replaceAll('{STATE_DIR}', stateDir)]));
    // A scenario's startup env may hand the bot another STATE_DIR (a bad one, on purpose); the
    // harness's own files and inspections stay in the instance's folder either way.
    let fullEnv = { STATE_DIR: stateDir, ...expanded };
    if (opts.clockShim) {
      const shim = this.#opts.runtime.clockShim(instance, join(base, 'clock.faketime'));
      clock = shim.control;
      fullEnv = { ...fullEnv, ...shim.env };
    }
    const state: InstanceState = { env: fullEnv, stateDir, logDir: base, current: undefined, clock };
    this.#states.set(instance, state);
    await this.#launch(instance, state);
  }

  async #launch(instance: string, state: InstanceState): Promise<void> {
    const { runtime, manifest, dir, recorder, signal } = this.#opts;
    const shared = this.#opts.sharedDirs?.length ? { sharedDirs: this.#opts.sharedDirs } : {};
    state.current = await superviseTarget({ runtime, manifest, dir, instance, env: state.env, logDir: state.logDir, ...shared, recorder, signal });
    await state.current.ready;
  }

  #state(instance: string): InstanceState {
    const s = this.#states.get(instance);
    if (!s) throw new Error(`no target instance ${instance} in this scenario`);
    return s;
  }

  control(instance: string): TargetControl {
    const s = this.#state(instance);
    const handle = () => {
      if (!s.current) throw new Error(`${instance} was never started`);
      return s.current.handle;
    };
    return {
      instance,
      get pid() {
        return handle().pid;
      },
      get running() {
        return handle().running;
      },
      stateDir: s.stateDir,
      logDir: s.logDir,
      ...(this.#opts.manifest.orderIdPrefix !== undefined ? { orderIdPrefix: this.#opts.manifest.orderIdPrefix.replaceAll('{instance}', instance) } : {}),
      signal: (sig) => handle().signal(sig),
      closeOutput: (stream) => {
        const h = handle();
        if (!h.closeOutput) throw new Error(`the ${this.#opts.runtime.name} runtime cannot close ${instance}'s ${stream} (capability output-pipes)`);
        h.closeOutput(stream);
      },
      restart: async () => {
        const h = handle();
        if (h.running) await h.stop('SIGKILL', 0);
        this.#opts.recorder.record('target', 'target.restart', { previousPid: h.pid }, instance);
        await this.#launch(instance, s);
      },
    };
  }

  clock(instance: string): ClockControl {
    const c = this.#state(instance).clock;
    if (!c) throw new Error(`${instance} was not started under the clock shim (the scenario has no clock fault for it)`);
    return c;
  }

  /** Records RSS, file descriptors and threads of every running instance every intervalMs. */
  startSampling(intervalMs: number, sample: (pid: number) => Record<string, number> | undefined): void {
    const tick = () => {
      for (const [instance, s] of this.#states) {
        const h = s.current?.handle;
        if (!h?.running) continue;
        const r = sample(h.pid);
        if (r) this.#opts.recorder.record('target', 'resources', { pid: h.pid, ...r }, instance);
      }
    };
    tick();
    this.#sampler = setInterval(tick, intervalMs);
  }

  /** Stops sampling and every instance (SIGCONT first: a paused process cannot act on SIGTERM). */
  async stopAll(): Promise<void> {
    clearInterval(this.#sampler);
    const { manifest } = this.#opts;
    await Promise.all(
      [...this.#states.values()].map(async (s) => {
        const h = s.current?.handle;
        if (!h?.running) return;
        h.signal('SIGCONT');
        await h.stop(manifest.stop.signal, manifest.stop.graceMs);
      }),
    );
  }
}
