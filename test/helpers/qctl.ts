/** Runs qctl in-process, capturing stdout and stderr. */
import { main } from "../../cli/main";

export async function qctl(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
    return { code, out, err };
}
