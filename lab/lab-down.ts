/** `npm run lab:down`: stops both clusters and everything the lab started, forgets its state. */
import { labDown } from "./lab-env";

labDown();
