// One way to write a size everywhere the user sees one (artifact rows, downloads, exports,
// built images, the CLI): binary units, as `du -h` and `ls -lh` count them on the login node.

/** 1536 → "1.5 KiB", 3145728 → "3.0 MiB", 512 → "512 B". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
