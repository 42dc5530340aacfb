/**
 * Capabilities a runtime adds to every target it runs: scenarios can require them like the
 * target's own (manifest `capabilities`). `egress-guard`: the containers runtime puts each target
 * on an internal network whose every name resolves to a sinkhole that records connection attempts
 * (`runtime egress.attempt`) and answers nothing, so a scenario may hand a bot a production
 * exchange URL without anything leaving the machine. The local runtime has no such guard: those
 * scenarios are not applicable there (and must never run there). `output-pipes`: the local runtime
 * holds the read ends of each target's stdout and stderr pipes and can close them
 * (fault output-pipe-close); a container's output goes to the engine instead.
 */
export const RUNTIME_CAPABILITIES: Readonly<Record<string, readonly string[]>> = {
  local: ['output-pipes'],
  containers: ['egress-guard'],
};

/** The target's own capabilities plus those the runtime provides. */
export function effectiveCapabilities(targetCapabilities: readonly string[], runtime: string): string[] {
  return [...new Set([...targetCapabilities, ...(RUNTIME_CAPABILITIES[runtime] ?? [])])];
}
