// Runs Python code under MicroPython (WebAssembly) in Node, with host folders
// copied into its in-memory filesystem.
//
//   node micropython_run.mjs RUNTIME_DIR CODE HOST_PATH:GUEST_PATH...
//
// A host folder is copied recursively (its .py files); a host file is copied as is.
//
// CODE may use top-level `await`. The process exits with the value the code leaves
// in the global EXIT_CODE (0 if unset), or 1 when it raises.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [runtimeDir, code, ...mounts] = process.argv.slice(2);
const { loadMicroPython } = await import(
  pathToFileURL(path.join(runtimeDir, "micropython.mjs")).href
);
const mp = await loadMicroPython({
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
  heapsize: 256 * 1024 * 1024,
  pystack: 256 * 1024,
});

function copyTree(hostDir, guestDir) {
  mp.FS.mkdirTree(guestDir);
  for (const entry of fs.readdirSync(hostDir, { withFileTypes: true })) {
    const host = path.join(hostDir, entry.name);
    const guest = guestDir + "/" + entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== "__pycache__") copyTree(host, guest);
    } else if (entry.name.endsWith(".py")) {
      mp.FS.writeFile(guest, fs.readFileSync(host));
    }
  }
}

for (const mount of mounts) {
  const [host, guest] = mount.split(":");
  if (fs.statSync(host).isFile()) {
    mp.FS.mkdirTree(guest.slice(0, guest.lastIndexOf("/")) || "/");
    mp.FS.writeFile(guest, fs.readFileSync(host));
  } else {
    copyTree(host, guest);
  }
}

try {
  await mp.runPythonAsync(code);
} catch (error) {
  if (error.name !== "PythonError") throw error;
  process.stderr.write(error.message + "\n");
  process.exit(1);
}
const exitCode = mp.globals.get("EXIT_CODE");
process.exit(typeof exitCode === "number" ? exitCode : 0);
