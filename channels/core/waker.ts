/** A sleep that a kick ends early; a kick while awake makes the next wait return at once. */
export function createWaker() {
  let pending = false;
  let wake: (() => void) | null = null;
  return {
    kick(): void {
      pending = true;
      wake?.();
    },
    wait(ms: number): Promise<void> {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = null;
          pending = false;
          resolve();
        }
        wake = done;
      });
    },
  };
}
