// Loads TypeScript for Cucumber through tsx (must be the first entry of cucumber's `import`).
import { register } from "tsx/esm/api";
register();
