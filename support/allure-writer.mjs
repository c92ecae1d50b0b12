// Allure's FileSystemWriter writes each result and attachment through a temporary file, fsync and
// rename (allure-js-commons 3.x): about 5 ms a file on this disk, and a course run writes hundreds,
// which made Allure the largest single cost of `npm test` (profile: 1.9 s of fsync in a 4.8 s run).
// Reports are rebuilt on every run and read after it ends, so a plain write is enough here:
// the same files with the same content, without the flush to disk.
import { writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { FileSystemWriter } from "allure-js-commons/sdk/reporter";

export class PlainFileWriter extends FileSystemWriter {
  constructor(config) {
    super(config);
    mkdirSync(config.resultsDir, { recursive: true });
  }
  buildPath(name) {
    return join(this.config.resultsDir, name);
  }
  writeAttachment(distFileName, content) {
    writeFileSync(this.buildPath(distFileName), content);
  }
  writeAttachmentFromPath(distFileName, from) {
    copyFileSync(from, this.buildPath(distFileName));
  }
  writeGroup(result) {
    writeFileSync(this.buildPath(`${result.uuid}-container.json`), JSON.stringify(result), "utf-8");
  }
  writeResult(result) {
    writeFileSync(this.buildPath(`${result.uuid}-result.json`), JSON.stringify(result), "utf-8");
  }
  writeGlobals(distFileName, info) {
    writeFileSync(this.buildPath(distFileName), JSON.stringify(info), "utf-8");
  }
}
