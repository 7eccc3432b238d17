/**
 * Runs a command-line script's `main` and exits with its code; an unexpected error prints its
 * message (not a stack) and exits 1.
 */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
