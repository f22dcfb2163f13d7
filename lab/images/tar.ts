/**
 * A deterministic tar writer: POSIX ustar headers, plus a PAX extended header for whatever
 * ustar cannot hold (a path or link target over 100 bytes or not ASCII, a size of 8 GiB or
 * more, an id above 0o7777777). Written here rather than by GNU tar because the lab's image
 * recipes describe files that do not exist on disk as such (an /etc/passwd, a start script)
 * with owners and modes that differ from the host's, and because the same input must give the
 * same bytes wherever it runs; GNU tar would need a staging tree, root to chown it, and flags
 * (--sort, --mtime, --owner, --format) whose defaults vary by version.
 *
 * Every entry gets mtime 0 and empty user/group names (readers use the numeric ids), so an
 * archive is a function of its entries alone. Node stdlib only.
 */

const BLOCK = 512;

export type TarEntryType = "file" | "dir" | "symlink";

export interface TarEntry {
    readonly type: TarEntryType;
    /** Path inside the archive, as stored: relative, no leading "/", directories end in "/". */
    readonly name: string;
    readonly mode: number;
    readonly uid: number;
    readonly gid: number;
    /** Regular files only. */
    readonly content?: Buffer;
    /** Symlinks only. */
    readonly linkname?: string;
}

const TYPEFLAG: Record<TarEntryType, string> = { file: "0", dir: "5", symlink: "2" };
const MAX_OCTAL_ID = 0o7777777;
const MAX_OCTAL_SIZE = 0o77777777777;

function octal(value: number, width: number): string {
    // width includes the terminating NUL, as ustar readers expect.
    return value.toString(8).padStart(width - 1, "0") + "\0";
}

function fitsUstarString(s: string, max: number): boolean {
    return Buffer.byteLength(s) <= max && /^[\x20-\x7e]*$/.test(s);
}

function header(name: string, typeflag: string, size: number, e: { mode: number; uid: number; gid: number; linkname?: string }): Buffer {
    const h = Buffer.alloc(BLOCK, 0);
    h.write(name, 0, 100, "utf8");
    h.write(octal(e.mode & 0o7777, 8), 100, "ascii");
    h.write(octal(Math.min(e.uid, MAX_OCTAL_ID), 8), 108, "ascii");
    h.write(octal(Math.min(e.gid, MAX_OCTAL_ID), 8), 116, "ascii");
    h.write(octal(Math.min(size, MAX_OCTAL_SIZE), 12), 124, "ascii");
    h.write(octal(0, 12), 136, "ascii"); // mtime
    h.write(typeflag, 156, "ascii");
    if (e.linkname) h.write(e.linkname, 157, 100, "utf8");
    h.write("ustar\0", 257, "ascii");
    h.write("00", 263, "ascii");
    h.write(octal(0, 8), 329, "ascii"); // devmajor
    h.write(octal(0, 8), 337, "ascii"); // devminor
    // The checksum is computed with its own field as eight spaces, then stored as 6 octal digits, NUL, space.
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const byte of h) sum += byte;
    h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "ascii");
    return h;
}

/** One PAX record, "<len> <key>=<value>\n", where <len> counts the whole record including itself. */
function paxRecord(key: string, value: string): string {
    const body = ` ${key}=${value}\n`;
    let len = Buffer.byteLength(body) + 1;
    while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
    return `${len}${body}`;
}

function padding(size: number): Buffer {
    const rest = size % BLOCK;
    return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest, 0);
}

/** The blocks of one entry (PAX header if needed, ustar header, content, padding), in order. */
export function tarEntryBlocks(e: TarEntry): Buffer[] {
    const size = e.type === "file" ? (e.content?.length ?? 0) : 0;
    if (e.type === "symlink" && !e.linkname) throw new Error(`tar: symlink ${e.name} has no target`);
    const pax: string[] = [];
    if (!fitsUstarString(e.name, 100)) pax.push(paxRecord("path", e.name));
    if (e.linkname && !fitsUstarString(e.linkname, 100)) pax.push(paxRecord("linkpath", e.linkname));
    if (size > MAX_OCTAL_SIZE) pax.push(paxRecord("size", String(size)));
    if (e.uid > MAX_OCTAL_ID) pax.push(paxRecord("uid", String(e.uid)));
    if (e.gid > MAX_OCTAL_ID) pax.push(paxRecord("gid", String(e.gid)));

    const blocks: Buffer[] = [];
    if (pax.length > 0) {
        const data = Buffer.from(pax.join(""), "utf8");
        // The PAX header's own name is informational; Go's archive/tar uses the same shape.
        const base = e.name.replace(/\/$/, "").split("/").pop() ?? "entry";
        const paxName = `PaxHeaders.0/${base}`.slice(0, 99).replace(/[^\x20-\x7e]/g, "_");
        blocks.push(header(paxName, "x", data.length, { mode: 0o644, uid: 0, gid: 0 }), data, padding(data.length));
    }
    // With a PAX path the ustar name is a truncated fallback for readers that ignore PAX.
    const ustarName = fitsUstarString(e.name, 100) ? e.name : Buffer.from(e.name).subarray(0, 100).toString("latin1").replace(/[^\x20-\x7e]/g, "_");
    const ustarLink = e.linkname && !fitsUstarString(e.linkname, 100) ? "" : e.linkname;
    blocks.push(header(ustarName, TYPEFLAG[e.type], size, { ...e, linkname: ustarLink }));
    if (size > 0 && e.content) blocks.push(e.content, padding(size));
    return blocks;
}

/** Two zero blocks end an archive. */
export const TAR_END = Buffer.alloc(2 * BLOCK, 0);

/** A whole archive in memory, entries in the order given. */
export function tarArchive(entries: readonly TarEntry[]): Buffer {
    return Buffer.concat([...entries.flatMap(tarEntryBlocks), TAR_END]);
}
