/**
 * The facade's `/openapi/v3` documents. They are built in src/api/schema/openapi.ts, below the
 * layers of kubectl and the server, so that the simulation's `kubectl explain` reads the same
 * documents real kubectl reads from the facade.
 */
export { customSchemaName, openAPIV3Document, openAPIV3Root, schemaName } from "../api/schema/openapi.ts";
