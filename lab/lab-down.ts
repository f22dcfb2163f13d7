/**
 * `npm run lab:down`: stops both labs' clusters (simulated and real-node) and everything they
 * started, removes what the real nodes made on the host, and forgets the labs' state.
 */
import { rmSync } from "node:fs";
import { LIBRARY_CONSUMER_DIR, REAL_PROJECT_DIR, REAL_STATE_DIR, labDown } from "./lab-env";
import { realClustersDown } from "./real-lab";

labDown();
realClustersDown();
for (const dir of [REAL_PROJECT_DIR, REAL_STATE_DIR, LIBRARY_CONSUMER_DIR]) rmSync(dir, { recursive: true, force: true });
