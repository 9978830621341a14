// Minutes files made and read by the JS Automerge, for pwg's import/export
// tests (minutesfile_test.go).
//
//   node minutesfile.mjs make OUT TITLE DATE LINE   a meeting in pwg's schema, made in JS
//   node minutesfile.mjs edit IN OUT SECTION LINE   append LINE to a section's notes of a pwg file
//   node minutesfile.mjs read IN                     print the document as JSON
import * as A from "@automerge/automerge";
import { readFileSync, writeFileSync } from "node:fs";

const [cmd, ...args] = process.argv.slice(2);

function appendLine(doc, section, line) {
  return A.change(doc, "js edit", (d) => {
    const notes = d.sections[section].notes;
    const text = String(notes ?? "");
    const add = (text === "" || text.endsWith("\n") ? "" : "\n") + line + "\n";
    A.splice(d, ["sections", section, "notes"], text.length, 0, add);
  });
}

switch (cmd) {
  case "make": {
    const [out, title, date, line] = args;
    let doc = A.from({
      schema: 1,
      kind: "meeting",
      title,
      date,
      location: "",
      sections: {
        worklog: { title: "作業ログ / Non-routine work log", kind: "notes", order: 1, timebox: 10, notes: "" },
        topics: { title: "今日話したいこと / Topics", kind: "notes", order: 2, timebox: 10, notes: "" },
      },
    });
    doc = appendLine(doc, "worklog", line);
    writeFileSync(out, A.save(doc));
    break;
  }
  case "edit": {
    const [inp, out, section, line] = args;
    const doc = appendLine(A.load(readFileSync(inp)), section, line);
    writeFileSync(out, A.save(doc));
    break;
  }
  case "read": {
    const doc = A.load(readFileSync(args[0]));
    process.stdout.write(JSON.stringify(A.toJS(doc)));
    break;
  }
  default:
    console.error("usage: minutesfile.mjs make|edit|read ...");
    process.exit(2);
}
