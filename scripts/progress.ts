/** A one-line progress bar on stderr (only when it is a terminal, so logs and CI stay clean). */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let last = -1;
  return (done: number, total: number) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (pct === last) return;
    last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% (${done}/${total})`;
    if (stream.isTTY) stream.write(`\r${line}${pct === 100 ? '\n' : ''}`);
    else if (pct === 100 || pct % 25 === 0) stream.write(`${line}\n`);
  };
}
